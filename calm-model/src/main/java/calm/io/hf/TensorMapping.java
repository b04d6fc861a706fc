package calm.io.hf;

import ai.djl.ndarray.types.Shape;

/**
 * Where one checkpoint tensor goes in one of this project's parameters.
 *
 * @param source the checkpoint's name, e.g. {@code model.layers.0.self_attn.k_proj.weight}
 * @param sourceShape the shape the checkpoint must store, derived from the config
 * @param target the parameter's dotted name, e.g. {@code layers.0.attn.qkv.weight}
 * @param rowOffset the first row of the target the source fills (fused projections); 0 otherwise
 * @param transposed whether the target holds the transpose of the [in, out] source (GPT-2's Conv1D)
 */
public record TensorMapping(String source, Shape sourceShape, String target, long rowOffset, boolean transposed) {

    /** The source is the whole target, as stored. */
    public static TensorMapping copy(String source, Shape shape, String target) {
        return new TensorMapping(source, shape, target, 0, false);
    }

    /** The target is the transpose of a 2-D source. */
    public static TensorMapping transpose(String source, Shape shape, String target) {
        return new TensorMapping(source, shape, target, 0, true);
    }

    /** The source fills the target's leading-axis rows [rowOffset, rowOffset + rows). */
    public static TensorMapping rows(String source, Shape shape, String target, long rowOffset) {
        return new TensorMapping(source, shape, target, rowOffset, false);
    }

    /** @return the shape of the part of the target the source fills */
    public Shape targetShape() {
        return transposed ? new Shape(sourceShape.get(1), sourceShape.get(0)) : sourceShape;
    }
}
