package calm.train.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import calm.io.ModelFolder;
import calm.io.ParameterNames;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.train.Progress;
import calm.train.TrainableParameters;
import calm.train.TrainingConfig;
import calm.train.TrainingExample;
import calm.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ManagedExtension.class)
class LoraModelTest {

    private static final int VOCAB = 12;
    private static final List<String> GPT_PROJECTIONS = List.of("attn.qkv", "attn.proj", "mlp.fc", "mlp.proj");

    @TempDir
    Path folder;

    @Managed
    private NDManager manager;

    /** A GPT with D = 16, MLP 40, two layers. */
    private DecoderLM gpt(int seed) {
        DecoderLM model = new GptConfig(VOCAB, 16, 16, 2, 2, 40, true, GptConfig.Activation.GELU_TANH, 1e-5).newModel();
        Engine.getInstance().setRandomSeed(seed);
        model.initialize(manager, DataType.FLOAT32);
        return model;
    }

    private NDArray tokens() {
        return manager.create(new long[] {1, 4, 7, 3, 9, 2, 1, 5, 5, 8, 6, 10}, new Shape(2, 6));
    }

    @Test
    void untrainedAdaptersLeaveTheModelExactlyAsItWas() {
        DecoderLM anchor = gpt(1);
        float[] before = anchor.logits(Batch.of(tokens())).toFloatArray();
        LoraModel lora = LoraModel.attach(anchor, 3, GPT_PROJECTIONS, manager);
        assertArrayEquals(before, lora.logits(Batch.of(tokens())).toFloatArray(), "B = 0: B A x adds exactly nothing");
        assertTrue(lora.trainableParameters().size() > 0);
        assertTrue(anchor.trainableParameters().isEmpty(), "the base is frozen");
    }

    @Test
    void adaptersChangeTheOutputAndDetachingRestoresIt() {
        DecoderLM anchor = gpt(1);
        float[] before = anchor.logits(Batch.of(tokens())).toFloatArray();
        LoraModel lora = LoraModel.attach(anchor, 2, List.of("attn.proj"), manager);
        for (Map.Entry<String, Parameter> entry : ParameterNames.of(lora).entrySet()) {
            if (entry.getKey().endsWith(".b")) {
                entry.getValue().getArray().set(new float[(int) entry.getValue().getShape().size()]);
                entry.getValue().getArray().addi(0.5f);
            }
        }
        float[] adapted = lora.logits(Batch.of(tokens())).toFloatArray();
        assertFalse(java.util.Arrays.equals(before, adapted));
        lora.detach();
        assertArrayEquals(before, anchor.logits(Batch.of(tokens())).toFloatArray());
    }

    @Test
    void theParameterCountIsRankTimesInPlusOutOverTheTargets() {
        DecoderLM anchor = gpt(1);
        LoraModel lora = LoraModel.attach(anchor, 3, GPT_PROJECTIONS, manager);
        int d = 16;
        int m = 40;
        // Per layer: qkv (D -> 3D), attn.proj (D -> D), mlp.fc (D -> M), mlp.proj (M -> D).
        long perRank = 2 * ((d + 3 * d) + (d + d) + (d + m) + (m + d));
        assertEquals(2 * (8 * d + 2 * m), perRank);
        assertEquals(3 * perRank, lora.trainableParameterCount());
        assertEquals(perRank, LoraModel.parametersPerRank(LoraModel.targeted(anchor, GPT_PROJECTIONS)));
        assertEquals(List.of("layers.0.attn.qkv", "layers.0.attn.proj", "layers.0.mlp.fc", "layers.0.mlp.proj",
                "layers.1.attn.qkv", "layers.1.attn.proj", "layers.1.mlp.fc", "layers.1.mlp.proj"), lora.adaptedProjections());
        assertEquals(Map.of("layers.0.attn.qkv.a", new Shape(3, 16), "layers.0.attn.qkv.b", new Shape(48, 3)),
                shapes(lora, "layers.0.attn.qkv."));
        assertTrue(lora.trainableParameterFormula().endsWith("= 3 x " + perRank + " = " + 3 * perRank),
                lora.trainableParameterFormula());
    }

