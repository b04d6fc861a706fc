package calm.train.selection;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import calm.io.AtomicFiles;
import calm.model.LanguageModel;
import calm.train.HeldOutEvaluation;
import calm.train.TrainingConfig;
import calm.train.TrainingExample;
import calm.train.TrainingLoop;
import calm.train.TrainingResult;
import calm.train.checkpoint.Safetensors;
import calm.train.config.SelectionConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Chooses a system's learning rate and number of updates from a grid ({@link SelectionConfig}) by
 * its loss on a validation split, so that every system trained on D_C is tuned the same way.
 *
 * <p>For each learning rate, one run trains a fresh model for the largest number of updates at a
 * constant rate after warm-up (so the model after {@code u} updates is the model of a run of
 * {@code u} updates), in its own folder {@code JOB/lr-RATE/}. After each number of updates of the
 * grid it measures the mean validation loss per completion token; whenever that is the lowest of
 * the run so far it saves the trainable parameters ({@code best.safetensors}, with every loss so
 * far in {@code losses.json}), so a killed run resumes with what it had found. The chosen
 * (learning rate, updates) is the lowest loss over the grid; the returned model carries those
 * weights and the chosen run's metrics log is copied to {@code JOB/metrics.jsonl}.
 */
public final class GridSelection {

    /** The file of a run's best trainable parameters. */
    public static final String BEST = "best.safetensors";
    /** The file of a run's validation losses by number of updates, and its best. */
    public static final String LOSSES = "losses.json";

    private static final Logger LOG = LogManager.getLogger(GridSelection.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private GridSelection() {}

    /**
     * The chosen point of the grid and every loss measured.
     *
     * @param learningRate the chosen learning rate
     * @param updates the chosen number of updates
     * @param loss its validation loss
     * @param losses every validation loss, by learning rate then by number of updates
     * @param result the chosen run's training result
     */
    public record Outcome(double learningRate, int updates, double loss, Map<Double, Map<Integer, Double>> losses,
            TrainingResult result) {

        /** @return what a provenance file records of the search */
        public Map<String, Object> provenance(SelectionConfig grid) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("learningRates", grid.learningRates());
            record.put("updates", grid.updates());
            Map<String, Map<String, Double>> all = new LinkedHashMap<>();
            losses.forEach((rate, byUpdates) -> {
                Map<String, Double> row = new LinkedHashMap<>();
                byUpdates.forEach((count, value) -> row.put(Integer.toString(count), value));
                all.put(rate(rate), row);
            });
            record.put("validationLoss", all);
            record.put("chosen", Map.of("learningRate", learningRate, "updates", updates, "validationLoss", loss));
            return record;
        }
    }

    /**
     * Runs the search and returns the chosen model.
     *
     * @param job the job's name
     * @param grid the grid
     * @param training the job's settings: all but the learning rate, its floor and the number of
     *     updates hold for every run
     * @param fresh builds the untrained system on a manager (the same initialisation each time)
     * @param examples the training examples
     * @param validation the validation examples, by split name (all of them are measured)
     * @param padToken the padding id
     * @param stopToken the id completions end with
     * @param folder the job's folder
     * @param provenance saved with every checkpoint
     * @param resume continue each run from its newest checkpoint
     * @param manager where the chosen model lives
     * @return the chosen model, with the chosen weights, and the search's outcome
     */
    public static Map.Entry<LanguageModel, Outcome> run(String job, SelectionConfig grid, TrainingConfig training,
            Function<NDManager, LanguageModel> fresh, List<TrainingExample> examples,
            Map<String, List<TrainingExample>> validation, int padToken, int stopToken, Path folder,
            Map<String, Object> provenance, boolean resume, NDManager manager) throws IOException {
        if (!grid.searches()) {
            throw new IllegalArgumentException("an empty grid has nothing to search");
        }
        int longest = grid.updates().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int interval = grid.updates().stream().reduce(GridSelection::gcd).orElseThrow();
        Map<Double, Map<Integer, Double>> losses = new LinkedHashMap<>();
        Map<Double, TrainingResult> results = new LinkedHashMap<>();
        for (double rate : grid.learningRates()) {
            Path runFolder = folder.resolve("lr-" + rate(rate));
            TrainingConfig constant = training.withSteps(longest).withLearningRate(rate).withMinLearningRate(rate)
                    .withEvalInterval(interval);
            BestOnValidation watch = new BestOnValidation(validation, grid.updates(), padToken, stopToken,
                    Math.max(training.batchSize(), 16), runFolder, resume);
            try (NDManager scope = manager.newSubManager()) {
                LanguageModel model = fresh.apply(scope);
                LOG.info("{}: learning rate {} of {}, {} updates, validation loss after {}", job, rate(rate),
                        grid.learningRates(), longest, grid.updates());
                TrainingResult result = TrainingLoop.builder(model)
                        .name(job + " (lr " + rate(rate) + ")")
                        .examples(examples)
                        .config(constant)
                        .padToken(padToken)
                        .folder(runFolder)
                        .provenance(provenance)
                        .evaluation(watch)
                        .build()
                        .run(scope, resume);
                results.put(rate, result);
            }
            losses.put(rate, watch.losses());
        }
        double bestRate = Double.NaN;
        int bestUpdates = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (Map.Entry<Double, Map<Integer, Double>> run : losses.entrySet()) {
            for (Map.Entry<Integer, Double> point : run.getValue().entrySet()) {
                if (point.getValue() < bestLoss) {
                    bestLoss = point.getValue();
                    bestRate = run.getKey();
                    bestUpdates = point.getKey();
                }
            }
        }
        if (bestUpdates < 0) {
            throw new IllegalStateException(job + ": no validation loss was measured (is the validation split empty?)");
        }
        LOG.info("{}: chose learning rate {} and {} updates (validation loss {})", job, rate(bestRate), bestUpdates,
                String.format(Locale.ROOT, "%.4f", bestLoss));
        // One short line per learning rate: updates -> validation loss.
        losses.forEach((rate, byUpdates) -> LOG.info("{}: lr {}: {}", job, rate(rate), byUpdates.entrySet().stream()
                .map(e -> e.getKey() + " updates " + String.format(Locale.ROOT, "%.4f", e.getValue()))
                .collect(Collectors.joining(", "))));
        LanguageModel chosen = fresh.apply(manager);
        Path runFolder = folder.resolve("lr-" + rate(bestRate));
        load(chosen, runFolder.resolve(BEST), manager);
        Path metrics = runFolder.resolve(TrainingLoop.METRICS);
        if (Files.isRegularFile(metrics)) {
            Files.copy(metrics, folder.resolve(TrainingLoop.METRICS), StandardCopyOption.REPLACE_EXISTING);
        }
        return Map.entry(chosen, new Outcome(bestRate, bestUpdates, bestLoss, losses, results.get(bestRate)));
    }

