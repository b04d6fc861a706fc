package calm.train.config;

/**
 * A configuration that cannot be used: a missing file, bad YAML, an unknown field, a value of the
 * wrong type or out of range. The message names the file, the line where known, the field and
 * what is allowed, e.g. {@code configs/kv.yaml:12: training.learningRate: learningRate must be in
 * (0, 10], got -1.0}.
 */
public final class ConfigException extends RuntimeException {

    /** @param message the complete message, file and line included */
    public ConfigException(String message) {
        super(message);
    }

    /** @param message the complete message, file and line included */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
