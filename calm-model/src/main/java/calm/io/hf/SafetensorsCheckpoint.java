package calm.io.hf;

import calm.io.Checksums;
import calm.io.TextFiles;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The weights of a Hugging Face model folder: one {@code model.safetensors}, or shards listed by
 * {@code model.safetensors.index.json} ({@code {"weight_map": {tensor: shard file}}}). Shards are
 * plain file names inside the folder; the index and the shards' headers must agree exactly.
 *
 * <p>Only safetensors are read: {@code pytorch_model.bin} is a pickle, which can run code when
 * loaded.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {

    /** The single-file weights. */
    public static final String SINGLE = "model.safetensors";
    /** The index of sharded weights. */
    public static final String INDEX = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path source;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;

    private SafetensorsCheckpoint(Path source, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
        this.source = source;
        this.files = List.copyOf(files);
        this.byTensor = Collections.unmodifiableMap(byTensor);
    }

    /**
     * Opens the weights of a folder and checks every header (and the index when sharded).
     *
     * @throws IllegalArgumentException naming the file when a file is missing or malformed
     * @throws calm.io.DamagedFileException naming the file when it differs from the SHA-256 the folder records
     */
    public static SafetensorsCheckpoint open(Path folder) throws IOException {
        Checksums.verify(folder); // a folder this project wrote records its files' SHA-256
        Path single = folder.resolve(SINGLE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> byTensor = new TreeMap<>();
            file.tensors().keySet().forEach(name -> byTensor.put(name, file));
            return new SafetensorsCheckpoint(single, List.of(file), byTensor);
        }
        Path index = folder.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            throw new IllegalArgumentException(folder + ": neither " + SINGLE + " nor " + INDEX
                    + " (only safetensors weights are read; pickled pytorch_model.bin files can run code)");
        }
        return openSharded(folder, index);
    }

    private static SafetensorsCheckpoint openSharded(Path folder, Path index) throws IOException {
        Map<String, String> weightMap = readWeightMap(index);
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> byTensor = new TreeMap<>();
        try {
            for (Map.Entry<String, String> entry : weightMap.entrySet()) {
                String shardName = entry.getValue();
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    Path shardPath = folder.resolve(shardName);
                    if (!Files.isRegularFile(shardPath)) {
                        throw new IllegalArgumentException(index + ": tensor \"" + entry.getKey() + "\" is mapped to shard "
                                + shardName + ", which does not exist");
                    }
                    shard = SafetensorsFile.open(shardPath);
                    shards.put(shardName, shard);
                }
                if (!shard.tensors().containsKey(entry.getKey())) {
                    throw new IllegalArgumentException(index + ": tensor \"" + entry.getKey() + "\" is mapped to "
                            + shard.file() + ", which does not hold it");
                }
                byTensor.put(entry.getKey(), shard);
            }
            for (SafetensorsFile shard : shards.values()) {
                for (String name : shard.tensors().keySet()) {
                    if (byTensor.get(name) != shard) {
                        throw new IllegalArgumentException(shard.file() + ": holds tensor \"" + name + "\", which "
                                + index.getFileName() + " maps " + (weightMap.containsKey(name) ? "to " + weightMap.get(name) : "nowhere"));
                    }
                }
            }
        } catch (RuntimeException | IOException e) {
            for (SafetensorsFile shard : shards.values()) {
                shard.close();
            }
            throw e;
        }
        return new SafetensorsCheckpoint(index, new ArrayList<>(shards.values()), byTensor);
    }

    private static Map<String, String> readWeightMap(Path index) throws IOException {
        JsonNode root;
        root = TextFiles.json(index, JSON);
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new IllegalArgumentException(index + ": field \"weight_map\" must be a non-empty object {tensor: shard file}");
        }
        Map<String, String> weightMap = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = map.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String shard = entry.getValue().isTextual() ? entry.getValue().textValue() : "";
            // A shard is a file beside the index: no directories, so an index cannot point outside its folder.
            if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals(".") || shard.equals("..")) {
                throw new IllegalArgumentException(index + ": tensor \"" + entry.getKey() + "\" is mapped to "
                        + entry.getValue() + ", which is not a file name in the same folder");
            }
            weightMap.put(entry.getKey(), shard);
        }
        return weightMap;
    }

    /** @return the file that lists the tensors: model.safetensors or the index */
    public Path source() {
        return source;
    }

    /** @return the files holding the tensors: model.safetensors, or each shard once */
    public List<Path> files() {
        return files.stream().map(SafetensorsFile::file).toList();
    }

    /** @return every tensor name, sorted */
    public Set<String> names() {
        return new TreeSet<>(byTensor.keySet());
    }

    /** @return the file holding a tensor, or null when no file holds it */
    public SafetensorsFile fileOf(String name) {
        return byTensor.get(name);
    }

    @Override
    public void close() throws IOException {
        for (SafetensorsFile file : files) {
            file.close();
        }
    }
}
