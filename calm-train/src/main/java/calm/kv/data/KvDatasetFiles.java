package calm.kv.data;

import calm.io.AtomicFiles;
import calm.io.TextFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes the key-value arithmetic data as JSON Lines, one object per line, UTF-8.
 *
 * <p>Example lines: {@code {"task":"kv-arithmetic","prompt":"ab+cd-ef=","target":"8","keys":["ab","cd","ef"]}}.
 * Store lines: {@code {"key":"ab","value":10,"composition":true}}. Every file is written atomically.
 */
public final class KvDatasetFiles {

    /** The file holding the store and the key split, in a dataset folder. */
    public static final String KEY_VALUES_FILE = "key-values.jsonl";
    /** The file describing a dataset folder: format, seed, settings, splits. */
    public static final String MANIFEST_FILE = "manifest.json";
    /** The format written to the manifest; changes whenever a file's layout does. */
    public static final String FORMAT = "calm-kv-arithmetic/1";

    private static final ObjectMapper JSON = new ObjectMapper();

    private KvDatasetFiles() {
    }

    /**
     * Writes examples, one per line.
     *
     * @param file the file to write or replace
     * @param examples the examples, in order
     * @throws IOException if the file cannot be written
     */
    public static void writeExamples(Path file, List<KvExample> examples) throws IOException {
        AtomicFiles.writeText(file, writer -> {
            for (KvExample example : examples) {
                ObjectNode line = JSON.createObjectNode();
                line.put("task", example.task().id());
                line.put("prompt", example.prompt());
                line.put("target", example.target());
                ArrayNode keys = line.putArray("keys");
                example.keys().forEach(keys::add);
                writer.write(JSON.writeValueAsString(line));
                writer.write('\n');
            }
        });
    }

    /**
     * Reads examples written by {@link #writeExamples}.
     *
     * @param file a JSON Lines file
     * @return the examples, in file order
     * @throws IOException if the file cannot be read, or a line is malformed (the message names the
     *     file, the line and the problem)
     */
    public static List<KvExample> readExamples(Path file) throws IOException {
        List<KvExample> examples = new ArrayList<>();
        forEachLine(file, node -> {
            List<String> keys = new ArrayList<>();
            JsonNode keyArray = node.get("keys");
            if (keyArray == null || !keyArray.isArray()) {
                throw new IllegalArgumentException("field 'keys' must be an array");
            }
            keyArray.forEach(key -> keys.add(key.asText()));
            examples.add(new KvExample(KvTask.fromId(text(node, "task")), text(node, "prompt"),
                    text(node, "target"), keys));
        });
        return examples;
    }

    /**
     * Writes the store and the key split, one key per line in store order.
     *
     * @param file the file to write or replace
     * @param store the store
     * @param keySplit which of its keys D_C may use
     * @throws IOException if the file cannot be written
     */
    public static void writeStore(Path file, KeyValueStore store, KeySplit keySplit) throws IOException {
        Set<String> composition = new HashSet<>(keySplit.compositionKeys());
        AtomicFiles.writeText(file, writer -> {
            for (String key : store.keys()) {
                ObjectNode line = JSON.createObjectNode();
                line.put("key", key);
                line.put("value", store.value(key));
                line.put("composition", composition.contains(key));
                writer.write(JSON.writeValueAsString(line));
                writer.write('\n');
            }
        });
    }

    /**
     * Reads the store from a file written by {@link #writeStore}.
     *
     * @param file a key-value file
     * @return the store
     * @throws IOException if the file cannot be read or is malformed
     */
    public static KeyValueStore readStore(Path file) throws IOException {
        List<String> keys = new ArrayList<>();
        List<Integer> values = new ArrayList<>();
        forEachLine(file, node -> {
            keys.add(text(node, "key"));
            JsonNode value = node.get("value");
            if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToInt()) {
                throw new IllegalArgumentException("field 'value' must be an integer");
            }
            values.add(value.intValue());
        });
        try {
            return KeyValueStore.of(keys, values);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the key split from a file written by {@link #writeStore}.
     *
     * @param file a key-value file
     * @return the composition keys and the others, in file order
     * @throws IOException if the file cannot be read or is malformed
     */
    public static KeySplit readKeySplit(Path file) throws IOException {
        List<String> composition = new ArrayList<>();
        List<String> other = new ArrayList<>();
        forEachLine(file, node -> {
            JsonNode flag = node.get("composition");
            if (flag == null || !flag.isBoolean()) {
                throw new IllegalArgumentException("field 'composition' must be true or false");
            }
            (flag.booleanValue() ? composition : other).add(text(node, "key"));
        });
        return new KeySplit(composition, other);
    }

    /**
     * Writes a whole dataset to a folder: one {@code <split>.jsonl} per split, the store in
     * {@value #KEY_VALUES_FILE}, and {@value #MANIFEST_FILE} with the format, seed, settings, key
     * counts and each split's file, task and size.
     *
     * @param folder the folder, created if missing; files of the same names are replaced
     * @param datasets the datasets
     * @throws IOException if a file cannot be written
     */
    public static void writeDatasets(Path folder, KvArithmeticDatasets datasets) throws IOException {
        Files.createDirectories(folder);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("seed", datasets.seed());
        ObjectNode settings = JSON.valueToTree(datasets.settings());
        if (datasets.settings().sizes().compositionValidation() == 0) {
            // Without a validation split the manifest reads as it did before there could be one.
            ((ObjectNode) settings.get("sizes")).remove("compositionValidation");
        }
        manifest.set("settings", settings);
        ObjectNode keys = manifest.putObject("keys");
        keys.put("file", KEY_VALUES_FILE);
        keys.put("total", datasets.store().size());
        keys.put("composition", datasets.keySplit().compositionKeys().size());
        ObjectNode splits = manifest.putObject("splits");
        for (KvSplit split : datasets.splits()) {
            writeExamples(folder.resolve(split.fileName()), datasets.get(split));
            ObjectNode entry = splits.putObject(split.id());
            entry.put("file", split.fileName());
            entry.put("task", split.task().id());
            entry.put("training", split.training());
            entry.put("examples", datasets.get(split).size());
        }
        writeStore(folder.resolve(KEY_VALUES_FILE), datasets.store(), datasets.keySplit());
        // The manifest goes last: a folder with a manifest is a complete one.
        AtomicFiles.writeText(folder.resolve(MANIFEST_FILE),
                writer -> writer.write(JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(manifest) + "\n"));
    }

    /** Handles one parsed line; an IllegalArgumentException is reported with the file and line. */
    @FunctionalInterface
    private interface LineHandler {
        void accept(JsonNode node);
    }

    private static void forEachLine(Path file, LineHandler handler) throws IOException {
        List<String> lines = TextFiles.lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException("expected a JSON object");
                }
                handler.accept(node);
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return value.asText();
    }
}
