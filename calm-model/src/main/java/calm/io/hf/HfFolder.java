package calm.io.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import calm.io.ParameterNames;
import calm.model.DecoderLM;
import calm.model.ModelConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A Hugging Face model folder: {@code config.json}, safetensors weights (one file or shards with
 * an index) and optionally {@code tokenizer.json}. Loading builds this project's model of the same
 * architecture ({@link HfConfig}) and fills it through the explicit map of {@link HfWeights}.
 *
 * <p>Every check runs before any parameter is allocated: each mapped tensor must be present with
 * the shape the config implies and a float dtype (F32, F16 or BF16), and every other tensor must be
 * a known non-parameter buffer; otherwise the error names the file and the tensor. Weights are read
 * from memory-mapped files in blocks and widened to float32; the Java heap holds only the headers.
 * Nothing from the folder is ever executed (no pickle, no TorchScript).
 */
public final class HfFolder {

    /** The architecture file. */
    public static final String CONFIG = "config.json";
    /** The tokenizer file. */
    public static final String TOKENIZER = "tokenizer.json";

    private HfFolder() {}

    /** @return the folder's architecture as this project's config */
    public static ModelConfig readConfig(Path folder) throws IOException {
        return HfConfig.read(folder.resolve(CONFIG));
    }

    /**
     * Loads a model onto the manager's device as float32.
     *
     * @throws IllegalArgumentException naming the file (and field or tensor) when the folder is not
     *     a supported, consistent checkpoint
     */
    public static DecoderLM load(Path folder, NDManager manager) throws IOException {
        return load(folder, manager, ChunkReader.CHUNK_BYTES);
    }

    /** Loads reading {@code blockBytes} of output at a time. */
    static DecoderLM load(Path folder, NDManager manager, int blockBytes) throws IOException {
        ModelConfig config = readConfig(folder);
        DecoderLM model = config.newModel();
        Map<String, Parameter> parameters = ParameterNames.of(model);
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
            Map<String, List<TensorMapping>> plan = plan(config, checkpoint, parameters);
            ChunkReader reader = new ChunkReader(blockBytes);
            for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
                List<TensorMapping> sources = plan.get(entry.getKey());
                entry.getValue().setInitializer((m, shape, type) -> assemble(checkpoint, reader, sources, shape, m));
            }
            try {
                model.initialize(manager, DataType.FLOAT32);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return model;
    }

    /** @return the folder's tokenizer.json, read with truncation and padding off */
    public static HfTokenizer tokenizer(Path folder) throws IOException {
        return HfTokenizer.load(folder.resolve(TOKENIZER));
    }

