package calm.eval.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reads a training metrics log: JSON lines, one object per logged step, with at least an integer
 * {@code "step"} and a numeric {@code "loss"}, e.g.
 * <pre>{"step": 100, "loss": 2.31, "lr": 0.0003, "eval": {"accuracy": 0.41}}</pre>
 *
 * <p>Every other number on the line becomes one of the point's metrics; numbers in a nested object
 * are named with a dot ({@code "eval.accuracy"}); text and other values are ignored. A training
 * job killed mid-write leaves a truncated last line, and a log may be appended to by hand, so a
 * line that cannot be read (not JSON, no step, no finite loss) is skipped with a warning and
 * counted in {@link TrainingCurve#skippedLines()} instead of failing the report. Blank lines are
 * ignored.
 */
public final class MetricsLog {

    private static final Logger LOG = LogManager.getLogger(MetricsLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The metric that numbers the stages of a curve read by {@link #readStages}. */
    public static final String STAGE = "stage";

    private MetricsLog() {
    }

    /**
     * Reads a log.
     *
     * @param file the JSON-lines file
     * @return its readable points in file order, the count of skipped lines, and the path as source
     * @throws IOException if the file cannot be read at all
     */
    public static TrainingCurve read(Path file) throws IOException {
        List<CurvePoint> points = new ArrayList<>();
        int skipped = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    points.add(point(line));
                } catch (UnreadableLine e) {
                    skipped++;
                    LOG.warn("{}:{}: skipped line: {}", file, lineNumber, e.getMessage());
                }
            }
        }
        return new TrainingCurve(file.toString(), points, skipped);
    }

    /**
     * Reads the logs of a job trained in stages (a base model's first stage, then its prefix stage)
     * as one curve. Each stage's steps continue from the last step logged before it, so the curve
     * runs from the first stage's first update to the last stage's last; with more than one log
     * every point carries a metric {@code stage}, 1 for the first log, 2 for the next.
     *
     * @param files the stages' logs, in training order; at least one
     * @return their points, renumbered, the skipped lines of all of them, and the paths joined with
     *     {@code " + "} as source
     * @throws IOException if a file cannot be read at all
     */
    public static TrainingCurve readStages(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no metrics log to read");
        }
        if (files.size() == 1) {
            return read(files.get(0));
        }
        List<CurvePoint> points = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        int skipped = 0;
        long offset = 0;
        for (int i = 0; i < files.size(); i++) {
            TrainingCurve stage = read(files.get(i));
            for (CurvePoint point : stage.points()) {
                Map<String, Double> metrics = new LinkedHashMap<>(point.metrics());
                metrics.put(STAGE, (double) (i + 1));
                points.add(new CurvePoint(offset + point.step(), point.loss(), metrics));
            }
            if (!stage.points().isEmpty()) {
                offset += stage.points().get(stage.points().size() - 1).step();
            }
            skipped += stage.skippedLines();
            sources.add(stage.source());
        }
        return new TrainingCurve(String.join(" + ", sources), points, skipped);
    }

    private static CurvePoint point(String line) throws UnreadableLine {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UnreadableLine("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new UnreadableLine("not a JSON object");
        }
        JsonNode step = node.get("step");
        if (step == null || !step.isIntegralNumber() || !step.canConvertToLong()
                || step.asLong() < 0) {
            throw new UnreadableLine("\"step\" must be an integer >= 0, got " + step);
        }
        JsonNode loss = node.get("loss");
        if (loss == null || !loss.isNumber() || !Double.isFinite(loss.asDouble())) {
            throw new UnreadableLine("\"loss\" must be a finite number, got " + loss);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (!name.equals("step") && !name.equals("loss")) {
                collect(name, field.getValue(), metrics);
            }
        }
        return new CurvePoint(step.asLong(), loss.asDouble(), metrics);
    }

    private static void collect(String name, JsonNode value, Map<String, Double> metrics) {
        if (value.isNumber() && Double.isFinite(value.asDouble())) {
            metrics.put(name, value.asDouble());
        } else if (value.isObject()) {
            value.fields().forEachRemaining(
                    inner -> collect(name + "." + inner.getKey(), inner.getValue(), metrics));
        }
    }

    /** Why one line of the log was skipped. */
    private static final class UnreadableLine extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableLine(String reason) {
            super(reason, null, false, false);
        }
    }
}
