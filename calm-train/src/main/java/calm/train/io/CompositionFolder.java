package calm.train.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import calm.compose.Augmentation;
import calm.compose.ComposedModel;
import calm.compose.CompositionSource;
import calm.compose.Connection;
import calm.compose.LayerOutputs;
import calm.compose.PositionBias;
import calm.compose.Predictions;
import calm.compose.Wiring;
import calm.io.Checksums;
import calm.io.FolderLayout;
import calm.io.Folders;
import calm.io.ModelFolder;
import calm.io.ParameterNames;
import calm.io.TextFiles;
import calm.model.DecoderLM;
import calm.model.ModelConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A trained composition: {@value #SPEC} (the anchor's and each augmenting model's folder, layout,
 * architecture and weights' SHA-256, each wiring and mode, the heads), {@value #CONNECTIONS} (the
 * connections' parameters, named as in {@link ComposedModel#compositionBlock()}) and
 * {@value #PROVENANCE}. The frozen models are not copied: the spec points at their folders,
 * relative to the composition's folder, and by their weights' SHA-256; loading checks that they hold the very weights the
 * connections were trained with. An augmenting model read through its {@link Predictions} is
 * recorded as the model itself plus the view's start token and heads (their number and the
 * SHA-256 of the model folder's {@link ModelFolder#HEADS}), and loads through the same view. A
 * base model may be a folder of either {@link FolderLayout} (for sharded Hugging Face weights the
 * SHA-256 is {@link FolderLayout#weightsSha256}'s). Saving is atomic.
 */
public final class CompositionFolder {

    /** The composition's description. */
    public static final String SPEC = "composition.json";
    /** The trained connections. */
    public static final String CONNECTIONS = "connections.safetensors";
    /** Where the composition came from. */
    public static final String PROVENANCE = "provenance.json";
    /** The format written to the spec. */
    public static final String FORMAT = "calm-composition/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CompositionFolder() {}

    /**
     * Saves a composition.
     *
     * @param model the trained composition
     * @param folder the destination; replaced if it exists
     * @param anchorFolder where the anchor is saved
     * @param augmentingFolders where each augmenting model is saved, in order
     * @param provenance written as provenance.json when not null
     */
    public static void save(ComposedModel model, Path folder, Path anchorFolder, List<Path> augmentingFolders,
            Map<String, ?> provenance) throws IOException {
        if (augmentingFolders.size() != model.augmentations().size()) {
            throw new IllegalArgumentException("the composition has " + model.augmentations().size()
                    + " augmenting models, " + augmentingFolders.size() + " folders were given");
        }
        ObjectNode spec = JSON.createObjectNode();
        spec.put("format", FORMAT);
        spec.set("anchor", modelEntry(folder, anchorFolder, model.anchor()));
        ArrayNode augmenting = spec.putArray("augmenting");
        for (int a = 0; a < augmentingFolders.size(); a++) {
            Augmentation augmentation = model.augmentations().get(a);
            CompositionSource source = augmentation.source();
            ObjectNode entry = modelEntry(folder, augmentingFolders.get(a), source.model());
            if (!source.recorded().isEmpty()) {
                entry.set("predictions", predictionsEntry(source.recorded(), augmentingFolders.get(a)));
            }
            ArrayNode wiring = entry.putArray("wiring");
            for (Connection pair : augmentation.wiring().connections()) {
                wiring.addArray().add(pair.augmentingLayer()).add(pair.anchorLayer());
            }
            entry.put("mode", augmentation.mode().name());
            augmenting.add(entry);
        }
        spec.put("heads", model.connection(0, 0).heads());
        spec.put("normalize", model.connection(0, 0).normalize());
        spec.put("positionBias", model.connection(0, 0).positionBias().name());
        Folders.writeAtomically(folder, staging -> {
            Files.writeString(staging.resolve(SPEC), JSON.writeValueAsString(spec));
            ModelFolder.writeWeights(ParameterNames.of(model.compositionBlock()), staging.resolve(CONNECTIONS));
            if (provenance != null) {
                Files.writeString(staging.resolve(PROVENANCE), JSON.writeValueAsString(provenance));
            }
        });
    }

    /**
     * Loads a composition.
     *
     * @param folder the composition's folder
     * @param anchorFolder the anchor's folder (e.g. one the user named), or null for the one the
     *     spec points at
     * @throws IllegalArgumentException when a file is missing or malformed, or a model is not the
     *     one the composition was trained with (other architecture or other weights)
     */
    public static ComposedModel load(Path folder, Path anchorFolder, NDManager manager) throws IOException {
        Checksums.verify(folder);
        Path specFile = folder.resolve(SPEC);
        if (!Files.isRegularFile(specFile)) {
            throw new IllegalArgumentException(specFile + ": no such file (a composition folder holds " + SPEC
                    + " and " + CONNECTIONS + ")");
        }
        JsonNode spec;
        spec = TextFiles.json(specFile, JSON);
        if (!FORMAT.equals(spec.path("format").asText())) {
            throw new IllegalArgumentException(specFile + ": not a " + FORMAT + " file");
        }
        Path anchorAt = anchorFolder != null ? anchorFolder : modelFolder(specFile, folder, "anchor", spec.path("anchor"));
        FolderLayout anchorLayout = checkWeights(specFile, "anchor", spec.path("anchor"), anchorAt);
        DecoderLM anchorModel = anchorLayout.load(anchorAt, manager);
        checkArchitecture(specFile, "anchor", spec.path("anchor"), anchorModel);
        ComposedModel.Builder builder = ComposedModel.builder(anchorModel).heads(spec.path("heads").asInt())
                .normalize(spec.path("normalize").asBoolean(false))
                .positionBias(positionBias(specFile, spec.path("positionBias").asText(PositionBias.NONE.name())));
        for (JsonNode entry : spec.path("augmenting")) {
            Path augmentingAt = modelFolder(specFile, folder, "augmenting model", entry);
            FolderLayout layout = checkWeights(specFile, "augmenting model", entry, augmentingAt);
            DecoderLM augmentingModel = layout.load(augmentingAt, manager);
            checkArchitecture(specFile, "augmenting model", entry, augmentingModel);
            CompositionSource augmenting = entry.has("predictions")
                    ? predictions(specFile, entry.path("predictions"), augmentingModel, augmentingAt, manager)
                    : new LayerOutputs(augmentingModel);
            List<Connection> pairs = new ArrayList<>();
            entry.path("wiring").forEach(pair -> pairs.add(new Connection(pair.get(0).asInt(), pair.get(1).asInt())));
            builder.augment(augmenting, Wiring.of(augmenting.layers(), anchorModel.numLayers(), pairs),
                    Augmentation.Mode.valueOf(entry.path("mode").asText()));
        }
        ComposedModel model = builder.build(manager);
        ModelFolder.readWeights(ParameterNames.of(model.compositionBlock()), folder.resolve(CONNECTIONS), manager);
        return model;
    }

    /**
     * @param recorded what the source records ({@link CompositionSource#recorded()}: a predictions
     *     view's start token and number of heads)
     * @return that, and the SHA-256 of the heads' file when there are heads
     */
    private static ObjectNode predictionsEntry(Map<String, Object> recorded, Path modelFolder) throws IOException {
        ObjectNode entry = JSON.valueToTree(recorded);
        if (entry.path("heads").asInt() > 0) {
            entry.put("headsSha256", sha256(modelFolder.resolve(ModelFolder.HEADS)));
        }
        return entry;
    }

    /** @return the model seen through its predictions as recorded, once its heads are found to be the recorded ones */
    private static Predictions predictions(Path specFile, JsonNode entry, DecoderLM model, Path modelFolder, NDManager manager)
            throws IOException {
        int count = entry.path("heads").asInt();
        List<NDArray> heads = List.of();
        if (count > 0) {
            Path file = modelFolder.resolve(ModelFolder.HEADS).normalize();
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(specFile + ": the augmenting model's predictions are read with " + count
                        + " multi-token heads, but " + file + " does not exist");
            }
            String actual = sha256(file);
            if (!actual.equals(entry.path("headsSha256").asText())) {
                throw new IllegalArgumentException(specFile + ": " + file + " does not hold the heads this composition was "
                        + "trained with (SHA-256 " + actual + ", the composition's " + entry.path("headsSha256").asText() + ")");
            }
            heads = ModelFolder.readHeads(file, manager);
            if (heads.size() != count) {
                throw new IllegalArgumentException(specFile + ": " + file + " holds " + heads.size() + " heads, the composition "
                        + "read " + count);
            }
        }
        try {
            return new Predictions(model, heads, entry.path("from").asInt());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(specFile + ": predictions: " + e.getMessage(), e);
        }
    }

    private static PositionBias positionBias(Path specFile, String name) {
        try {
            return PositionBias.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(specFile + ": positionBias '" + name + "' is not one of "
                    + Arrays.toString(PositionBias.values()), e);
        }
    }

    private static ObjectNode modelEntry(Path composition, Path modelFolder, DecoderLM model) throws IOException {
        ObjectNode entry = JSON.createObjectNode();
        Path from = composition.toAbsolutePath().normalize();
        FolderLayout layout = FolderLayout.detect(modelFolder);
        entry.put("folder", from.relativize(modelFolder.toAbsolutePath().normalize()).toString());
        entry.put("layout", layout.name());
        entry.set("config", JSON.valueToTree(model.config()));
        entry.put("weightsSha256", layout.weightsSha256(modelFolder));
        return entry;
    }

    /**
     * Finds a model the composition refers to, at its path relative to the composition's folder
     * (they move together); its weights' SHA-256 is checked afterwards.
     *
     * @throws IllegalArgumentException naming the path, where it leads and the weights' hash when no
     *     model is there (the composition folder was moved or copied without its models)
     */
    private static Path modelFolder(Path specFile, Path composition, String role, JsonNode entry) {
        String relative = entry.path("folder").asText();
        Path nearby = composition.resolve(relative).normalize();
        if (Files.isRegularFile(nearby.resolve("config.json"))) {
            return nearby;
        }
        throw new IllegalArgumentException(specFile + ": the " + role + " is missing: the composition refers to it as "
                + relative + ", relative to its own folder, which leads to " + nearby + ", and no model is there (no "
                + "config.json). Was the composition folder moved or copied without its models? Keep them side by side "
                + "as they were saved, or put the " + role + " (weights SHA-256 " + entry.path("weightsSha256").asText()
                + ") at " + nearby);
    }

    /** @return the layout of a base model's folder, after checking that it holds the recorded weights */
    private static FolderLayout checkWeights(Path specFile, String role, JsonNode entry, Path modelFolder) throws IOException {
        FolderLayout layout;
        String actual;
        try {
            layout = FolderLayout.detect(modelFolder);
            actual = layout.weightsSha256(modelFolder);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(specFile + ": the " + role + " is not in " + modelFolder + ": " + e.getMessage(), e);
        }
        String recorded = entry.path("weightsSha256").asText();
        if (!recorded.equals(actual)) {
            throw new IllegalArgumentException(specFile + ": the " + role + " in " + modelFolder
                    + " is not the model this composition was trained with (its weights' SHA-256 is " + actual
                    + ", the composition's " + recorded + ")");
        }
        return layout;
    }

    /** @return the lowercase hexadecimal SHA-256 of a file */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void checkArchitecture(Path specFile, String role, JsonNode entry, DecoderLM model) throws IOException {
        ModelConfig recorded = JSON.treeToValue(entry.path("config"), ModelConfig.class);
        if (!recorded.equals(model.config())) {
            throw new IllegalArgumentException(specFile + ": the " + role + " was composed with architecture "
                    + recorded + ", but the model given has " + model.config());
        }
    }
}