    /** Checks the checkpoint against the mappings and groups them by the parameter they fill. */
    private static Map<String, List<TensorMapping>> plan(
            ModelConfig config, SafetensorsCheckpoint checkpoint, Map<String, Parameter> parameters) {
        Set<String> names = checkpoint.names();
        List<TensorMapping> mappings = config.hfTensors(names);
        Set<String> missing = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (TensorMapping mapping : mappings) {
            used.add(mapping.source());
            if (!names.contains(mapping.source())) {
                missing.add(mapping.source());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(checkpoint.source() + ": missing tensors " + missing
                    + " (config.json describes a model that needs them)");
        }
        Map<Path, Set<String>> unexpected = new TreeMap<>();
        for (String name : names) {
            if (!used.contains(name) && !config.hfIgnorable(name)) {
                unexpected.computeIfAbsent(checkpoint.fileOf(name).file(), file -> new TreeSet<>()).add(name);
            }
        }
        if (!unexpected.isEmpty()) {
            Map.Entry<Path, Set<String>> first = unexpected.entrySet().iterator().next();
            throw new IllegalArgumentException(first.getKey() + ": unexpected tensors " + first.getValue()
                    + " (not part of the model config.json describes)");
        }
        Map<String, List<TensorMapping>> byTarget = new LinkedHashMap<>();
        for (TensorMapping mapping : mappings) {
            SafetensorsFile file = checkpoint.fileOf(mapping.source());
            TensorInfo info = file.tensor(mapping.source());
            if (!info.dtype().widensToFloat32()) {
                throw new IllegalArgumentException(file.file() + ": tensor \"" + mapping.source() + "\" has dtype "
                        + info.dtype() + "; weights must be F32, F16 or BF16");
            }
            if (!info.shape().equals(mapping.sourceShape())) {
                throw new IllegalArgumentException(file.file() + ": tensor \"" + mapping.source() + "\" has shape "
                        + info.shape() + ", but config.json implies " + mapping.sourceShape());
            }
            byTarget.computeIfAbsent(mapping.target(), target -> new ArrayList<>()).add(mapping);
        }
        checkCoverage(byTarget, parameters);
        return byTarget;
    }

    /** Every parameter must be filled exactly: a failure here is a bug in a mapping function. */
    private static void checkCoverage(Map<String, List<TensorMapping>> byTarget, Map<String, Parameter> parameters) {
        if (!byTarget.keySet().equals(parameters.keySet())) {
            Set<String> unmapped = new TreeSet<>(parameters.keySet());
            unmapped.removeAll(byTarget.keySet());
            Set<String> unknown = new TreeSet<>(byTarget.keySet());
            unknown.removeAll(parameters.keySet());
            throw new IllegalStateException("weight mapping does not match the model: unmapped parameters "
                    + unmapped + ", unknown targets " + unknown);
        }
        for (Map.Entry<String, List<TensorMapping>> entry : byTarget.entrySet()) {
            Shape target = parameters.get(entry.getKey()).getShape();
            long rows = 0;
            for (TensorMapping mapping : entry.getValue()) {
                Shape part = mapping.targetShape();
                boolean fits = part.dimension() == target.dimension()
                        && part.slice(1).equals(target.slice(1))
                        && mapping.rowOffset() == rows;
                if (!fits) {
                    throw new IllegalStateException("mapping " + mapping + " does not fit " + entry.getKey() + " " + target);
                }
                rows += part.get(0);
            }
            if (rows != target.get(0)) {
                throw new IllegalStateException("mappings " + entry.getValue().stream().map(TensorMapping::source)
                        .collect(Collectors.toList()) + " fill " + rows + " of " + target.get(0) + " rows of " + entry.getKey());
            }
        }
    }

    /** Builds one parameter from its sources, a block of rows at a time. */
    private static NDArray assemble(
            SafetensorsCheckpoint checkpoint, ChunkReader reader, List<TensorMapping> sources, Shape shape, NDManager manager) {
        try {
            TensorMapping first = sources.get(0);
            SafetensorsFile firstFile = checkpoint.fileOf(first.source());
            TensorInfo firstInfo = firstFile.tensor(first.source());
            if (sources.size() == 1 && !first.transposed() && reader.rowsPerChunk(firstInfo) >= ChunkReader.rows(firstInfo)) {
                try (NDArray chunk = reader.chunk(firstFile, firstInfo, 0, ChunkReader.rows(firstInfo), manager)) {
                    return chunk.duplicate();
                }
            }
            // Uninitialised: checkCoverage guarantees the sources write every element.
            NDArray value = manager.create(shape, DataType.FLOAT32);
            for (TensorMapping mapping : sources) {
                SafetensorsFile file = checkpoint.fileOf(mapping.source());
                TensorInfo info = file.tensor(mapping.source());
                long rows = ChunkReader.rows(info);
                long step = reader.rowsPerChunk(info);
                for (long row = 0; row < rows; row += step) {
                    long count = Math.min(step, rows - row);
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray chunk = reader.chunk(file, info, row, count, scope);
                        if (mapping.transposed()) {
                            value.set(new NDIndex(":, {}:{}", row, row + count), chunk.transpose());
                        } else {
                            long at = mapping.rowOffset() + row;
                            value.set(new NDIndex("{}:{}", at, at + count), chunk);
                        }
                    }
                }
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
