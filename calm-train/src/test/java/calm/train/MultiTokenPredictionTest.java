package calm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import calm.compose.ComposedModel;
import calm.io.ModelFolder;
import calm.io.ParameterNames;
import calm.io.hf.SafetensorsFile;
import calm.train.checkpoint.Checkpoint;
import calm.model.DecoderLM;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ManagedExtension.class)
class MultiTokenPredictionTest {

    @TempDir
    Path folder;

    @Managed
    private NDManager manager;

    @Test
    void theLossSumsEachHeadsCrossEntropyOverTheCompletionTokensItCanSee() {
        DecoderLM model = TinyTraining.gpt(manager, 3);
        List<TrainingExample> examples = TinyTraining.examples(6, 5);
        TrainingBatch batch = TrainingBatch.of(examples, 0, model.contextLength(), manager);
        int targets = batch.targetTokens();
        // The heads start at zero, so head k reads the next-token logits of column t against token t + k.
        float[][][] logProbabilities = logSoftmax(model.logits(batch.batch()));
        long[] labels = batch.labels().toLongArray();
        float[] mask = batch.lossMask().toFloatArray();
        int columns = (int) batch.labels().getShape().get(1);
        for (int tokens = 1; tokens <= 4; tokens++) {
            double expected = 0;
            for (int row = 0; row < examples.size(); row++) {
                for (int column = 0; column < columns; column++) {
                    for (int k = 1; k <= tokens && column + k - 1 < columns; k++) {
                        int label = row * columns + column + k - 1;
                        expected -= mask[label] * logProbabilities[row][column][(int) labels[label]];
                    }
                }
            }
            expected /= targets;
            double actual = tokens == 1 ? NextTokenLoss.per(model.logits(batch.batch()), batch, targets).getFloat()
                    : new MultiTokenPrediction(model, tokens, manager).loss(batch, targets).getFloat();
            assertEquals(expected, actual, 1e-4, tokens + " tokens");
        }
    }

    @Test
    void everyHeadGetsAGradientAndTheHeadsAreNamedByTheTokenTheyPredict() {
        DecoderLM model = TinyTraining.gpt(manager, 3);
        MultiTokenPrediction objective = new MultiTokenPrediction(model, 3, manager);
        Map<String, Parameter> named = TrainableParameters.of(objective);
        assertEquals(ParameterNames.of(model).keySet(), named.keySet().stream()
                .filter(name -> !name.startsWith(MultiTokenPrediction.PREFIX)).collect(java.util.stream.Collectors.toSet()));
        assertEquals(List.of("mtp.t2.weight", "mtp.t3.weight"),
                named.keySet().stream().filter(name -> name.startsWith(MultiTokenPrediction.PREFIX)).toList());
        TrainingBatch batch = TrainingBatch.of(TinyTraining.examples(6, 5), 0, model.contextLength(), manager);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(objective.loss(batch, batch.targetTokens()));
        }
        for (String head : List.of("mtp.t2.weight", "mtp.t3.weight")) {
            assertTrue(named.get(head).getArray().getGradient().abs().sum().getFloat() > 0, head);
        }
    }

    @Test
    void onlyADecoderTrainedWholeTakesHeadsAndTheRangeIsChecked() {
        DecoderLM anchor = TinyTraining.gpt(manager, 11);
        DecoderLM augmenting = TinyTraining.gpt(manager, 12);
        anchor.freeze();
        augmenting.freeze();
        ComposedModel composed = ComposedModel.builder(anchor).augment(augmenting).build(manager);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> MultiTokenPrediction.of(composed, 2, manager));
        assertTrue(error.getMessage().contains("needs a decoder trained whole"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MultiTokenPrediction(anchor, 1, manager));
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> TinyTraining.config().withPredictTokens(MultiTokenPrediction.MAX_TOKENS + 1));
        assertEquals("predictTokens must be in [1, 16], got 17", range.getMessage());
    }

    private Map<String, float[]> train(Path job, TrainingConfig config, boolean resume,
            BiFunction<Integer, NDArray, NDArray> hook) throws IOException {
        return TinyTraining.trainGpt(manager, job, config, resume, hook);
    }

    @Test
    void aJobWithHeadsTrainsAnotherModelAndResumesToTheSameParameters() throws IOException {
        TrainingConfig config = TinyTraining.config().withPredictTokens(3);
        Map<String, float[]> uninterrupted = train(folder.resolve("whole"), config, false, null);
        Map<String, float[]> nextTokenOnly = train(folder.resolve("plain"), TinyTraining.config(), false, null);
        // Only the decoder's own parameters are returned: the heads stay with the job.
        assertEquals(nextTokenOnly.keySet(), uninterrupted.keySet());
        assertFalse(Arrays.equals(nextTokenOnly.get("wte.weight"), uninterrupted.get("wte.weight")));
        Path job = folder.resolve("killed");
        assertThrows(IllegalStateException.class, () -> train(job, config, false, TinyTraining.killedAt(5)));
        Map<String, float[]> resumed = train(job, config, true, null);
        uninterrupted.forEach((name, values) -> assertArrayEquals(values, resumed.get(name), name));
        // The checkpoint holds the heads: resuming without them is refused as other training settings.
        IllegalStateException changed = assertThrows(IllegalStateException.class,
                () -> train(job, TinyTraining.config(), true, null));
        assertTrue(changed.getMessage().startsWith("cannot resume"), changed.getMessage());
    }

    private static float[][][] logSoftmax(NDArray logits) {
        NDArray log = logits.logSoftmax(-1);
        int rows = (int) log.getShape().get(0);
        int columns = (int) log.getShape().get(1);
        int vocabulary = (int) log.getShape().get(2);
        float[] flat = log.toFloatArray();
        float[][][] out = new float[rows][columns][vocabulary];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                System.arraycopy(flat, (r * columns + c) * vocabulary, out[r][c], 0, vocabulary);
            }
        }
        return out;
    }

    /** The parameters file of a job's newest checkpoint. */
    private static Path newestParameters(Path job) throws IOException {
        return Checkpoint.latest(job.resolve(TrainingLoop.CHECKPOINTS)).orElseThrow().folder().resolve(Checkpoint.PARAMETERS);
    }

    @Test
    void theHeadsAreReadBackFromTheJobsCheckpointInOrder() throws IOException {
        train(folder.resolve("whole"), TinyTraining.config().withPredictTokens(3), false, null);
        Path parameters = newestParameters(folder.resolve("whole"));
        List<NDArray> heads = ModelFolder.readHeads(parameters, manager);
        assertEquals(2, heads.size());
        try (SafetensorsFile file = SafetensorsFile.open(parameters)) {
            for (int k = 2; k <= 3; k++) {
                NDArray head = heads.get(k - 2);
                assertEquals(new Shape(16, 16), head.getShape());
                assertArrayEquals(file.read("mtp.t" + k + ".weight", manager).toFloatArray(), head.toFloatArray(), "t" + k);
                // Trained from zero, so a head read as zeros would be a head not read at all.
                assertTrue(head.abs().sum().getFloat() > 0, "t" + k);
            }
        }
        train(folder.resolve("plain"), TinyTraining.config(), false, null);
        assertEquals(List.of(), ModelFolder.readHeads(newestParameters(folder.resolve("plain")), manager));
    }
}
