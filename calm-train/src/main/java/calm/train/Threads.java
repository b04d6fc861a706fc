package calm.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;

/**
 * How many intra-op threads the engine uses in this process, chosen before it starts so that
 * processes side by side do not oversubscribe the cores: two jobs with 2 threads each on 2 cores
 * run 20 to 40 times slower than one, as their threads wait on each other (docs/benchmarks.md).
 *
 * <p>In order: {@code -Dai.djl.pytorch.num_threads} when set (as {@code calm run} sets it for the
 * jobs it starts), else {@value #ENV} when set, else the cores this process may use divided by the
 * number of {@code calm} processes running on the machine, this one included. The thread count
 * orders float sums, so a job trained with 1 thread and the same job with 2 differ in their last
 * bits; with the same count they are identical.
 */
public final class Threads {

    /** The engine's property for its intra-op threads. */
    public static final String PROPERTY = "ai.djl.pytorch.num_threads";
    /** The environment variable that sets the threads when the property is not set. */
    public static final String ENV = "CALM_THREADS";

    private static Choice chosen;

    private Threads() {}

    /**
     * What was chosen and why.
     *
     * @param threads the intra-op threads
     * @param reason one sentence for the log
     */
    public record Choice(int threads, String reason) {}

    /**
     * Chooses the threads once and sets the engine's property; later calls return the same choice.
     *
     * @throws IllegalArgumentException when the property or {@value #ENV} is not a positive integer
     */
    public static synchronized Choice choose() {
        if (chosen == null) {
            chosen = decide(System.getProperty(PROPERTY), System.getenv(ENV), cores(), otherCalmProcesses());
            System.setProperty(PROPERTY, Integer.toString(chosen.threads()));
        }
        return chosen;
    }

    /**
     * @return the intra-op threads the engine of this process uses, as the engine reports them (a
     *     process that never went through {@link #choose}, a test for one, has the engine's default)
     */
    public static int intraOp() {
        Engine.getInstance();
        return JniUtils.getNumThreads();
    }

    /** @return the cores this process may use */
    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    static Choice decide(String property, String environment, int cores, long others) {
        if (property != null && !property.isBlank()) {
            return new Choice(positive(property, "-D" + PROPERTY),
                    String.format(Locale.ROOT, "%s intra-op thread(s), as -D%s sets", property.trim(), PROPERTY));
        }
        if (environment != null && !environment.isBlank()) {
            return new Choice(positive(environment, ENV),
                    String.format(Locale.ROOT, "%s intra-op thread(s), as %s sets", environment.trim(), ENV));
        }
        int threads = (int) Math.max(1, cores / (others + 1));
        String company = others == 0 ? "no other calm process running"
                : others + " other calm process" + (others == 1 ? "" : "es") + " running";
        return new Choice(threads, String.format(Locale.ROOT, "%d intra-op thread(s): %d core(s), %s (%s sets them)",
                threads, cores, company, ENV));
    }

    private static int positive(String value, String where) {
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(where + " must be a positive number of threads, got '" + value + "'");
    }

    /** Other JVMs running the calm command (not this one, nor the processes it started). */
    private static long otherCalmProcesses() {
        ProcessHandle self = ProcessHandle.current();
        return ProcessHandle.allProcesses()
                .filter(process -> process.pid() != self.pid())
                .filter(process -> process.parent().map(parent -> parent.pid() != self.pid()).orElse(true))
                .filter(process -> process.info().commandLine().map(line -> line.contains("calm.cli.Calm")).orElse(false))
                .count();
    }
}
