package calm.train;

import ai.djl.ndarray.NDManager;
import calm.model.LanguageModel;
import java.util.Map;

/**
 * What the training loop calls periodically to measure the model on held-out data. It runs
 * without gradients and must leave the model unchanged.
 */
@FunctionalInterface
public interface Evaluation {

    /**
     * @param model the model being trained
     * @param manager a scratch manager, closed after the call
     * @return metrics by name, e.g. {@code eval-kv-substitution.loss}; reported in order
     */
    Map<String, Double> evaluate(LanguageModel model, NDManager manager);

    /**
     * The same, told which update the model has just made (the training loop calls this one).
     *
     * @param step the updates made so far
     */
    default Map<String, Double> evaluate(int step, LanguageModel model, NDManager manager) {
        return evaluate(model, manager);
    }
}
