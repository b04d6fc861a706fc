package calm.merge;

import java.util.List;
import java.util.Map;

/**
 * Everything one tensor's merge reads: the tensors of the models that take part, and each
 * parameter's value for this tensor.
 *
 * @param tensor the output tensor's name (in errors, and in the random seed of DARE's drop)
 * @param rowLength the length of the tensor's last axis (its whole size for a vector); model_stock's
 *     filter_wise reads it
 * @param base the base model's tensor, or null for methods without one
 * @param models the other models' tensors, in config order
 * @param modelParameters each model's per-model parameters (weight, density, ...), as models
 * @param parameters the whole merge's parameters (t, normalize, lambda, ...)
 * @param seed the seed of random drops, already distinct for this tensor
 * @param chunk how many elements one block holds (tests use tiny blocks to cross block edges)
 */
public record MergeInputs(
        String tensor,
        long rowLength,
        FloatSource base,
        List<FloatSource> models,
        List<Map<String, Object>> modelParameters,
        Map<String, Object> parameters,
        long seed,
        int chunk) {

    /** Elements per block: 4 MB of floats per input, small beside any real model. */
    public static final int CHUNK = 1 << 20;

    /** @return the number of elements of every input */
    public long size() {
        return (base != null ? base : models.get(0)).size();
    }

    /** @return a whole-merge number parameter */
    double number(String name) {
        return (Double) parameters.get(name);
    }

    /** @return a whole-merge true/false parameter */
    boolean flag(String name) {
        return (Boolean) parameters.get(name);
    }

    /** @return a per-model number parameter of model i */
    double number(int model, String name) {
        return (Double) modelParameters.get(model).get(name);
    }
}
