package calm.eval.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validation of record fields at construction; every failure names the field. */
final class FieldChecks {

    private FieldChecks() {
    }

    static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidFieldException(field, "must be a non-empty string, got "
                    + (value == null ? "null" : "\"" + value + "\""));
        }
        return value;
    }

    /**
     * Checks the names of a comparison between two systems on one task's metric: each non-blank,
     * and the baseline not the system itself.
     */
    static void comparedPair(String system, String baseline, String task, String metric) {
        text("system", system);
        text("baseline", baseline);
        if (system.equals(baseline)) {
            throw new InvalidFieldException("baseline", "must differ from system, got \""
                    + baseline + "\" for both");
        }
        text("task", task);
        text("metric", metric);
    }

    static String nonNull(String field, String value) {
        if (value == null) {
            throw new InvalidFieldException(field, "must be a string, got null");
        }
        return value;
    }

    static double finite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidFieldException(field, "must be a finite number, got " + value);
        }
        return value;
    }

    static long nonNegative(String field, long value) {
        if (value < 0) {
            throw new InvalidFieldException(field, "must be >= 0, got " + value);
        }
        return value;
    }

    static <T> List<T> list(String field, List<T> values) {
        if (values == null) {
            throw new InvalidFieldException(field, "must be a list, got null");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new InvalidFieldException(field + "[" + i + "]", "must not be null");
            }
        }
        return List.copyOf(values);
    }

    /** Copies a map keeping its order, which is the order the report shows. */
    static <V> Map<String, V> map(String field, Map<String, V> values) {
        if (values == null) {
            throw new InvalidFieldException(field, "must be an object, got null");
        }
        Map<String, V> copy = new LinkedHashMap<>();
        for (Map.Entry<String, V> entry : values.entrySet()) {
            text(field + " key", entry.getKey());
            if (entry.getValue() == null) {
                throw new InvalidFieldException(field + "." + entry.getKey(), "must not be null");
            }
            copy.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }

    static List<String> names(String field, List<String> values) {
        List<String> copy = new ArrayList<>(list(field, values));
        for (int i = 0; i < copy.size(); i++) {
            text(field + "[" + i + "]", copy.get(i));
        }
        return List.copyOf(copy);
    }
}
