package calm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import calm.compose.ComposedModel;
import calm.io.ModelFolder;
import calm.io.ParameterNames;
import calm.model.DecoderLM;
import calm.model.nn.Scalar;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.train.checkpoint.Checkpoint;
import calm.train.stop.StopRequest;
import calm.train.stop.StoppedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ManagedExtension.class)
class TrainingLoopTest {

    @TempDir
    Path folder;

    @Managed
    private NDManager manager;

    private Map<String, float[]> train(Path jobFolder, TrainingConfig config, boolean resume,
            BiFunction<Integer, NDArray, NDArray> hook) throws IOException {
        return TinyTraining.trainGpt(manager, jobFolder, config, resume, hook);
    }

    private static void assertSameParameters(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, values) -> assertArrayEquals(values, actual.get(name), name));
    }

    @Test
    void twoRunsWithTheSameSeedEndWithIdenticalParameters() throws IOException {
        Map<String, float[]> first = train(folder.resolve("one"), TinyTraining.config(), false, null);
        Map<String, float[]> second = train(folder.resolve("two"), TinyTraining.config(), false, null);
        assertSameParameters(first, second);
        Map<String, float[]> otherSeed = train(folder.resolve("three"), TinyTraining.config().withSeed(8), false, null);
        assertFalse(Arrays.equals(first.get("layers.0.attn.qkv.weight"), otherSeed.get("layers.0.attn.qkv.weight")));
    }

    @Test
    void aResumedJobEndsBitwiseEqualToAnUninterruptedOne() throws IOException {
        Map<String, float[]> uninterrupted = train(folder.resolve("whole"), TinyTraining.config(), false, null);
        Path job = folder.resolve("killed");
        // Dies during update 5, after the checkpoint of update 4 and the metrics line of update 4.
        assertThrows(IllegalStateException.class, () -> train(job, TinyTraining.config(), false, TinyTraining.killedAt(5)));
        assertEquals(4, Checkpoint.latest(job.resolve(TrainingLoop.CHECKPOINTS)).orElseThrow().step());
        Map<String, float[]> resumed = train(job, TinyTraining.config(), true, null);
        assertSameParameters(uninterrupted, resumed);
        List<String> steps = Files.readAllLines(job.resolve(TrainingLoop.METRICS)).stream()
                .map(line -> line.replaceAll(".*\"step\":(\\d+).*", "$1")).toList();
        assertEquals(List.of("1", "2", "3", "4", "5", "6"), steps);
        assertEquals(6, Checkpoint.latest(job.resolve(TrainingLoop.CHECKPOINTS)).orElseThrow().step());
    }

    @Test
    void aStopRequestEndsTheJobAfterItsUpdateWithACheckpointThatResumesBitwise() throws IOException {
        Map<String, float[]> uninterrupted = train(folder.resolve("whole"), TinyTraining.config(), false, null);
        Path job = folder.resolve("stopped");
        StopRequest.Received term = new StopRequest.Received("SIGTERM", 143);
        try {
            // The signal arrives during update 3's forward pass: update 3 completes, then the job stops.
            StoppedException stopped = assertThrows(StoppedException.class, () -> train(job, TinyTraining.config(), false,
                    (update, loss) -> {
                        if (update == 3) {
                            StopRequest.request(term);
                        }
                        return loss;
                    }));
            assertEquals(143, stopped.exitCode());
            Path checkpoint = job.resolve(TrainingLoop.CHECKPOINTS).resolve("step-00000003");
            assertEquals("stopped on SIGTERM: tiny stopped after update 3 of 6, checkpoint " + checkpoint + "; the same "
                    + "command continues from it (calm run does; pretrain, compose and finetune with --resume)",
                    stopped.getMessage());
            assertEquals(3, Checkpoint.latest(job.resolve(TrainingLoop.CHECKPOINTS)).orElseThrow().step());
        } finally {
            StopRequest.clear();
        }
        assertSameParameters(uninterrupted, train(job, TinyTraining.config(), true, null));
    }

    @Test
    void aCheckpointWrittenBeforeAFieldExistedResumesWithTheFieldsDefault() throws IOException {
        Map<String, float[]> uninterrupted = train(folder.resolve("whole"), TinyTraining.config(), false, null);
        Path job = folder.resolve("old");
        assertThrows(IllegalStateException.class,
                () -> train(job, TinyTraining.config(), false, TinyTraining.killedAt(5)));
        Path state = Checkpoint.latest(job.resolve(TrainingLoop.CHECKPOINTS)).orElseThrow().folder()
                .resolve(Checkpoint.STATE);
        String written = Files.readString(state);
        String old = written.replaceAll(",\\s*\"predictTokens\"\\s*:\\s*1", "");
        assertFalse(old.contains("predictTokens"), old);
        Files.writeString(state, old);
        assertSameParameters(uninterrupted, train(job, TinyTraining.config(), true, null));
    }

    @Test
    void aNonFiniteLossStopsTheJobAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path job = folder.resolve("nan");
        DecoderLM model = TinyTraining.gpt(manager, 3);
        TrainingLoop loop = TrainingLoop.builder(model)
                .name("tiny")
                .examples(TinyTraining.examples(10, 5))
                .config(TinyTraining.config())
                .folder(job)
                .progress(Progress.logLines(100))
                .lossHook((update, loss) -> update == 3 ? loss.mul(Scalar.like(loss, Float.NaN)) : loss)
                .build();
        NonFiniteLossException error = assertThrows(NonFiniteLossException.class, () -> loop.run(manager, false));
        assertEquals(3, error.step());
        Path kept = job.resolve(TrainingLoop.CHECKPOINTS).resolve("step-00000002");
        assertEquals(kept, error.lastCheckpoint());
        assertTrue(error.getMessage().contains("the loss at step 3 is NaN"), error.getMessage());
        assertTrue(error.getMessage().contains("The last good checkpoint is kept in " + kept), error.getMessage());
        Checkpoint checkpoint = Checkpoint.latest(job.resolve(TrainingLoop.CHECKPOINTS)).orElseThrow();
        assertEquals(2, checkpoint.step());
        // The failed update was not applied: the model still holds the checkpoint's parameters.
        Map<String, Parameter> parameters = TrainableParameters.of(model);
        Map<String, float[]> inMemory = TinyTraining.snapshot(parameters);
        DecoderLM reloaded = TinyTraining.gpt(manager, 99);
        Map<String, Parameter> reloadedParameters = TrainableParameters.of(reloaded);
        ModelFolder.readWeights(reloadedParameters, checkpoint.folder().resolve(Checkpoint.PARAMETERS), manager);
        assertSameParameters(inMemory, TinyTraining.snapshot(reloadedParameters));
    }

    private ComposedModel composition() {
        DecoderLM anchor = TinyTraining.gpt(manager, 11);
        DecoderLM augmenting = TinyTraining.gpt(manager, 12);
        anchor.freeze();
        augmenting.freeze();
        Engine.getInstance().setRandomSeed(13);
        return ComposedModel.builder(anchor).augment(augmenting).build(manager);
    }

    private Map<String, float[]> trainComposition(Path jobFolder, boolean resume,
            BiFunction<Integer, NDArray, NDArray> hook) throws IOException {
        return trainComposition(composition(), jobFolder, resume, hook, true);
    }

    private Map<String, float[]> trainComposition(ComposedModel composed, Path jobFolder, boolean resume,
            BiFunction<Integer, NDArray, NDArray> hook, boolean holdStates) throws IOException {
        TrainingLoop.builder(composed)
                .name("tiny-composition")
                .examples(TinyTraining.examples(10, 6))
                .config(TinyTraining.config())
                .folder(jobFolder)
                .progress(Progress.logLines(100))
                .lossHook(hook)
                .holdAugmentingStates(holdStates)
                .build()
                .run(manager, resume);
        return TinyTraining.snapshot(TrainableParameters.of(composed));
    }

    /** Trains the tiny composition; m_A's weights are halved during update 2 when {@code changeAugmenting}. */
    private Map<String, float[]> trainComposition(String job, boolean holdStates, boolean changeAugmenting)
            throws IOException {
        ComposedModel composed = composition();
        DecoderLM augmenting = composed.augmentations().get(0).source().model();
        BiFunction<Integer, NDArray, NDArray> hook = (update, loss) -> {
            if (changeAugmenting && update == 2) {
                augmenting.getParameters().values().forEach(p -> p.getArray().muli(0.5f));
            }
            return loss;
        };
        return trainComposition(composed, folder.resolve(job), false, hook, holdStates);
    }

    @Test
    void aCompositionTrainsOnAugmentingStatesComputedOnceAsOnStatesComputedAtEveryUpdate() throws IOException {
        Map<String, float[]> held = trainComposition("held", true, false);
        Map<String, float[]> run = trainComposition("run", false, false);
        assertEquals(run.keySet(), held.keySet());
        run.forEach((name, values) -> assertArrayEquals(values, held.get(name), 1e-5f, name));

        // Halving m_A after update 2's forward pass changes what a composition that runs it learns, and
        // nothing of one that reads the states computed before training.
        assertSameParameters(held, trainComposition("held-changed", true, true));
        Map<String, float[]> runChanged = trainComposition("run-changed", false, true);
        assertFalse(Arrays.equals(run.get("connections.0.0.o.weight"), runChanged.get("connections.0.0.o.weight")));
    }

    @Test
    void trainingACompositionChangesOnlyTheConnectionsAndResumesExactly() throws IOException {
        ComposedModel reference = composition();
        Map<String, float[]> anchorBefore = TinyTraining.snapshot(ParameterNames.of(reference.anchor()));
        Map<String, float[]> connectionsBefore = TinyTraining.snapshot(TrainableParameters.of(reference));
        TrainingLoop.builder(reference)
                .examples(TinyTraining.examples(10, 6))
                .config(TinyTraining.config())
                .folder(folder.resolve("whole"))
                .progress(Progress.logLines(100))
                .build()
                .run(manager, false);
        assertSameParameters(anchorBefore, TinyTraining.snapshot(ParameterNames.of(reference.anchor())));
        Map<String, float[]> trained = TinyTraining.snapshot(TrainableParameters.of(reference));
        assertTrue(trained.keySet().stream().allMatch(name -> name.startsWith("connections.0.0.")), trained.keySet().toString());
        assertFalse(Arrays.equals(connectionsBefore.get("connections.0.0.o.weight"), trained.get("connections.0.0.o.weight")));

        Path job = folder.resolve("killed");
        assertThrows(IllegalStateException.class, () -> trainComposition(job, false, TinyTraining.killedAt(3)));
        assertSameParameters(trained, trainComposition(job, true, null));
    }

    @Test
    void randomStartPositionsTrainAnotherModelAndResumeExactly() throws IOException {
        TrainingConfig shifted = TinyTraining.config().withPositionShift(4);
        Map<String, float[]> uninterrupted = train(folder.resolve("whole"), shifted, false, null);
        Map<String, float[]> fromZero = train(folder.resolve("zero"), TinyTraining.config(), false, null);
        assertFalse(Arrays.equals(fromZero.get("wpe.weight"), uninterrupted.get("wpe.weight")));
        Path job = folder.resolve("killed");
        assertThrows(IllegalStateException.class, () -> train(job, shifted, false, TinyTraining.killedAt(5)));
        assertSameParameters(uninterrupted, train(job, shifted, true, null));
    }

    @Test
    void aShiftBeyondTheContextOrOfACompositionIsRefused() {
        // The longest tiny example has 8 input tokens; the tiny GPT reads 16.
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                () -> train(folder.resolve("far"), TinyTraining.config().withPositionShift(9), false, null));
        assertEquals("positionShift 9 moves an input of 8 tokens up to position 16, beyond the model's context length of 16",
                beyond.getMessage());
        IllegalArgumentException composition = assertThrows(IllegalArgumentException.class,
                () -> TrainingLoop.builder(composition())
                        .examples(TinyTraining.examples(10, 6))
                        .config(TinyTraining.config().withPositionShift(2))
                        .folder(folder.resolve("composition"))
                        .build()
                        .run(manager, false));
        assertTrue(composition.getMessage().startsWith("positionShift 2 needs a decoder trained whole"),
                composition.getMessage());
    }

    @Test
    void accumulatingTwoHalfBatchesMatchesOneFullBatch() throws IOException {
        TrainingConfig full = TinyTraining.config();
        TrainingConfig halves = full.toBuilder().batchSize(full.batchSize() / 2).gradientAccumulation(2).checkpointInterval(0)
                .build();
        Map<String, float[]> one = train(folder.resolve("full"), full, false, null);
        Map<String, float[]> two = train(folder.resolve("halves"), halves, false, null);
        one.forEach((name, values) -> {
            float[] other = two.get(name);
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i], other[i], 2e-5f, name + "[" + i + "]");
            }
        });
    }

    @Test
    void aFolderWithACheckpointNeedsResume() throws IOException {
        Path job = folder.resolve("again");
        train(job, TinyTraining.config(), false, null);
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> train(job, TinyTraining.config(), false, null));
        assertTrue(error.getMessage().contains("already holds a checkpoint at step 6"), error.getMessage());
        IllegalStateException changed = assertThrows(IllegalStateException.class,
                () -> train(job, TinyTraining.config().withSeed(1), true, null));
        assertTrue(changed.getMessage().startsWith("cannot resume"), changed.getMessage());
    }
}
