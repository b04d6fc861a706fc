package calm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/** RMSNorm over the last axis: x / sqrt(mean(x^2) + epsilon) * g, with a learned gain g (ones). */
public final class RmsNorm extends FixedShapeBlock {

    private final Parameter gain;
    private final float epsilon;

    /**
     * @param width size of the normalised last axis
     * @param epsilon added to the mean square
     */
    public RmsNorm(int width, double epsilon) {
        this.epsilon = (float) epsilon;
        gain = parameter("weight", Parameter.Type.GAMMA, new Shape(width), Initializer.ONES);
    }

    /** @return x divided by its root mean square over the last axis, then scaled */
    public NDArray apply(NDArray x) {
        MatrixProducts.uses(gain.getArray());
        int last = x.getShape().dimension() - 1;
        // addi is safe: mean saves nothing for backward; sqrt's output, which it saves, is not touched.
        NDArray rms = x.square().mean(new int[] {last}, true).addi(epsilon).sqrt();
        return x.div(rms).mul(gain.getArray());
    }
}
