package calm.data;

import calm.io.TextFiles;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A prompt and the completion a model should write after it, as text, read from a JSON Lines file
 * of {@code {"prompt": "...", "completion": "..."}} objects (one per line; other fields are
 * ignored, blank lines skipped).
 *
 * @param prompt the text the model is given
 * @param completion the text it should continue with
 * @param line the example's line in its file (from 1), for messages
 */
public record TextExample(String prompt, String completion, int line) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * Reads a JSON Lines file.
     *
     * @throws IllegalArgumentException naming the file and line of the first malformed example,
     *     or the file when it is missing or holds no example
     */
    public static List<TextExample> readJsonLines(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        List<TextExample> examples = new ArrayList<>();
        List<String> lines = TextFiles.lines(file);
        int number = 0;
        for (String line : lines) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode object;
            try {
                object = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + ":" + number + ": not valid JSON: " + e.getOriginalMessage(), e);
            }
            if (object == null || !object.isObject()) {
                throw new IllegalArgumentException(file + ":" + number + ": expected an object {\"prompt\": ..., "
                        + "\"completion\": ...}, got " + line.strip());
            }
            examples.add(new TextExample(text(file, number, object, "prompt"), text(file, number, object, "completion"), number));
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(file + ": no examples (expected one {\"prompt\": ..., \"completion\": ...} "
                    + "object per line)");
        }
        return examples;
    }

    private static String text(Path file, int line, JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(file + ":" + line + ": field \"" + field + "\" must be text, got "
                    + (value == null ? "nothing" : value));
        }
        return value.textValue();
    }
}
