package calm.eval.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A system's outputs on a task as JSON Lines, one example per line, for inspection:
 * {@code {"index":0,"prompt":"ab+cd=","expected":"32","output":"32","stopped":true,"correct":true}}.
 * Written atomically.
 */
public final class OutputsFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OutputsFile() {}

    /** Writes the outputs, replacing the file. */
    public static void write(Path file, List<ExampleOutput> outputs) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            for (ExampleOutput output : outputs) {
                writer.write(JSON.writeValueAsString(output));
                writer.newLine();
            }
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads outputs back. */
    public static List<ExampleOutput> read(Path file) throws IOException {
        List<ExampleOutput> outputs = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                try {
                    outputs.add(JSON.readValue(line, ExampleOutput.class));
                } catch (JsonProcessingException e) {
                    throw new IOException(file + ": not an output line: " + line, e);
                }
            }
        }
        return outputs;
    }
}
