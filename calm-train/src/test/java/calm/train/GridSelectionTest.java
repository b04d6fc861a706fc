package calm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import calm.model.LanguageModel;
import calm.train.config.SelectionConfig;
import calm.train.selection.GridSelection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridSelectionTest {

    private static final SelectionConfig GRID = new SelectionConfig(List.of(0.05, 1e-4), List.of(2, 4, 6));

    @TempDir
    Path folder;

    private Map.Entry<LanguageModel, GridSelection.Outcome> search(Path job, boolean resume, NDManager manager)
            throws IOException {
        return GridSelection.run("tiny", GRID, TinyTraining.config(), scope -> TinyTraining.gpt(scope, 3),
                TinyTraining.examples(10, 5), Map.of("held", TinyTraining.examples(6, 9)), 0, TinyTraining.EOS, job,
                Map.of(), resume, manager);
    }

    @Test
    void theChosenPointIsTheLowestValidationLossAndTheModelCarriesItsWeights() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map.Entry<LanguageModel, GridSelection.Outcome> chosen = search(folder.resolve("job"), false, manager);
            GridSelection.Outcome outcome = chosen.getValue();
            assertEquals(List.of(0.05, 1e-4), List.copyOf(outcome.losses().keySet()));
            outcome.losses().values().forEach(losses -> assertEquals(List.of(2, 4, 6), List.copyOf(losses.keySet())));
            double lowest = outcome.losses().values().stream().flatMap(losses -> losses.values().stream())
                    .mapToDouble(Double::doubleValue).min().orElseThrow();
            assertEquals(lowest, outcome.loss());
            assertEquals(lowest, outcome.losses().get(outcome.learningRate()).get(outcome.updates()));
            // The model's validation loss is the chosen point's: its weights are the ones saved there.
            HeldOutEvaluation loss = new HeldOutEvaluation(Map.of("held", TinyTraining.examples(6, 9)), 0, TinyTraining.EOS, 16);
            assertEquals(lowest, loss.evaluate(chosen.getKey(), manager).get("held.loss"), 1e-6);
            // A learning rate of 1e-4 for 6 updates barely moves a model that 0.05 trains.
            assertEquals(0.05, outcome.learningRate());
            assertTrue(Files.isRegularFile(folder.resolve("job").resolve(TrainingLoop.METRICS)), "the chosen run's log");
            Map<String, Object> record = outcome.provenance(GRID);
            assertEquals(Map.of("learningRate", 0.05, "updates", outcome.updates(), "validationLoss", lowest), record.get("chosen"));
        }
    }

    @Test
    void aResumedSearchChoosesTheSameWeights() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map.Entry<LanguageModel, GridSelection.Outcome> whole = search(folder.resolve("whole"), false, manager);
            Map.Entry<LanguageModel, GridSelection.Outcome> again = search(folder.resolve("whole"), true, manager);
            assertEquals(whole.getValue().losses(), again.getValue().losses());
            List<float[]> first = whole.getKey().trainableParameters().stream().map(p -> p.getArray().toFloatArray()).toList();
            List<float[]> second = again.getKey().trainableParameters().stream().map(p -> p.getArray().toFloatArray()).toList();
            for (int i = 0; i < first.size(); i++) {
                assertArrayEquals(first.get(i), second.get(i));
            }
        }
    }
}
