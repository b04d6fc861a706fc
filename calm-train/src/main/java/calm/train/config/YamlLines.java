package calm.train.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The line of every field and list entry of a YAML text, by JSON pointer ({@code /training/steps},
 * {@code /composition/wiring/1}), so that an error found after parsing can still name its line.
 */
public final class YamlLines {

    private final Map<String, Integer> lines;

    private YamlLines(Map<String, Integer> lines) {
        this.lines = lines;
    }

    /**
     * @throws JsonProcessingException on a syntax error, with its location
     */
    public static YamlLines scan(String text) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                String pointer = parser.getParsingContext().pathAsPointer().toString();
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    // The container's own pointer is that of its key, seen already.
                    pointer = parser.getParsingContext().getParent() == null ? ""
                            : parser.getParsingContext().getParent().pathAsPointer().toString();
                }
                lines.putIfAbsent(pointer, parser.currentTokenLocation().getLineNr());
            }
        }
        return new YamlLines(lines);
    }

    /**
     * @return a YAML syntax error as "FILE:LINE: not valid YAML: PROBLEM", its parts joined on one
     *     line without the parser's pointer lines
     */
    public static String syntaxError(String source, JsonProcessingException e) {
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        String problem = Arrays.stream(e.getOriginalMessage().split("\n"))
                .map(String::strip)
                .filter(part -> !part.isEmpty() && !part.equals("^") && !part.startsWith("in 'reader'"))
                .collect(Collectors.joining("; "));
        return source + (line > 0 ? ":" + line : "") + ": not valid YAML: " + problem;
    }

    /**
     * @param pointer a JSON pointer such as {@code /training/steps}
     * @return the line of that field, or of its nearest written ancestor; -1 when none is written
     */
    public int lineOf(String pointer) {
        String at = pointer;
        while (!at.isEmpty()) {
            Integer line = lines.get(at);
            if (line != null) {
                return line;
            }
            at = at.substring(0, at.lastIndexOf('/'));
        }
        return -1;
    }

    /** @return whether the text writes this field itself */
    boolean writes(String pointer) {
        return lines.containsKey(pointer);
    }
}
