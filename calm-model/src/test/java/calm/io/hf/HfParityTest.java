package calm.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import calm.generate.DecodingConfig;
import calm.generate.Generator;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.HiddenStates;
import calm.model.Window;
import calm.model.gpt.GptConfig;
import calm.model.llama.LlamaConfig;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Loaded fixtures against the outputs transformers computed for them (src/test/resources/hf,
 * README.md there): every hidden state, the final norm, the logits and greedy decoding.
 */
@ExtendWith(ManagedExtension.class)
class HfParityTest {

    private static final float TOLERANCE = 1e-4f;
    @Managed
    private NDManager manager;

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "llama-tiny-sharded", "llama-tiny-bf16", "llama-tiny-f16", "qwen2-tiny"})
    void hiddenStatesFinalNormAndLogitsMatchTransformers(String name) throws Exception {
        Path folder = Tiny.fixture(name);
        DecoderLM model = HfFolder.load(folder, manager);
        try (SafetensorsFile reference = SafetensorsFile.open(folder.resolve("reference.safetensors"))) {
            NDArray ids = reference.read("input_ids", manager);
            int layers = model.numLayers();
            HiddenStates states = HiddenStates.all(layers);
            NDArray logits = model.logits(Window.full(ids, null), null, states);
            for (int k = 0; k < layers; k++) {
                assertClose(reference.read("hidden_states." + k, manager), states.get(k), name + " hidden_states." + k);
            }
            assertClose(reference.read("final_layer_prenorm", manager), states.get(layers), name + " layer " + layers);
            assertClose(reference.read("hidden_states." + layers, manager), model.finalNorm(states.get(layers)),
                    name + " final norm");
            assertClose(reference.read("logits", manager), logits, name + " logits");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "llama-tiny-sharded", "llama-tiny-bf16", "llama-tiny-f16", "qwen2-tiny"})
    void greedyGenerationGivesTransformersTokens(String name) throws Exception {
        Path folder = Tiny.fixture(name);
        DecoderLM model = HfFolder.load(folder, manager);
        try (SafetensorsFile reference = SafetensorsFile.open(folder.resolve("reference.safetensors"))) {
            long[] ids = reference.read("input_ids", manager).toLongArray();
            long[] greedy = reference.read("greedy_ids", manager).toLongArray();
            List<int[]> prompts = new ArrayList<>();
            for (int row = 0; row < 2; row++) {
                int[] prompt = new int[12];
                for (int i = 0; i < 12; i++) {
                    prompt[i] = (int) ids[row * 12 + i];
                }
                prompts.add(prompt);
            }
            List<Generator.Output> outputs = Generator.generate(model, prompts, DecodingConfig.greedy(8, -1), manager);
            for (int row = 0; row < 2; row++) {
                int[] expected = new int[8];
                for (int i = 0; i < 8; i++) {
                    expected[i] = (int) greedy[row * 20 + 12 + i];
                }
                assertArrayEquals(expected, outputs.get(row).tokens(), name + " row " + row);
            }
        }
    }

    @Test
    void configsMapToTheRightFamilies() throws Exception {
        GptConfig gpt = (GptConfig) HfFolder.readConfig(Tiny.fixture("gpt2-tiny"));
        assertEquals(new GptConfig(320, 64, 32, 2, 4, 128, true, GptConfig.Activation.GELU_TANH, 1e-5), gpt);
        LlamaConfig llama = (LlamaConfig) HfFolder.readConfig(Tiny.fixture("llama-tiny"));
        assertEquals(new LlamaConfig(384, 64, 32, 2, 4, 2, 8, 64, 10000, 1e-6, false, false), llama);
        LlamaConfig qwen = (LlamaConfig) HfFolder.readConfig(Tiny.fixture("qwen2-tiny"));
        assertEquals(new LlamaConfig(320, 64, 32, 2, 4, 2, 8, 64, 1000000, 1e-6, true, true), qwen);
    }

    @Test
    void cachedDecodingOfALoadedLlamaEqualsItsFullForwardWithLeftPadding() throws Exception {
        for (String name : List.of("llama-tiny", "qwen2-tiny")) {
            DecoderLM model = HfFolder.load(Tiny.fixture(name), manager);
            int padding = 5;
            int prompt = 9;
            int total = 60;
            NDArray real = Tiny.tokens(manager, model.vocabSize(), 2, total - padding, 7);
            // Row 0 is left-padded by 5 columns, row 1 is not padded.
            NDArray tokens = manager.zeros(new ai.djl.ndarray.types.Shape(2, total), real.getDataType());
            tokens.set(new NDIndex("0, {}:", padding), real.get("0"));
            tokens.set(new NDIndex("1, :{}", total - padding), real.get("1"));
            tokens.set(new NDIndex("1, {}:", total - padding), real.get(new NDIndex("1, :{}", padding)));
            float[] maskValues = new float[2 * total];
            for (int i = 0; i < total; i++) {
                maskValues[i] = i < padding ? 0 : 1;
                maskValues[total + i] = 1;
            }
            NDArray mask = manager.create(maskValues, new ai.djl.ndarray.types.Shape(2, total));
            NDArray full = model.logits(new Batch(tokens, mask, null));
            try (var decoding = model.startDecoding(tokens.get(new NDIndex(":, :{}", prompt)),
                    mask.get(new NDIndex(":, :{}", prompt)), total)) {
                for (int column = prompt - 1; column < total; column++) {
                    float difference = Tiny.maxDifference(decoding.lastLogits(), full.get(new NDIndex(":, {}, :", column)));
                    assertTrue(difference <= TOLERANCE, name + " column " + column + " differs by " + difference);
                    if (column + 1 < total) {
                        decoding.feed(tokens.get(new NDIndex(":, {}:{}", column + 1, column + 2)));
                    }
                }
            }
            NDArray unpadded = model.logits(Batch.of(real.get("0:1")));
            assertClose(unpadded, full.get(new NDIndex("0:1, {}:", padding)), name + " left padding");
        }
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        assertEquals(expected.getShape(), actual.getShape(), what);
        float difference = Tiny.maxDifference(expected, actual);
        assertTrue(difference <= TOLERANCE, what + " differs by " + difference);
    }
}
