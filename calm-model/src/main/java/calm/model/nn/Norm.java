package calm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.Initializer;

/** LayerNorm over the last axis with a learned gain (ones) and bias (zeros). */
public final class Norm extends FixedShapeBlock {

    private final Parameter gain;
    private final Parameter bias;
    private final Shape normalized;
    private final float epsilon;

    /**
     * @param width size of the normalised last axis
     * @param epsilon added to the variance
     */
    public Norm(int width, double epsilon) {
        normalized = new Shape(width);
        this.epsilon = (float) epsilon;
        gain = parameter("weight", Parameter.Type.GAMMA, normalized, Initializer.ONES);
        bias = parameter("bias", Parameter.Type.BETA, normalized, Initializer.ZEROS);
    }

    /** @return x normalised over its last axis, scaled and shifted */
    public NDArray apply(NDArray x) {
        MatrixProducts.uses(gain.getArray());
        return LayerNorm.layerNorm(x, normalized, gain.getArray(), bias.getArray(), epsilon).singletonOrThrow();
    }
}
