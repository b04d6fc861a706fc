package calm.train.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import calm.io.Checksums;
import calm.io.Folders;
import calm.io.ModelFolder;
import calm.io.TextFiles;
import calm.train.AdamW;
import calm.train.TrainingConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A training job's state after some updates, enough to continue it exactly: the trained
 * parameters, AdamW's moments, the number of updates made (which also fixes the data order, the
 * learning rate and the engine's random seed of every later update) and the training settings.
 *
 * <p>A checkpoint is a folder {@code step-NNNNNNNN} inside a job's {@code checkpoints} folder,
 * holding {@value #PARAMETERS}, {@value #OPTIMIZER} (tensors {@code m.<name>} and
 * {@code v.<name>}), {@value #STATE} and {@value #PROVENANCE}. It is written under a temporary
 * name and renamed into place, so a folder named {@code step-*} is always complete; only then are
 * older checkpoints deleted.
 *
 * @param folder the checkpoint's folder
 * @param step the number of updates made
 */
public record Checkpoint(Path folder, int step) {

    /** The trained parameters, by the names of {@link calm.train.TrainableParameters}. */
    public static final String PARAMETERS = "parameters.safetensors";
    /** AdamW's first and second moments. */
    public static final String OPTIMIZER = "optimizer.safetensors";
    /** Step, loss and training settings, as JSON. */
    public static final String STATE = "state.json";
    /** Where the run came from. */
    public static final String PROVENANCE = "provenance.json";
    /** The format written to the state file. */
    public static final String FORMAT = "calm-checkpoint/1";

    private static final Pattern NAME = Pattern.compile("step-(\\d{8,})");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes a checkpoint and then deletes the older ones.
     *
     * @param checkpoints the job's checkpoints folder, created if missing
     * @param step the number of updates made
     * @param loss the last update's loss, for the record
     * @param training the job's settings; a resumed job must have the same
     * @param parameters the trained parameters by name
     * @param optimizer holds the moments of every parameter
     * @param provenance where the run came from
     * @return the checkpoint written
     */
    public static Checkpoint write(Path checkpoints, int step, double loss, TrainingConfig training,
            Map<String, Parameter> parameters, AdamW optimizer, Map<String, ?> provenance) throws IOException {
        String name = String.format("step-%08d", step);
        Path target = checkpoints.resolve(name);
        Folders.writeAtomically(target, staging -> {
            ModelFolder.writeWeights(parameters, staging.resolve(PARAMETERS));
            Map<String, NDArray> moments = new LinkedHashMap<>();
            for (String parameter : parameters.keySet()) {
                NDArray mean = optimizer.means().get(parameter);
                NDArray variance = optimizer.variances().get(parameter);
                if (mean == null || variance == null) {
                    throw new IllegalStateException("the optimizer holds no moments for " + parameter
                            + "; a checkpoint is written only after an update");
                }
                moments.put("m." + parameter, mean);
                moments.put("v." + parameter, variance);
            }
            Safetensors.write(moments, staging.resolve(OPTIMIZER));
            ObjectNode state = JSON.createObjectNode();
            state.put("format", FORMAT);
            state.put("step", step);
            state.put("loss", loss);
            state.set("training", JSON.valueToTree(training));
            Files.writeString(staging.resolve(STATE), JSON.writeValueAsString(state));
            Files.writeString(staging.resolve(PROVENANCE), JSON.writeValueAsString(provenance));
        });
        for (Checkpoint older : all(checkpoints)) {
            if (older.step() < step) {
                Folders.deleteTree(older.folder());
            }
        }
        return new Checkpoint(target, step);
    }

    /** @return the checkpoint with the most updates in a checkpoints folder, if any */
    public static Optional<Checkpoint> latest(Path checkpoints) throws IOException {
        List<Checkpoint> all = all(checkpoints);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private static List<Checkpoint> all(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(checkpoints)) {
            return entries.filter(Files::isDirectory)
                    .map(path -> {
                        Matcher matcher = NAME.matcher(path.getFileName().toString());
                        return matcher.matches() ? new Checkpoint(path, Integer.parseInt(matcher.group(1))) : null;
                    })
                    .filter(Objects::nonNull)
                    .sorted(Comparator.comparingInt(Checkpoint::step))
                    .toList();
        }
    }

    /** @return the training settings the checkpoint was written with */
    public TrainingConfig training() throws IOException {
        // A checkpoint written before a field existed lacks it, and its job ran with the field's default.
        ObjectNode settings = JSON.valueToTree(TrainingConfig.defaults());
        settings.setAll((ObjectNode) state().get("training"));
        return JSON.treeToValue(settings, TrainingConfig.class);
    }

    /** @return the loss of the checkpoint's last update */
    public double loss() throws IOException {
        return state().get("loss").asDouble();
    }

    private JsonNode state() throws IOException {
        JsonNode state = TextFiles.json(folder.resolve(STATE), JSON);
        if (!FORMAT.equals(state.path("format").asText())) {
            throw new IllegalArgumentException(folder.resolve(STATE) + ": not a " + FORMAT + " checkpoint");
        }
        return state;
    }

    /**
     * Copies the checkpoint into the parameters and the optimizer.
     *
     * @throws IllegalArgumentException naming the file and tensor on a missing, unexpected or
     *     misshapen tensor
     */
    public void restore(Map<String, Parameter> parameters, AdamW optimizer, NDManager manager) throws IOException {
        Checksums.verifyFile(folder.resolve(PARAMETERS));
        ModelFolder.readWeights(parameters, folder.resolve(PARAMETERS), manager);
        try (NDManager reading = manager.newSubManager()) {
            Path file = folder.resolve(OPTIMIZER);
            Checksums.verifyFile(file);
            Map<String, NDArray> moments = Safetensors.read(file, reading);
            if (moments.size() != 2 * parameters.size()) {
                throw new IllegalArgumentException(file + ": holds " + moments.size() + " tensors, expected "
                        + 2 * parameters.size() + " (m and v of each trained parameter)");
            }
            for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
                NDArray mean = moments.get("m." + entry.getKey());
                NDArray variance = moments.get("v." + entry.getKey());
                if (mean == null || variance == null) {
                    throw new IllegalArgumentException(file + ": no moments for " + entry.getKey());
                }
                if (!mean.getShape().equals(entry.getValue().getShape())
                        || !variance.getShape().equals(entry.getValue().getShape())) {
                    throw new IllegalArgumentException(file + ": moments of " + entry.getKey() + " have shape "
                            + mean.getShape() + ", the parameter " + entry.getValue().getShape());
                }
                optimizer.restore(entry.getKey(), mean, variance);
            }
        }
    }
}
