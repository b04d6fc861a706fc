package calm.train;

import ai.djl.nn.Parameter;
import calm.model.LanguageModel;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names for what a model trains: its {@link LanguageModel#namedParameters()} (for a composition,
 * the names inside its connection block, e.g. {@code connections.0.0.q.weight}). These names key
 * checkpoints and the optimizer's state, so they must not depend on the process.
 */
public final class TrainableParameters {

    private TrainableParameters() {}

    /**
     * @return {@link LanguageModel#trainableParameters()} by stable name, in that order
     * @throws IllegalArgumentException when the model trains nothing
     */
    public static Map<String, Parameter> of(LanguageModel model) {
        List<Parameter> trainable = model.trainableParameters();
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("the model has no trainable parameters (is everything frozen?)");
        }
        Map<Parameter, String> names = new IdentityHashMap<>();
        model.namedParameters().forEach((name, parameter) -> names.put(parameter, name));
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (int i = 0; i < trainable.size(); i++) {
            Parameter parameter = trainable.get(i);
            String name = names.getOrDefault(parameter, "parameter." + i + "." + parameter.getName());
            if (named.put(name, parameter) != null) {
                throw new IllegalStateException("two trainable parameters are both named " + name);
            }
        }
        return named;
    }

    /** @return the number of scalars trained */
    public static long count(Map<String, Parameter> parameters) {
        return parameters.values().stream().mapToLong(p -> p.getShape().size()).sum();
    }
}