    @Test
    void theMatchingRankIsTheClosestCount() {
        assertEquals(10, LoraModel.matchingRank(8192, 82048), "82048 / 8192 = 10.02");
        assertEquals(11, LoraModel.matchingRank(100, 1051));
        assertEquals(10, LoraModel.matchingRank(100, 1049));
        assertEquals(1, LoraModel.matchingRank(1000, 10), "at least rank 1");
        for (long target = 1; target < 2000; target += 37) {
            int rank = LoraModel.matchingRank(64, target);
            for (int other = 1; other < 40; other++) {
                assertTrue(Math.abs(rank * 64L - target) <= Math.abs(other * 64L - target), target + ": " + rank + " vs " + other);
            }
        }
    }

    @Test
    void trainingChangesOnlyTheAdapters() throws IOException {
        DecoderLM anchor = gpt(1);
        Map<String, float[]> base = snapshot(ParameterNames.of(anchor));
        LoraModel lora = LoraModel.attach(anchor, 2, GPT_PROJECTIONS, manager);
        Map<String, Parameter> adapters = TrainableParameters.of(lora);
        assertEquals(ParameterNames.of(lora).keySet(), adapters.keySet(), "stable names key the optimizer and checkpoints");
        Map<String, float[]> start = snapshot(adapters);
        TrainingLoop.builder(lora).name("lora").examples(examples(12)).config(config()).folder(folder.resolve("job"))
                .progress(Progress.logLines(100)).build().run(manager, false);
        snapshot(ParameterNames.of(anchor)).forEach((name, values) -> assertArrayEquals(base.get(name), values, name));
        Map<String, float[]> end = snapshot(adapters);
        for (String name : adapters.keySet()) {
            assertFalse(java.util.Arrays.equals(start.get(name), end.get(name)), name + " trained");
        }
    }

    @Test
    void savedAdaptersLoadToTheSameLogitsAndOnlyOnTheirBase() throws IOException {
        DecoderLM anchor = gpt(1);
        Path anchorFolder = folder.resolve("model-b");
        ModelFolder.save(anchor, anchorFolder, null);
        LoraModel lora = LoraModel.attach(anchor, 2, GPT_PROJECTIONS, manager);
        ParameterNames.of(lora).forEach((name, parameter) -> parameter.getArray().addi(0.01f));
        float[] expected = lora.logits(Batch.of(tokens())).toFloatArray();
        LoraFolder.save(lora, folder.resolve("lora-b"), anchorFolder, Map.of("job", "lora-b"));

        LoraModel loaded = LoraFolder.load(folder.resolve("lora-b"), manager);
        assertEquals(2, loaded.rank());
        assertArrayEquals(expected, loaded.logits(Batch.of(tokens())).toFloatArray(), 1e-6f);

        ModelFolder.save(gpt(2), anchorFolder, null);
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> LoraFolder.load(folder.resolve("lora-b"), manager));
        assertTrue(other.getMessage().contains("is not the model these adapters were trained on"), other.getMessage());
    }

    @Test
    void aTargetThatMatchesNothingIsNamedWithTheProjectionsThereAre() {
        DecoderLM anchor = gpt(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoraModel.attach(anchor, 2, List.of("attn.q"), manager));
        assertEquals("the LoRA target 'attn.q' matches no projection of the model; its projections are "
                + "[attn.qkv, attn.proj, mlp.fc, mlp.proj]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoraModel.attach(anchor, 0, GPT_PROJECTIONS, manager));
        assertTrue(Files.notExists(folder.resolve("anything")));
    }

    private static Map<String, Shape> shapes(LoraModel lora, String prefix) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        ParameterNames.of(lora).forEach((name, parameter) -> {
            if (name.startsWith(prefix)) {
                shapes.put(name, parameter.getShape());
            }
        });
        return shapes;
    }

    private static Map<String, float[]> snapshot(Map<String, Parameter> parameters) {
        Map<String, float[]> values = new LinkedHashMap<>();
        parameters.forEach((name, p) -> values.put(name, p.getArray().toFloatArray()));
        return values;
    }

    private static List<TrainingExample> examples(int count) {
        Random random = new Random(5);
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int first = 3 + random.nextInt(VOCAB - 3);
            examples.add(new TrainingExample(new int[] {1, first, 3 + random.nextInt(VOCAB - 3)},
                    new int[] {3 + (first + 1) % (VOCAB - 3), 2}));
        }
        return examples;
    }

    private static TrainingConfig config() {
        return TrainingConfig.builder().steps(4).batchSize(4).learningRate(1e-2).minLearningRate(1e-3).warmupSteps(1)
                .weightDecay(0.0).evalInterval(0).evalExamples(0).checkpointInterval(0).logInterval(1).seed(7).build();
    }
}
