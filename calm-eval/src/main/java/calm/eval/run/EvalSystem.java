package calm.eval.run;

import calm.compose.Augmentation;
import calm.compose.ComposedModel;
import calm.model.LanguageModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A system to evaluate: any {@link LanguageModel} with what the report says about it.
 *
 * @param id a file-name-safe identifier, e.g. {@code calm-random-a}; its outputs go to a folder of
 *     that name
 * @param name the label in reports, e.g. {@code CALM, random m_A}
 * @param role what it is (see {@link calm.eval.report.SystemInfo#role()})
 * @param model the model, ready to generate
 * @param totalParameters every parameter it runs with
 * @param trainableParameters the parameters its last training changed (0 for a frozen model)
 * @param formula how the trainable count arises; may be empty
 * @param metricsLogs the metrics logs of the job that trained it, one per training stage in order
 *     (a base model with a prefix stage has two); empty for none
 */
public record EvalSystem(String id, String name, String role, LanguageModel model, long totalParameters,
        long trainableParameters, String formula, List<Path> metricsLogs) {

    /** Checks the fields. */
    public EvalSystem {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("a system id must be lower-case letters, digits and '-', got " + id);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(formula, "formula");
        metricsLogs = List.copyOf(metricsLogs);
    }

    /**
     * A composition as a system: its frozen models' parameters and its connections' counted, its
     * formula without the notes after it.
     */
    public static EvalSystem composed(String id, String name, String role, ComposedModel model, List<Path> metrics) {
        long frozen = model.anchor().parameterCount();
        for (Augmentation augmentation : model.augmentations()) {
            frozen += augmentation.source().model().parameterCount();
        }
        String formula = model.trainableParameterFormula();
        int note = formula.indexOf("   [");
        return new EvalSystem(id, name, role, model, frozen + model.trainableParameterCount(), model.trainableParameterCount(),
                note < 0 ? formula : formula.substring(0, note), metrics);
    }

    /** @return the same system without training curves (its logs are not read) */
    public EvalSystem withoutLogs() {
        return new EvalSystem(id, name, role, model, totalParameters, trainableParameters, formula, List.of());
    }
}
