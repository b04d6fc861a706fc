package calm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;

/**
 * An affine map y = x W^T + b with W stored as [out, in], the layout of torch.nn.Linear, so that
 * one fused kernel computes matmul and bias.
 */
public final class Dense extends FixedShapeBlock {

    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param in input width
     * @param out output width
     * @param withBias whether to learn a bias (initialised to zero)
     * @param init the weight initializer
     */
    public Dense(int in, int out, boolean withBias, Initializer init) {
        weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(out, in), init);
        bias = withBias ? parameter("bias", Parameter.Type.BIAS, new Shape(out), Initializer.ZEROS) : null;
    }

    /** @return x W^T + b over the last axis of x */
    public NDArray apply(NDArray x) {
        return Linear.linear(x, weight.getArray(), bias == null ? null : bias.getArray()).singletonOrThrow();
    }

    /** @return the [out, in] weight */
    public Parameter weight() {
        return weight;
    }
}
