package calm.train;

import java.nio.file.Path;

/**
 * A training job met a loss or gradient that is not a finite number and stopped before applying
 * that update. The last checkpoint written before it is kept untouched.
 */
public final class NonFiniteLossException extends RuntimeException {

    private final int step;
    private final transient Path lastCheckpoint;

    /**
     * @param job the job's name
     * @param step the update whose loss was not finite, from 1
     * @param what {@code "loss"} or {@code "gradient norm"}
     * @param value the offending value
     * @param lastCheckpoint the newest checkpoint, or null when none was written
     */
    public NonFiniteLossException(String job, int step, String what, double value, Path lastCheckpoint) {
        super(job + ": the " + what + " at step " + step + " is " + value + "; training stopped before that update. "
                + (lastCheckpoint == null
                        ? "No checkpoint had been written yet."
                        : "The last good checkpoint is kept in " + lastCheckpoint + "."));
        this.step = step;
        this.lastCheckpoint = lastCheckpoint;
    }

    /** @return the update whose loss was not finite, from 1 */
    public int step() {
        return step;
    }

    /** @return the newest checkpoint, or null */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }
}
