package calm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import calm.io.ModelFolder;
import calm.io.ParameterNames;
import calm.model.llama.LlamaConfig;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ManagedExtension.class)
class LlamaTest {

    private static final int VOCAB = 37;
    @Managed
    private NDManager manager;
    private DecoderLM model;

    @BeforeEach
    void setUp() {
        model = Tiny.llama(manager, VOCAB, 32, 3, 4, 2, true, 11);
    }

    @Test
    void logitsHaveOneRowPerTokenAndVary() {
        NDArray logits = model.logits(Batch.of(Tiny.tokens(manager, VOCAB, 2, 9, 1)));
        assertEquals(new Shape(2, 9, VOCAB), logits.getShape());
        float spread = logits.max().getFloat() - logits.min().getFloat();
        assertTrue(spread > 0.5f, "logits should not be flat, spread " + spread);
    }

    @Test
    void changingLaterTokensLeavesEarlierLogitsUnchanged() {
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 20, 2);
        NDArray changed = tokens.duplicate();
        int t = 8;
        changed.set(new NDIndex(":, {}:", t + 1), Tiny.tokens(manager, VOCAB, 2, 20 - t - 1, 3));
        NDArray before = model.logits(Batch.of(tokens));
        NDArray after = model.logits(Batch.of(changed));
        NDIndex upToT = new NDIndex(":, :{}", t + 1);
        assertTrue(Tiny.maxDifference(before.get(upToT), after.get(upToT)) <= 1e-6f);
        NDIndex rest = new NDIndex(":, {}:", t + 1);
        assertTrue(Tiny.maxDifference(before.get(rest), after.get(rest)) > 1e-3f);
    }

    @Test
    void cachedDecodingEqualsFullForwardFor64Steps() {
        int prompt = 6;
        int steps = 70;
        NDArray tokens = Tiny.tokens(manager, VOCAB, 3, prompt + steps, 4);
        NDArray full = model.logits(Batch.of(tokens));
        try (Decoding decoding = model.startDecoding(tokens.get(new NDIndex(":, :{}", prompt)), null, prompt + steps)) {
            for (int step = 0; step <= steps; step++) {
                int column = prompt + step - 1;
                float difference = Tiny.maxDifference(decoding.lastLogits(), full.get(new NDIndex(":, {}, :", column)));
                assertTrue(difference <= 1e-4f, "step " + step + " differs by " + difference);
                if (step < steps) {
                    decoding.feed(tokens.get(new NDIndex(":, {}:{}", column + 1, column + 2)));
                }
            }
        }
    }

    @Test
    void cachedDecodingOfALeftPaddedBatchEqualsEachRowAlone() {
        int steps = 66;
        NDArray longRow = Tiny.tokens(manager, VOCAB, 1, 7 + steps, 5);
        NDArray shortRow = Tiny.tokens(manager, VOCAB, 1, 3 + steps, 6);
        NDArray prompts = NDArrays.concat(new NDList(longRow.get(":, :7"),
                NDArrays.concat(new NDList(manager.zeros(new Shape(1, 4), longRow.getDataType()), shortRow.get(":, :3")), 1)), 0);
        NDArray mask = manager.create(new float[] {1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1}, new Shape(2, 7));
        NDArray aloneLong = model.logits(Batch.of(longRow));
        NDArray aloneShort = model.logits(Batch.of(shortRow));
        try (Decoding decoding = model.startDecoding(prompts, mask, 7 + steps)) {
            for (int step = 0; step <= steps; step++) {
                NDArray expected = NDArrays.concat(new NDList(
                        aloneLong.get(new NDIndex(":, {}, :", 6 + step)), aloneShort.get(new NDIndex(":, {}, :", 2 + step))), 0);
                float difference = Tiny.maxDifference(decoding.lastLogits(), expected);
                assertTrue(difference <= 1e-4f, "step " + step + " differs by " + difference);
                if (step < steps) {
                    decoding.feed(NDArrays.concat(new NDList(
                            longRow.get(new NDIndex(":, {}:{}", 7 + step, 8 + step)),
                            shortRow.get(new NDIndex(":, {}:{}", 3 + step, 4 + step))), 0));
                }
            }
        }
    }

    @Test
    void hookStatesEqualLayerByLayerRecomputation() {
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 12, 6);
        Window window = Window.full(tokens, null);
        HiddenStates states = HiddenStates.all(model.numLayers());
        NDArray logits = model.logits(window, null, states);
        for (int layer = 0; layer <= model.numLayers(); layer++) {
            NDArray recomputed = model.hidden(window, null, LayerHook.NONE, layer);
            assertArrayEquals(recomputed.toFloatArray(), states.get(layer).toFloatArray(), "layer " + layer);
        }
        assertTrue(Tiny.maxDifference(states.get(1), states.get(2)) > 1e-3f);
        assertThrows(IllegalArgumentException.class, () -> model.hidden(window, null, LayerHook.NONE, 4));
        NDArray normed = model.finalNorm(states.get(3));
        NDArray rms = states.get(3).square().mean(new int[] {2}, true).add(1e-6f).sqrt();
        NDArray gain = ParameterNames.of(model).get("norm.weight").getArray();
        assertTrue(Tiny.maxDifference(states.get(3).div(rms).mul(gain), normed) <= 1e-6f);
        assertEquals(new Shape(2, 12, VOCAB), logits.getShape());
    }

    @Test
    void addingThroughAHookChangesWhatTheNextLayerReads() {
        NDArray tokens = Tiny.tokens(manager, VOCAB, 1, 5, 8);
        Window window = Window.full(tokens, null);
        NDArray plain = model.logits(window, null, LayerHook.NONE);
        assertArrayEquals(plain.toFloatArray(),
                model.logits(window, null, LayerHook.adding(2, manager.zeros(new Shape(1, 5, 32)))).toFloatArray());
        HiddenStates before = HiddenStates.all(model.numLayers());
        model.logits(window, null, before);
        HiddenStates shifted = HiddenStates.all(model.numLayers());
        NDArray delta = manager.ones(new Shape(1, 5, 32));
        model.logits(window, null, LayerHook.adding(1, delta).then(shifted));
        assertTrue(Tiny.maxDifference(before.get(1).add(delta), shifted.get(1)) == 0f);
        assertTrue(Tiny.maxDifference(before.get(2), shifted.get(2)) > 1e-3f);
    }

    @Test
    void groupedQueryAttentionEqualsMultiHeadAttentionWithEachKeyValueHeadRepeated() {
        // 4 query heads over 2 key/value heads, against 4 heads whose K and V rows repeat heads 0, 0, 1, 1.
        DecoderLM grouped = Tiny.llama(manager, VOCAB, 32, 2, 4, 2, true, 12);
        DecoderLM full = Tiny.llama(manager, VOCAB, 32, 2, 4, 4, true, 13);
        Map<String, Parameter> from = ParameterNames.of(grouped);
        Map<String, Parameter> to = ParameterNames.of(full);
        for (Map.Entry<String, Parameter> entry : to.entrySet()) {
            NDArray source = from.get(entry.getKey()).getArray();
            NDArray value = source;
            if (entry.getKey().contains("attn.qkv")) {
                // Rows of qkv: q heads 0..3, k heads 0..1, v heads 0..1 (8 rows each).
                NDList heads = new NDList(source.get("0:32"));
                for (int kind = 0; kind < 2; kind++) {
                    for (int head : new int[] {0, 0, 1, 1}) {
                        int row = 32 + kind * 16 + head * 8;
                        heads.add(source.get(new NDIndex("{}:{}", row, row + 8)));
                    }
                }
                value = NDArrays.concat(heads, 0);
            }
            entry.getValue().getArray().set(value.toFloatArray());
        }
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 10, 9);
        float difference = Tiny.maxDifference(grouped.logits(Batch.of(tokens)), full.logits(Batch.of(tokens)));
        assertTrue(difference <= 1e-5f, "differs by " + difference);
    }

    @Test
    void leftPaddedPromptGivesTheSameLogitsAsTheUnpaddedOne() {
        NDArray row = Tiny.tokens(manager, VOCAB, 1, 7, 5);
        NDArray padded = manager.zeros(new Shape(1, 10), row.getDataType());
        padded.set(new NDIndex(":, 3:"), row);
        NDArray mask = manager.create(new float[] {0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, new Shape(1, 10));
        NDArray plain = model.logits(Batch.of(row));
        NDArray withPadding = model.logits(new Batch(padded, mask, null)).get(new NDIndex(":, 3:"));
        assertTrue(Tiny.maxDifference(plain, withPadding) <= 1e-5f);
    }

    @Test
    void parameterNamesAndCountFollowTheConfig() {
        LlamaConfig config = new LlamaConfig(11, 16, 8, 1, 2, 1, 4, 12, 10000, 1e-6, true, true);
        DecoderLM small = Tiny.initialise(config.newModel(), manager, 1);
        assertEquals(List.of("embed.weight", "layers.0.norm1.weight", "layers.0.attn.qkv.weight", "layers.0.attn.qkv.bias",
                        "layers.0.attn.proj.weight", "layers.0.norm2.weight", "layers.0.mlp.gate.weight",
                        "layers.0.mlp.up.weight", "layers.0.mlp.down.weight", "norm.weight"),
                List.copyOf(ParameterNames.of(small).keySet()));
        assertEquals(new Shape(16, 8), ParameterNames.of(small).get("layers.0.attn.qkv.weight").getShape());
        // embed 88 + three norms 24 + qkv 128 + 16 + proj 64 + MLP 3 x 96 = 608.
        assertEquals(608, small.parameterCount());
    }

    @Test
    void saveThenLoadKeepsTheFamilyAndTheLogits(@TempDir Path folder) throws Exception {
        ModelFolder.save(model, folder.resolve("m"), null);
        assertTrue(java.nio.file.Files.readString(folder.resolve("m/config.json")).contains("\"family\" : \"llama\""));
        DecoderLM loaded = ModelFolder.load(folder.resolve("m"), manager);
        assertEquals(model.config(), loaded.config());
        NDArray tokens = Tiny.tokens(manager, VOCAB, 2, 10, 1);
        assertArrayEquals(model.logits(Batch.of(tokens)).toFloatArray(), loaded.logits(Batch.of(tokens)).toFloatArray());
    }

    @Test
    void invalidConfigsNameTheField() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new LlamaConfig(11, 16, 8, 1, 3, 2, 4, 12, 10000, 1e-6, false, false));
        assertTrue(error.getMessage().contains("numHeads (3) must be a multiple of numKeyValueHeads (2)"), error.getMessage());
        error = assertThrows(IllegalArgumentException.class,
                () -> new LlamaConfig(11, 16, 8, 1, 2, 2, 5, 12, 10000, 1e-6, false, false));
        assertTrue(error.getMessage().contains("headSize must be even"), error.getMessage());
    }
}
