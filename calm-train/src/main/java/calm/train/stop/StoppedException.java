package calm.train.stop;

/** A job stopped at a safe point on a signal; {@code calm} exits with {@link #exitCode()}. */
public final class StoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param signal the signal that asked for the stop
     * @param what where it stopped and how to continue
     */
    public StoppedException(StopRequest.Received signal, String what) {
        super("stopped on " + signal.name() + ": " + what);
        this.exitCode = signal.exitCode();
    }

    /** @return 128 + the signal's number */
    public int exitCode() {
        return exitCode;
    }
}
