package calm.train.config;

/**
 * How {@code calm run} runs the jobs of an experiment's graph: how many side by side, each in its own
 * process, and with how many intra-op threads each. Neither changes what a job computes beyond the
 * order of float summation that the thread count sets (docs/benchmarks.md, "Jobs side by side"), and
 * neither is part of any job's config sections, so changing them never retrains a saved result.
 *
 * @param parallelJobs the most jobs running at once; 0 chooses from the cores available: 1 on fewer
 *     than 4 (on 2 cores two jobs with one thread each took 545 s where one job at a time with two
 *     took 476 s, docs/benchmarks.md), else 2
 * @param threadsPerJob the intra-op threads of each job; 0 divides the cores available among the jobs
 *     running at once (at least 1 each)
 */
public record ExecutionConfig(int parallelJobs, int threadsPerJob) {

    /** The most jobs side by side a config may ask for. */
    public static final int MAX_PARALLEL_JOBS = 16;

    /** Checks the fields. */
    public ExecutionConfig {
        if (parallelJobs < 0 || parallelJobs > MAX_PARALLEL_JOBS) {
            throw new IllegalArgumentException("parallelJobs must be 0 (from the cores available) to " + MAX_PARALLEL_JOBS
                    + ", got " + parallelJobs);
        }
        if (threadsPerJob < 0) {
            throw new IllegalArgumentException("threadsPerJob must be 0 (from the cores available) or more, got "
                    + threadsPerJob);
        }
    }

    /** @return both chosen from the cores available */
    public static ExecutionConfig defaults() {
        return new ExecutionConfig(0, 0);
    }

    /**
     * @param cores the cores this process may use
     * @return the jobs side by side on that many cores
     */
    public int parallelJobs(int cores) {
        return parallelJobs > 0 ? parallelJobs : cores >= 4 ? 2 : 1;
    }

    /**
     * @param cores the cores this process may use
     * @return the intra-op threads of each job when {@link #parallelJobs(int)} run at once
     */
    public int threadsPerJob(int cores) {
        return threadsPerJob > 0 ? threadsPerJob : Math.max(1, cores / parallelJobs(cores));
    }
}
