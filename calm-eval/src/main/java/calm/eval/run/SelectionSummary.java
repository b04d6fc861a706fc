package calm.eval.run;

import calm.eval.report.Summary;
import calm.io.ModelFolder;
import calm.train.config.SelectionConfig;
import calm.train.experiment.Ablation;
import calm.train.experiment.Experiment;
import calm.train.io.CompositionFolder;
import calm.train.lora.LoraFolder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's table of the grid every system trained on D_C took its learning rate and number of
 * updates from ({@code selection}), read from the provenance saved with each system.
 */
public final class SelectionSummary {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SelectionSummary() {}

    /**
     * @param experiment the experiment whose systems are read
     * @param validation what the validation split is, for the note (e.g. "D_C's validation split: ...")
     * @return the table, or null when the config has no grid
     */
    public static Summary of(Experiment experiment, String validation) throws IOException {
        return of(experiment, validation, Map.of(SavedSystems.CALM, experiment.compositionFolder(Experiment.COMPOSE_JOB)));
    }

    /**
     * The same, for an experiment with several CALM rows.
     *
     * @param calmRows each CALM row's report name and composition folder, in report order
     */
    public static Summary of(Experiment experiment, String validation, Map<String, Path> calmRows) throws IOException {
        SelectionConfig grid = experiment.config().config().selection();
        if (!grid.searches()) {
            return null;
        }
        Map<String, Path> folders = new LinkedHashMap<>();
        calmRows.forEach((name, folder) -> folders.put(name, folder.resolve(CompositionFolder.PROVENANCE)));
        folders.put(SavedSystems.FINETUNED, experiment.finetunedFolder().resolve(ModelFolder.PROVENANCE));
        folders.put(SavedSystems.LORA, experiment.loraFolder().resolve(LoraFolder.PROVENANCE));
        for (Ablation ablation : Ablation.values()) {
            folders.put(SavedSystems.name(ablation), experiment.compositionFolder(ablation).resolve(CompositionFolder.PROVENANCE));
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Path> system : folders.entrySet()) {
            if (!Files.isRegularFile(system.getValue())) {
                continue;
            }
            JsonNode selection = JSON.readTree(system.getValue().toFile()).path("selection");
            if (selection.isMissingNode()) {
                continue;
            }
            JsonNode chosen = selection.path("chosen");
            List<String> losses = new ArrayList<>();
            selection.path("validationLoss").fields().forEachRemaining(rate -> {
                List<String> points = new ArrayList<>();
                rate.getValue().fields().forEachRemaining(point ->
                        points.add(point.getKey() + ": " + String.format(Locale.ROOT, "%.3f", point.getValue().asDouble())));
                losses.add("lr " + rate.getKey() + " (" + String.join(", ", points) + ")");
            });
            rows.add(List.of(system.getKey(), String.valueOf(chosen.path("learningRate").asDouble()),
                    chosen.path("updates").asText(), String.format(Locale.ROOT, "%.3f", chosen.path("validationLoss").asDouble()),
                    String.join("; ", losses)));
        }
        return new Summary("selection", "Learning rate and updates chosen on D_C's validation split",
                List.of("System", "Learning rate", "Updates", "Validation loss", "Every point of the grid"), rows,
                "The grid: learning rates " + grid.learningRates() + " by updates " + grid.updates() + ", one run per "
                        + "learning rate at a constant rate after warm-up; the loss is the mean cross-entropy per completion "
                        + "token on " + validation + ".");
    }
}
