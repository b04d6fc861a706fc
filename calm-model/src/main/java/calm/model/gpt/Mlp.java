package calm.model.gpt;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.initializer.NormalInitializer;
import calm.model.nn.Dense;
import calm.model.nn.FixedShapeBlock;
import calm.model.nn.Scalar;

/** The position-wise MLP: D -> mlpSize -> D with a GELU between (GPT-2's c_fc, c_proj). */
final class Mlp extends FixedShapeBlock {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    private final Dense fc;
    private final Dense proj;
    private final GptConfig.Activation activation;

    Mlp(GptConfig config) {
        fc = addChildBlock("fc", new Dense(config.hiddenSize(), config.mlpSize(), true, new NormalInitializer(0.02f)));
        float projStd = (float) (0.02 / Math.sqrt(2.0 * config.numLayers()));
        proj = addChildBlock("proj", new Dense(config.mlpSize(), config.hiddenSize(), true, new NormalInitializer(projStd)));
        activation = config.activation();
    }

    NDArray apply(NDArray x) {
        NDArray h = fc.apply(x);
        NDArray activated = switch (activation) {
            case GELU -> Activation.gelu(h);
            case GELU_TANH -> geluTanh(h);
        };
        return proj.apply(activated);
    }

    /** In-place steps only where autograd saves nothing they overwrite (tanh keeps its output). */
    private static NDArray geluTanh(NDArray x) {
        NDArray inner = x.mul(x).mul(x).muli(Scalar.like(x, 0.044715f)).addi(x).muli(Scalar.like(x, SQRT_2_OVER_PI));
        return inner.tanh().add(1f).mul(x).muli(Scalar.like(x, 0.5f));
    }
}
