package calm.merge;

import java.util.List;

/**
 * A parameter a merge method reads.
 *
 * @param name its name in the config
 * @param kind the values it takes
 * @param defaultValue its value when the config writes none; null when the config must write it
 * @param perModel whether each model has its own value (weight, density), or the whole merge one
 *     (t, normalize)
 */
record ParameterDef(String name, Kind kind, Object defaultValue, boolean perModel) {

    /** What values a parameter takes. */
    enum Kind {
        /** A finite number. */
        NUMBER,
        /** A number in (0, 1]: the share of a delta that is kept. */
        FRACTION,
        /** A number in [0, 1). */
        SHARE,
        /** true or false. */
        BOOLEAN,
        /** One of {@link #RESCALE_NORMS}. */
        RESCALE_NORM
    }

    /** The values of {@code rescale_norm}. */
    static final List<String> RESCALE_NORMS = List.of("density", "l1");

    static ParameterDef required(String name, Kind kind, boolean perModel) {
        return new ParameterDef(name, kind, null, perModel);
    }

    static ParameterDef optional(String name, Kind kind, Object defaultValue, boolean perModel) {
        return new ParameterDef(name, kind, defaultValue, perModel);
    }

    /**
     * Checks a value against the kind.
     *
     * @return null when valid, otherwise what is wrong, e.g. "must be in (0, 1], got 1.5"
     */
    String problem(Object value) {
        return switch (kind) {
            case NUMBER -> value instanceof Double d && Double.isFinite(d) ? null : "must be a number, got " + describe(value);
            case FRACTION -> value instanceof Double d && d > 0 && d <= 1 ? null : "must be in (0, 1], got " + describe(value);
            case SHARE -> value instanceof Double d && d >= 0 && d < 1 ? null : "must be in [0, 1), got " + describe(value);
            case BOOLEAN -> value instanceof Boolean ? null : "must be true or false, got " + describe(value);
            case RESCALE_NORM -> RESCALE_NORMS.contains(value) ? null : "must be one of " + RESCALE_NORMS + ", got " + describe(value);
        };
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
