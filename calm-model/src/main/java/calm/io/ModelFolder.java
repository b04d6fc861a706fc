package calm.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import calm.io.hf.SafetensorsFile;
import calm.model.DecoderLM;
import calm.model.ModelConfig;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A saved model: a folder holding {@code config.json} (the architecture, with its family) and
 * {@code model.safetensors} (every parameter under its dotted name, see {@link ParameterNames}),
 * plus an optional {@code provenance.json} and, for a model pretrained with multi-token
 * prediction, {@code heads.safetensors}: the heads that predict tokens t + 2, t + 3, ... (named
 * {@value #HEAD_PREFIX}t2.weight, t3, ...; {@link #readHeads}), which the model itself never uses
 * but {@link calm.compose.Predictions} reads through.
 *
 * <p>Saving is atomic: the folder is written beside its destination and renamed into place, so a
 * killed save leaves either the old folder or the new one, never a mixture.
 */
public final class ModelFolder {

    /** The architecture file. */
    public static final String CONFIG = "config.json";
    /** The parameter file. */
    public static final String WEIGHTS = "model.safetensors";
    /** Where the model came from: config, seed, commit, library versions. */
    public static final String PROVENANCE = "provenance.json";
    /** The multi-token heads, when the model was pretrained with them. */
    public static final String HEADS = "heads.safetensors";
    /** The prefix of the heads' names, in {@value #HEADS} as in a multi-token job's checkpoints. */
    public static final String HEAD_PREFIX = "mtp.";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The families a config.json may name, as {@link ModelConfig} registers them. */
    private static final List<String> FAMILIES = Arrays.stream(ModelConfig.class.getAnnotation(JsonSubTypes.class).value())
            .map(JsonSubTypes.Type::name).toList();

    private ModelFolder() {}

    /**
     * Saves a model.
     *
     * @param model an initialised model
     * @param folder the destination; replaced if it exists
     * @param provenance written as provenance.json when not null
     */
    public static void save(DecoderLM model, Path folder, Map<String, ?> provenance) throws IOException {
        save(model, List.of(), folder, provenance);
    }

    /**
     * Saves a model with its multi-token heads, in the same atomic write.
     *
     * @param heads the [D, D] heads for tokens t + 2, t + 3, ... in order; none writes no
     *     {@value #HEADS}
     */
    public static void save(DecoderLM model, List<NDArray> heads, Path folder, Map<String, ?> provenance) throws IOException {
        Folders.writeAtomically(folder, staging -> {
            Files.writeString(staging.resolve(CONFIG), JSON.writerFor(ModelConfig.class).writeValueAsString(model.config()));
            writeWeights(ParameterNames.of(model), staging.resolve(WEIGHTS));
            if (!heads.isEmpty()) {
                try (NDList named = new NDList()) {
                    for (int i = 0; i < heads.size(); i++) {
                        NDArray head = heads.get(i).duplicate();
                        head.setName(HEAD_PREFIX + "t" + (i + 2) + ".weight");
                        named.add(head);
                    }
                    writeSafetensors(named, staging.resolve(HEADS));
                }
            }
            if (provenance != null) {
                Files.writeString(staging.resolve(PROVENANCE), JSON.writeValueAsString(provenance));
            }
        });
    }

    /**
     * Writes named parameters as one safetensors file (F32, names as given), atomically.
     */
    public static void writeWeights(Map<String, Parameter> parameters, Path file) throws IOException {
        NDList list = new NDList();
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            NDArray array = entry.getValue().getArray();
            array.setName(entry.getKey());
            list.add(array);
        }
        writeSafetensors(list, file);
    }

    /** Writes named arrays as one safetensors file, atomically. */
    private static void writeSafetensors(NDList list, Path file) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Loads a saved model onto the manager's device, as float32.
     *
     * @throws IllegalArgumentException naming the file and tensor when the folder does not match
     *     its config (missing, unexpected or misshapen tensor)
     */
    public static DecoderLM load(Path folder, NDManager manager) throws IOException {
        Checksums.verify(folder);
        ModelConfig config = readConfig(folder);
        DecoderLM model = config.newModel();
        // Zeros are cheap and every value is overwritten below.
        model.setInitializer(Initializer.ZEROS, parameter -> true);
        model.initialize(manager, DataType.FLOAT32);
        readWeights(ParameterNames.of(model), folder.resolve(WEIGHTS), manager);
        return model;
    }

    /**
     * Reads multi-token heads ({@value #HEAD_PREFIX}t2.weight, t3, ...) from a model folder's
     * {@value #HEADS} or from a multi-token job's checkpoint parameters.
     *
     * @param file a {@value #HEADS} file or a checkpoint's parameters file
     * @return the heads for tokens t + 2, t + 3, ... in order; empty when the file holds none
     * @throws IllegalArgumentException naming the file when it is not a readable safetensors file
     */
    public static List<NDArray> readHeads(Path file, NDManager manager) throws IOException {
        Checksums.verifyFile(file);
        try (SafetensorsFile tensors = SafetensorsFile.open(file)) {
            List<NDArray> heads = new ArrayList<>();
            for (int k = 2; tensors.tensors().containsKey(HEAD_PREFIX + "t" + k + ".weight"); k++) {
                heads.add(tensors.read(HEAD_PREFIX + "t" + k + ".weight", manager));
            }
            return heads;
        }
    }

    /** Reads and validates a folder's config.json. */
    public static ModelConfig readConfig(Path folder) throws IOException {
        Path file = folder.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file (a model folder holds " + CONFIG + " and " + WEIGHTS + ")");
        }
        try {
            return JSON.readValue(TextFiles.read(file), ModelConfig.class);
        } catch (InvalidTypeIdException e) {
            throw new IllegalArgumentException(file + ": field \"family\" is " + (e.getTypeId() == null ? "missing"
                    : "\"" + e.getTypeId() + "\"") + "; supported: " + FAMILIES, e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fills parameters from a safetensors file, matching by name.
     *
     * @throws IllegalArgumentException naming the file and the tensor on a missing, unexpected or
     *     misshapen tensor; the SHA-256 its folder records is checked by the folder's loader
     */
    public static void readWeights(Map<String, Parameter> parameters, Path file, NDManager manager) throws IOException {
        // The strict reader checks the header and every tensor's offsets against the file first, so that
        // a truncated or damaged file is named with what is wrong (DJL's decoder says "Malformed data"
        // or "integer overflow").
        // The SHA-256 recorded when the folder was saved is checked by the folder's loader, once for all its files.
        try (SafetensorsFile checked = SafetensorsFile.open(file)) {
            checked.tensors();
        }
        try (NDManager reading = manager.newSubManager();
                InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            NDList arrays;
            try {
                arrays = NDList.decode(reading, in);
            } catch (RuntimeException e) {
                throw new DamagedFileException(file + ": not a readable safetensors file: " + e.getMessage(), e);
            }
            Map<String, NDArray> byName = new HashMap<>();
            for (NDArray array : arrays) {
                byName.put(array.getName(), array);
            }
            Set<String> unexpected = new TreeSet<>(byName.keySet());
            unexpected.removeAll(parameters.keySet());
            if (!unexpected.isEmpty()) {
                throw new IllegalArgumentException(file + ": unexpected tensors " + unexpected);
            }
            Set<String> missing = new TreeSet<>(parameters.keySet());
            missing.removeAll(byName.keySet());
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException(file + ": missing tensors " + missing);
            }
            for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
                NDArray array = byName.get(entry.getKey());
                NDArray target = entry.getValue().getArray();
                if (!array.getShape().equals(target.getShape())) {
                    throw new IllegalArgumentException(file + ": tensor " + entry.getKey() + " has shape "
                            + array.getShape() + ", the model expects " + target.getShape());
                }
            }
            for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
                Parameter parameter = entry.getValue();
                NDArray target = parameter.getArray();
                // duplicate(): a decoded array wraps a direct buffer that only its own Java object
                // keeps alive; intern() moves the native handle but not that reference, so without a
                // copy the parameter would read freed memory once the buffer is garbage-collected.
                NDArray value = byName.get(entry.getKey()).toType(target.getDataType(), false)
                        .toDevice(target.getDevice(), false).duplicate();
                value.attach(target.getManager());
                target.intern(value);
                target.setName(parameter.getName());
                if (parameter.requiresGradient()) {
                    target.setRequiresGradient(true);
                }
            }
        }
    }

}
