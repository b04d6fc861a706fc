package calm.train.lora;

import ai.djl.ndarray.NDManager;
import calm.io.Checksums;
import calm.io.Folders;
import calm.io.ModelFolder;
import calm.io.ParameterNames;
import calm.io.TextFiles;
import calm.model.DecoderLM;
import calm.model.ModelConfig;
import calm.train.io.CompositionFolder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trained LoRA baseline: {@value #SPEC} (the base model's folder relative to this one, its
 * architecture and weights' SHA-256, the rank and targets), {@value #ADAPTERS} (the adapters'
 * parameters, named as in {@link LoraModel}) and {@value #PROVENANCE}. Like a composition, it does
 * not copy the frozen model, and loading refuses a base whose weights differ from those the
 * adapters were trained on. Saving is atomic.
 */
public final class LoraFolder {

    /** The adapters' description. */
    public static final String SPEC = "lora.json";
    /** The trained adapters. */
    public static final String ADAPTERS = "adapters.safetensors";
    /** Where the adapters came from. */
    public static final String PROVENANCE = "provenance.json";
    /** The format written to the spec. */
    public static final String FORMAT = "calm-lora/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LoraFolder() {}

    /**
     * Saves trained adapters.
     *
     * @param model the adapted model
     * @param folder the destination; replaced if it exists
     * @param baseFolder where the base model is saved
     * @param provenance written as provenance.json when not null
     */
    public static void save(LoraModel model, Path folder, Path baseFolder, Map<String, ?> provenance) throws IOException {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("format", FORMAT);
        ObjectNode base = spec.putObject("base");
        base.put("folder", folder.toAbsolutePath().normalize().relativize(baseFolder.toAbsolutePath().normalize()).toString());
        base.set("config", JSON.valueToTree(model.base().config()));
        base.put("weightsSha256", CompositionFolder.sha256(baseFolder.resolve(ModelFolder.WEIGHTS)));
        spec.put("rank", model.rank());
        model.targets().forEach(spec.putArray("targets")::add);
        Folders.writeAtomically(folder, staging -> {
            Files.writeString(staging.resolve(SPEC), JSON.writeValueAsString(spec));
            ModelFolder.writeWeights(ParameterNames.of(model), staging.resolve(ADAPTERS));
            if (provenance != null) {
                Files.writeString(staging.resolve(PROVENANCE), JSON.writeValueAsString(provenance));
            }
        });
    }

    /**
     * Loads trained adapters onto the base model the spec points at.
     *
     * @throws IllegalArgumentException when a file is missing or malformed, or the base model is
     *     not the one the adapters were trained on
     */
    public static LoraModel load(Path folder, NDManager manager) throws IOException {
        Checksums.verify(folder);
        Path specFile = folder.resolve(SPEC);
        if (!Files.isRegularFile(specFile)) {
            throw new IllegalArgumentException(specFile + ": no such file (a LoRA folder holds " + SPEC + " and " + ADAPTERS + ")");
        }
        JsonNode spec = TextFiles.json(specFile, JSON);
        if (!FORMAT.equals(spec.path("format").asText())) {
            throw new IllegalArgumentException(specFile + ": not a " + FORMAT + " file");
        }
        Path baseFolder = folder.resolve(spec.path("base").path("folder").asText());
        Path weights = baseFolder.resolve(ModelFolder.WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new IllegalArgumentException(specFile + ": the base model is not in " + baseFolder + " (no "
                    + ModelFolder.WEIGHTS + ")");
        }
        String recorded = spec.path("base").path("weightsSha256").asText();
        String actual = CompositionFolder.sha256(weights);
        if (!recorded.equals(actual)) {
            throw new IllegalArgumentException(specFile + ": the base model in " + baseFolder
                    + " is not the model these adapters were trained on (its weights' SHA-256 is " + actual
                    + ", the adapters' " + recorded + ")");
        }
        DecoderLM base = ModelFolder.load(baseFolder, manager);
        ModelConfig config = JSON.treeToValue(spec.path("base").path("config"), ModelConfig.class);
        if (!config.equals(base.config())) {
            throw new IllegalArgumentException(specFile + ": the adapters were trained on architecture " + config
                    + ", but " + baseFolder + " holds " + base.config());
        }
        List<String> targets = new ArrayList<>();
        spec.path("targets").forEach(target -> targets.add(target.asText()));
        LoraModel model = LoraModel.attach(base, spec.path("rank").asInt(), targets, manager);
        ModelFolder.readWeights(ParameterNames.of(model), folder.resolve(ADAPTERS), manager);
        return model;
    }
}
