package calm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;

/**
 * An affine map y = x W^T + b with W stored as [out, in], the layout of torch.nn.Linear, so that
 * one fused kernel computes matmul and bias.
 *
 * <p>An {@link Adapter} may add a term computed from the same input (a low-rank update, for
 * example): code outside the model reaches into a layer's projections this way, as composition
 * reaches into the residual stream through layer hooks, without the model knowing what it is.
 */
public final class Dense extends FixedShapeBlock {

    private final Parameter weight;
    private final Parameter bias;
    private Adapter adapter;

    /** A term added to a Dense's output, computed from its input. */
    @FunctionalInterface
    public interface Adapter {
        /**
         * @param input what the Dense reads, [..., in]
         * @return the term to add to x W^T + b, [..., out]
         */
        NDArray apply(NDArray input);
    }

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

    /** @return x W^T + b over the last axis of x, plus the adapter's term when one is set */
    public NDArray apply(NDArray x) {
        MatrixProducts.linear(x, weight.getArray());
        NDArray y = Linear.linear(x, weight.getArray(), bias == null ? null : bias.getArray()).singletonOrThrow();
        return adapter == null ? y : y.add(adapter.apply(x));
    }

    /** Sets the adapter whose term is added to every output from now on; null removes it. */
    public void setAdapter(Adapter adapter) {
        this.adapter = adapter;
    }

    /** @return the input width */
    public int inputSize() {
        return (int) weight.getShape().get(1);
    }

    /** @return the output width */
    public int outputSize() {
        return (int) weight.getShape().get(0);
    }

    /** @return the [out, in] weight */
    public Parameter weight() {
        return weight;
    }
}
