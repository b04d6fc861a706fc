package calm.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.ndarray.index.NDIndex;
import calm.model.DecoderLM;
import calm.model.Decoding;
import calm.model.LanguageModel;
import calm.model.gpt.GptConfig;
import calm.model.llama.LlamaConfig;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Random;

/** Small models and inputs for tests. */
public final class Tiny {

    private Tiny() {}

    /**
     * A GPT with weights drawn N(0, 0.1), larger than GPT-2's 0.02, so that activations and logits
     * vary enough for equality tests to mean something.
     */
    public static DecoderLM gpt(NDManager manager, int vocab, int width, int layers, int heads, long seed) {
        GptConfig config = new GptConfig(vocab, 160, width, layers, heads, 2 * width, true, GptConfig.Activation.GELU_TANH, 1e-5);
        return initialise(config.newModel(), manager, seed);
    }

    /**
     * A Llama with weights drawn N(0, 0.1), context 160, MLP 2 D, theta 10000, untied, with or
     * without q/k/v biases (drawn too, so they matter).
     */
    public static DecoderLM llama(NDManager manager, int vocab, int width, int layers, int heads, int kvHeads, boolean qkvBias, long seed) {
        LlamaConfig config = new LlamaConfig(vocab, 160, width, layers, heads, kvHeads, width / heads, 2 * width,
                10000, 1e-6, qkvBias, false);
        DecoderLM model = config.newModel();
        Engine.getInstance().setRandomSeed((int) seed);
        model.setInitializer(new NormalInitializer(0.1f), parameter ->
                parameter.getType() == Parameter.Type.WEIGHT || parameter.getType() == Parameter.Type.BIAS);
        model.initialize(manager, DataType.FLOAT32);
        return model;
    }

    /** @return the folder of a Hugging Face fixture under src/test/resources/hf (see its README) */
    public static Path fixture(String name) {
        URL url = Tiny.class.getResource("/hf/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture hf/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Initialises a model from a seed with N(0, 0.1) weights. */
    public static DecoderLM initialise(DecoderLM model, NDManager manager, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        model.setInitializer(new NormalInitializer(0.1f), Parameter.Type.WEIGHT);
        model.initialize(manager, DataType.FLOAT32);
        return model;
    }

    /** Random token ids in [1, vocab), [batch, length]. */
    public static NDArray tokens(NDManager manager, int vocab, int batch, int length, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[batch * length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + random.nextInt(vocab - 1);
        }
        return manager.create(ids, new Shape(batch, length));
    }

    /**
     * Feeds {@code tokens} after a prompt of {@code prompt} columns one token at a time and checks
     * that the decoding's logits at every column equal {@code full}, the logits of one full pass.
     */
    public static void assertCachedMatchesFull(LanguageModel model, NDArray tokens, int prompt, NDArray full) {
        int total = (int) tokens.getShape().get(1);
        try (Decoding decoding = model.startDecoding(tokens.get(new NDIndex(":, :{}", prompt)), null, total)) {
            for (int column = prompt - 1; column < total; column++) {
                float difference = maxDifference(decoding.lastLogits(), full.get(new NDIndex(":, {}, :", column)));
                if (!(difference <= 1e-4f)) {
                    throw new AssertionError("column " + column + " differs by " + difference);
                }
                if (column + 1 < total) {
                    decoding.feed(tokens.get(new NDIndex(":, {}:{}", column + 1, column + 2)));
                }
            }
        }
    }

    /** The largest absolute difference between two arrays of the same shape. */
    public static float maxDifference(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }
}
