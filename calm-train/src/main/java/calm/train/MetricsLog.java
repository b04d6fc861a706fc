package calm.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A job's metrics as JSON Lines, one object per reported update:
 * {@code {"step":100,"loss":1.93,"lr":0.001,"tokensPerSecond":41000.0,"gradientNorm":0.8,
 * "eval":{"eval-kv-substitution.loss":2.1,...}}}. {@code loss} is the mean training loss of the
 * updates since the previous line (the loss the console prints for that step); {@code eval} appears
 * on lines where an evaluation ran; {@code tokensPredicted} on lines of a job that trains
 * multi-token heads, whose loss is the sum over the tokens predicted.
 */
public final class MetricsLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter writer;

    private MetricsLog(BufferedWriter writer) {
        this.writer = writer;
    }

    /**
     * Opens a metrics file for appending. When resuming, lines written after the checkpoint's update
     * by the interrupted process are dropped first, so each update appears once.
     *
     * @param file the file, created if missing
     * @param keepUpTo keep lines whose step is at most this (-1 = start a new file)
     */
    public static MetricsLog open(Path file, int keepUpTo) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        List<String> kept = new ArrayList<>();
        if (keepUpTo >= 0 && Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (IOException e) {
                    continue; // a line cut short by the kill
                }
                if (node != null && node.path("step").asInt(Integer.MAX_VALUE) <= keepUpTo) {
                    kept.add(line);
                }
            }
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(temporary, kept, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return new MetricsLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    }

    /**
     * Writes one line and flushes it.
     *
     * @param predictTokens the tokens each position learns to predict: above 1, the loss is summed
     *     over them and the line says so ({@code "tokensPredicted": k})
     */
    public void write(StepReport report, Map<String, Double> eval, int predictTokens) {
        ObjectNode line = JSON.createObjectNode();
        line.put("step", report.step());
        line.put("loss", report.meanLoss());
        line.put("lr", report.learningRate());
        line.put("tokensPerSecond", report.tokensPerSecond());
        line.put("gradientNorm", report.gradientNorm());
        if (predictTokens > 1) {
            line.put("tokensPredicted", predictTokens);
        }
        if (eval != null && !eval.isEmpty()) {
            ObjectNode metrics = line.putObject("eval");
            eval.forEach(metrics::put);
        }
        try {
            writer.write(JSON.writeValueAsString(line));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
