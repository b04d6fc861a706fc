package calm.train.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import calm.model.nn.Dense;
import calm.model.nn.FixedShapeBlock;
import calm.model.nn.MatrixProducts;

/**
 * The low-rank term of one projection: {@code B A x} with {@code A [r, in]} drawn from
 * N(0, 1/in) and {@code B [out, r]} zero, so an untrained adapter adds exactly nothing. There is
 * no alpha / r factor: under AdamW a constant factor on the term only rescales the effective
 * learning rate of B at the start.
 */
final class LoraAdapter extends FixedShapeBlock implements Dense.Adapter {

    private final Parameter down;
    private final Parameter up;

    LoraAdapter(int in, int out, int rank) {
        down = parameter("a", Parameter.Type.WEIGHT, new Shape(rank, in), new NormalInitializer((float) (1 / Math.sqrt(in))));
        up = parameter("b", Parameter.Type.WEIGHT, new Shape(out, rank), Initializer.ZEROS);
    }

    @Override
    public NDArray apply(NDArray input) {
        MatrixProducts.linear(input, down.getArray());
        NDArray reduced = Linear.linear(input, down.getArray()).singletonOrThrow();
        MatrixProducts.linear(reduced, up.getArray());
        return Linear.linear(reduced, up.getArray()).singletonOrThrow();
    }
}
