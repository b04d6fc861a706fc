package calm.io;

import ai.djl.ndarray.NDManager;
import calm.io.hf.HfFolder;
import calm.io.hf.SafetensorsCheckpoint;
import calm.model.DecoderLM;
import calm.model.ModelConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The two layouts of a model folder that this project loads, told apart by the folder's
 * {@code config.json}: this project's own ({@link ModelFolder}: a {@code "family"} field) and Hugging
 * Face's ({@link HfFolder}: a {@code "model_type"} field, safetensors weights in one file or shards,
 * usually a {@code tokenizer.json}). Code that takes "a model folder" detects the layout and loads
 * through it, so either kind can be an anchor or an augmenting model.
 */
public enum FolderLayout {

    /** This project's layout, written by {@link ModelFolder#save}. */
    PROJECT("this project's model folder", "family"),
    /** Hugging Face's layout, written by {@code save_pretrained}. */
    HUGGING_FACE("Hugging Face model folder", "model_type");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String description;
    private final String field;

    FolderLayout(String description, String field) {
        this.description = description;
        this.field = field;
    }

    /**
     * Tells a folder's layout from its config.json, reading nothing else.
     *
     * @throws IllegalArgumentException naming the folder or file when it is neither layout
     */
    public static FolderLayout detect(Path folder) throws IOException {
        Path config = folder.resolve(ModelFolder.CONFIG);
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException(folder + " is not a saved model folder (it has no " + ModelFolder.CONFIG + ")");
        }
        JsonNode root;
        root = TextFiles.json(config, JSON);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(config + ": must be a JSON object");
        }
        for (FolderLayout layout : values()) {
            if (root.has(layout.field)) {
                return layout;
            }
        }
        throw new IllegalArgumentException(config + " names neither \"family\" (" + PROJECT.description + ") nor \"model_type\" ("
                + HUGGING_FACE.description + "), so " + folder + " is not a model folder of either layout");
    }

    /** @return e.g. "Hugging Face model folder" */
    public String description() {
        return description;
    }

    /** @return the folder's architecture as this project's config, validated */
    public ModelConfig readConfig(Path folder) throws IOException {
        return this == PROJECT ? ModelFolder.readConfig(folder) : HfFolder.readConfig(folder);
    }

    /**
     * Loads the folder's model onto the manager's device as float32.
     *
     * @throws IllegalArgumentException naming the file (and field or tensor) when the folder is not
     *     a consistent model of a supported architecture
     */
    public DecoderLM load(Path folder, NDManager manager) throws IOException {
        return this == PROJECT ? ModelFolder.load(folder, manager) : HfFolder.load(folder, manager);
    }

    /**
     * @return the files holding the weights: {@code model.safetensors}, or for sharded Hugging Face
     *     weights the index followed by its shards in name order
     * @throws IllegalArgumentException when the folder has no weights
     */
    public List<Path> weightFiles(Path folder) throws IOException {
        Path single = folder.resolve(ModelFolder.WEIGHTS);
        if (this == PROJECT || Files.isRegularFile(single)) {
            if (!Files.isRegularFile(single)) {
                throw new IllegalArgumentException(folder + ": no " + ModelFolder.WEIGHTS);
            }
            return List.of(single);
        }
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
            List<Path> files = new ArrayList<>();
            files.add(checkpoint.source());
            checkpoint.files().stream().sorted().forEach(files::add);
            return files;
        }
    }

    /**
     * A fingerprint of the weights: the SHA-256 of {@code model.safetensors}, or for sharded weights
     * the SHA-256 of the lines {@code "<sha256>  <file name>\n"} of the index and of each shard in
     * name order (what {@code sha256sum INDEX SHARDS...} prints).
     */
    public String weightsSha256(Path folder) throws IOException {
        List<Path> files = weightFiles(folder);
        if (files.size() == 1) {
            return Sha256.of(files.get(0));
        }
        StringBuilder listing = new StringBuilder();
        for (Path file : files) {
            listing.append(Sha256.of(file)).append("  ").append(file.getFileName()).append('\n');
        }
        return Sha256.of(listing.toString().getBytes(StandardCharsets.UTF_8));
    }
}
