package calm.eval.run;

import calm.io.OutputLock;
import calm.train.experiment.Job;
import calm.train.stop.StopRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs the jobs of an experiment's graph that must train, each in its own process ({@code calm job}),
 * up to {@code parallel} at once: a job starts as soon as every job it needs has finished, in the
 * graph's order. Each process gets {@code threads} intra-op threads, so that the jobs running at once
 * never ask for more threads than there are cores. Every line a job prints is relayed with its name
 * in front ({@code [pretrain-a] ...}); a job's progress comes as log lines, never as a bar.
 *
 * <p>When a job fails, the jobs still running are stopped (their last checkpoints stay, for a
 * {@code calm run} again to resume from) and the run fails naming the job and its exit code.
 */
final class JobProcesses {

    /** A job to run and whether it resumes from its newest checkpoint. */
    record Planned(Job job, boolean resume) {}

    private final int parallel;
    private final int threads;
    private final Function<Job, List<String>> arguments;
    private final PrintWriter out;
    private final PrintStream err;

    /**
     * @param parallel the most jobs at once
     * @param threads the intra-op threads of each job
     * @param arguments the {@code calm} arguments that run a job, e.g. {@code job CONFIG --name pretrain-a}
     * @param out where the jobs' standard output is relayed
     * @param err where the jobs' standard error is relayed
     */
    JobProcesses(int parallel, int threads, Function<Job, List<String>> arguments, PrintWriter out, PrintStream err) {
        this.parallel = parallel;
        this.threads = threads;
        this.arguments = arguments;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the jobs to the end.
     *
     * @param planned the jobs that train, in the graph's order
     * @param done the jobs whose results are already there (reused)
     * @return each job's wall time in seconds, in the order they finished
     * @throws IllegalStateException when a job fails
     */
    Map<String, Double> run(List<Planned> planned, Set<String> done) throws IOException {
        List<Planned> waiting = new ArrayList<>(planned);
        Set<String> finished = new HashSet<>(done);
        Set<String> pending = new HashSet<>();
        planned.forEach(p -> pending.add(p.job().name()));
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<Running> running = new ArrayList<>();
        Thread stopper = new Thread(() -> running.forEach(r -> r.process().destroy()), "calm-stop-jobs");
        Runtime.getRuntime().addShutdownHook(stopper);
        // A SIGTERM sent to this process alone is passed on (a terminal's Ctrl-C reaches every job itself):
        // each job stops after its current update, with a checkpoint.
        Runnable passOn = () -> {
            if ("SIGTERM".equals(StopRequest.requested().name())) {
                synchronized (running) {
                    running.forEach(r -> r.process().destroy());
                }
            }
        };
        StopRequest.onRequest(passOn);
        try (StopRequest.SafePoints safe = StopRequest.safePoint()) {
            while (!waiting.isEmpty() || !running.isEmpty()) {
                for (var it = waiting.iterator(); it.hasNext() && running.size() < parallel && StopRequest.requested() == null;) {
                    Planned next = it.next();
                    boolean ready = next.job().needs().stream().noneMatch(need -> pending.contains(need) && !finished.contains(need));
                    if (ready) {
                        it.remove();
                        Running started = start(next);
                        synchronized (running) {
                            running.add(started);
                        }
                    }
                }
                if (running.isEmpty() && StopRequest.requested() != null) {
                    safe.check("calm run stopped; the jobs that finished are kept, and the same command resumes the others "
                            + "from their last checkpoints");
                }
                if (running.isEmpty()) {
                    throw new IllegalStateException("jobs " + waiting.stream().map(p -> p.job().name()).toList()
                            + " wait for each other");
                }
                Running ended = awaitAny(running);
                synchronized (running) {
                    running.remove(ended);
                }
                int code = ended.process().exitValue();
                ended.drain();
                if (code != 0 && StopRequest.requested() != null) {
                    continue; // it stopped on the signal; the others stop too, and the loop ends above
                }
                if (code != 0) {
                    running.forEach(r -> r.process().destroy());
                    for (Running other : running) {
                        waitFor(other.process());
                        other.drain();
                    }
                    throw new IllegalStateException("job " + ended.planned().job().name() + " failed with exit code " + code
                            + " (its output is above, each line starting [" + ended.planned().job().name() + "]); the "
                            + "jobs that finished are kept, and running the same command again resumes the others from "
                            + "their last checkpoints");
                }
                String name = ended.planned().job().name();
                double took = (System.nanoTime() - ended.start()) / 1e9;
                seconds.put(name, took);
                finished.add(name);
                String outcome = ended.planned().resume() ? "resumed and finished" : "finished";
                out.printf("%-20s %s in %.1f s -> %s%n", name, outcome, took, ended.planned().job().saved().getParent());
                out.flush();
            }
        } finally {
            StopRequest.remove(passOn);
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
        return seconds;
    }

    /** A job's process and the threads relaying its output. */
    private record Running(Planned planned, Process process, long start, Thread stdout, Thread stderr) {
        void drain() {
            join(stdout);
            join(stderr);
        }
    }

    private Running start(Planned planned) throws IOException {
        List<String> command = new ArrayList<>(javaCommand(threads));
        command.addAll(arguments.apply(planned.job()));
        if (planned.resume()) {
            command.add("--resume");
        }
        String name = planned.job().name();
        out.printf("%-20s started (%s, %d intra-op thread%s)%n", name, planned.resume() ? "resuming" : "from scratch",
                threads, threads == 1 ? "" : "s");
        out.flush();
        ProcessBuilder builder = new ProcessBuilder(command);
        // The job writes into the output folder whose lock this process holds.
        builder.environment().put(OutputLock.HELD_BY_PARENT, OutputLock.heldByThisProcess());
        Process process = builder.start();
        process.getOutputStream().close();
        Thread stdout = relay(process.getInputStream(), "[" + name + "] ", line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        });
        Thread stderr = relay(process.getErrorStream(), "[" + name + "] ", line -> {
            synchronized (err) {
                err.println(line);
                err.flush();
            }
        });
        return new Running(planned, process, System.nanoTime(), stdout, stderr);
    }

    /**
     * @return this JVM's command and options, with the engine's threads set to {@code threads}, to run
     *     {@code calm.cli.Calm} on the same class path
     */
    static List<String> javaCommand(int threads) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("-Dai.djl.pytorch.num_threads=") || option.startsWith("-XX:StartFlightRecording")
                    || option.startsWith("-agentlib:") || option.startsWith("-javaagent:")) {
                continue;
            }
            command.add(option);
        }
        command.add("-Dai.djl.pytorch.num_threads=" + threads);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("calm.cli.Calm");
        return command;
    }

    private static Thread relay(InputStream stream, String prefix, java.util.function.Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    sink.accept(prefix + line);
                }
            } catch (IOException e) {
                sink.accept(prefix + "(output lost: " + e.getMessage() + ")");
            }
        }, "calm-relay-" + prefix.trim());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static Running awaitAny(List<Running> running) {
        while (true) {
            for (Running job : running) {
                if (!job.process().isAlive()) {
                    return job;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.forEach(r -> r.process().destroy());
                throw new IllegalStateException("interrupted while jobs ran", e);
            }
        }
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
