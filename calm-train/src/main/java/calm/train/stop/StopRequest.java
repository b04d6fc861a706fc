package calm.train.stop;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Stopping on SIGTERM and SIGINT at a safe point. The first signal asks the running job to stop
 * after its current update: the training loop then writes a checkpoint and ends
 * ({@link StoppedException}), so that the same command continues from it to the same result as an
 * uninterrupted run. The request is honoured between engine calls, never by tearing the engine
 * down in the middle of one (that ended a JVM in libtorch's backward pass once). A second signal
 * stops at once.
 *
 * <p>Where no safe point is open ({@link #safePoint}: no training loop or evaluation running, e.g.
 * while the data are built, or in {@code calm generate}), the first signal stops at once too, as
 * without a handler: nothing is then half-written that an atomic write would not discard.
 *
 * <p>Exit codes follow the shell's convention, 128 + the signal's number: 143 for SIGTERM, 130 for
 * SIGINT.
 */
public final class StopRequest {

    private static final List<Runnable> LISTENERS = new CopyOnWriteArrayList<>();
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static volatile Received received;
    private static volatile PrintStream err = System.err;

    /** A signal received: its name ({@code SIGTERM}) and the exit code it stops with. */
    public record Received(String name, int exitCode) {}

    private StopRequest() {}

    /** Handles SIGTERM and SIGINT from now on (once per process; {@code calm}'s main does it). */
    public static void install() {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> receive(new Received("SIG" + signal.getName(), 128 + signal.getNumber())));
            } catch (IllegalArgumentException e) {
                // the platform has no such signal, or the JVM reserves it (-Xrs): the default stays
            }
        }
    }

    /**
     * Acts on a signal as the handler does: a first one (inside a safe point) asks for a stop, a
     * second one, or one outside every safe point, stops the process at once.
     */
    static void receive(Received signal) {
        if (received != null || OPEN.get() == 0) {
            err.println("calm: " + signal.name() + (received != null ? " again" : "") + ": stopping at once");
            err.flush();
            Runtime.getRuntime().halt(signal.exitCode());
        }
        request(signal);
        err.println("calm: " + signal.name() + ": stopping after the current update, with a checkpoint to continue from "
                + "(send it again to stop at once)");
        err.flush();
    }

    /** Asks the running job to stop at its next safe point, as a first signal does. */
    public static void request(Received signal) {
        received = signal;
        LISTENERS.forEach(Runnable::run);
    }

    /** @return the signal that asked for a stop, or null */
    public static Received requested() {
        return received;
    }

    /** Forgets a request (a process runs one command; tests run several). */
    public static void clear() {
        received = null;
    }

    /** Runs when a stop is requested (e.g. passing it on to the jobs this process started). */
    public static void onRequest(Runnable listener) {
        LISTENERS.add(listener);
    }

    /** Stops running a listener. */
    public static void remove(Runnable listener) {
        LISTENERS.remove(listener);
    }

    /**
     * Opens a stretch of work that checks for a stop request at its safe points, so that a first
     * signal waits for one of them.
     */
    public static SafePoints safePoint() {
        OPEN.incrementAndGet();
        return new SafePoints();
    }

    /** A stretch of work with safe points; closing it ends the stretch. */
    public static final class SafePoints implements AutoCloseable {
        private boolean closed;

        private SafePoints() {}

        /**
         * @param what the job and where it is, e.g. "pretrain-a stopped after update 120 of 600"
         * @throws StoppedException when a stop was requested
         */
        public void check(String what) {
            Received signal = received;
            if (signal != null) {
                throw new StoppedException(signal, what);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                OPEN.decrementAndGet();
            }
        }
    }
}