    private static void load(LanguageModel model, Path file, NDManager manager) throws IOException {
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> saved = Safetensors.read(file, scope);
            List<Parameter> parameters = model.trainableParameters();
            for (int i = 0; i < parameters.size(); i++) {
                NDArray array = saved.get("p" + i);
                if (array == null || !array.getShape().equals(parameters.get(i).getArray().getShape())) {
                    throw new IllegalStateException(file + " does not hold the model's trainable parameter " + i + " ("
                            + parameters.get(i).getName() + ", " + parameters.get(i).getArray().getShape() + ")");
                }
                array.copyTo(parameters.get(i).getArray());
            }
        }
    }

    static String rate(double rate) {
        return String.format(Locale.ROOT, "%g", rate).replaceFirst("0+e", "e").replaceFirst("\\.?0+$", "");
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Measures the validation loss at the grid's numbers of updates and keeps the best weights. */
    private static final class BestOnValidation implements calm.train.Evaluation {

        private final HeldOutEvaluation loss;
        private final List<Integer> updates;
        private final Path folder;
        private final Map<Integer, Double> losses = new TreeMap<>();
        private double best = Double.POSITIVE_INFINITY;

        BestOnValidation(Map<String, List<TrainingExample>> validation, List<Integer> updates, int padToken, int stopToken,
                int batchSize, Path folder, boolean resume) throws IOException {
            this.loss = HeldOutEvaluation.lossOnly(validation, padToken, stopToken, batchSize);
            this.updates = updates;
            this.folder = folder;
            Path file = folder.resolve(LOSSES);
            if (resume && Files.isRegularFile(file)) {
                JsonNode saved = JSON.readTree(file.toFile());
                saved.path("losses").fields().forEachRemaining(entry ->
                        losses.put(Integer.parseInt(entry.getKey()), entry.getValue().asDouble()));
                best = saved.path("best").asDouble(Double.POSITIVE_INFINITY);
            }
        }

        Map<Integer, Double> losses() {
            return new TreeMap<>(losses);
        }

        @Override
        public Map<String, Double> evaluate(LanguageModel model, NDManager manager) {
            return loss.evaluate(model, manager);
        }

        @Override
        public Map<String, Double> evaluate(int step, LanguageModel model, NDManager manager) {
            Map<String, Double> metrics = loss.evaluate(model, manager);
            if (!updates.contains(step)) {
                return metrics;
            }
            double mean = metrics.entrySet().stream().filter(e -> e.getKey().endsWith(".loss"))
                    .mapToDouble(Map.Entry::getValue).average().orElseThrow();
            losses.put(step, mean);
            try {
                if (mean < best) {
                    best = mean;
                    Map<String, NDArray> arrays = new LinkedHashMap<>();
                    List<Parameter> parameters = model.trainableParameters();
                    for (int i = 0; i < parameters.size(); i++) {
                        arrays.put("p" + i, parameters.get(i).getArray().duplicate());
                    }
                    Files.createDirectories(folder);
                    Path staged = folder.resolve(BEST + ".tmp");
                    Safetensors.write(arrays, staged);
                    Files.move(staged, folder.resolve(BEST), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                }
                ObjectNode record = JSON.createObjectNode();
                ObjectNode byUpdates = record.putObject("losses");
                losses.forEach((count, value) -> byUpdates.put(Integer.toString(count), value));
                record.put("best", best);
                AtomicFiles.writeString(folder.resolve(LOSSES), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(record));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(folder + ": cannot save the best weights: " + e.getMessage(), e);
            }
            return metrics;
        }
    }
}
