package calm.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.initializer.NormalInitializer;
import calm.model.nn.Dense;
import calm.model.nn.FixedShapeBlock;

/** The gated MLP: down(silu(gate(x)) * up(x)), D -> mlpSize -> D, no biases. */
final class SwiGlu extends FixedShapeBlock {

    private final Dense gate;
    private final Dense up;
    private final Dense down;

    SwiGlu(LlamaConfig config) {
        NormalInitializer normal = new NormalInitializer(0.02f);
        gate = addChildBlock("gate", new Dense(config.hiddenSize(), config.mlpSize(), false, normal));
        up = addChildBlock("up", new Dense(config.hiddenSize(), config.mlpSize(), false, normal));
        down = addChildBlock("down", new Dense(config.mlpSize(), config.hiddenSize(), false, normal));
    }

    NDArray apply(NDArray x) {
        return down.apply(Activation.swish(gate.apply(x), 1f).mul(up.apply(x)));
    }
}
