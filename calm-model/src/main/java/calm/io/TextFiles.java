package calm.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Text and JSON files read strictly as UTF-8, with errors that name the file: bytes that are not
 * UTF-8 and JSON that does not parse are an {@link IllegalArgumentException} saying where. (Jackson
 * reading a file itself guesses UTF-16 or UTF-32 from the first bytes and then fails with a message
 * that names neither the file nor the problem; {@code Files.readAllLines} says "Input length = 1".)
 */
public final class TextFiles {

    private TextFiles() {}

    /**
     * @return the file's text
     * @throws IllegalArgumentException naming the file and the byte where it is not UTF-8
     */
    public static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text (" + e.getMessage() + ")", e);
        }
    }

    /** @return the file's lines, read as {@link #read} does */
    public static List<String> lines(Path file) throws IOException {
        return read(file).lines().toList();
    }

    /**
     * @return the file's JSON; a missing node when the file is empty
     * @throws IllegalArgumentException naming the file, and the line and column where it is not JSON
     */
    public static JsonNode json(Path file, ObjectMapper mapper) throws IOException {
        String text = read(file);
        try {
            return mapper.readTree(text); // a MissingNode for an empty file
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new IllegalArgumentException(file + ": not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }
}
