package calm.bench;

import calm.train.Progress;
import calm.train.StepReport;
import java.util.Arrays;
import java.util.Map;

/** A {@link Progress} that shows nothing and records when each update of a training job ended. */
public final class StepTimes implements Progress {

    private final long[] ends;
    private long start;
    private int count;

    /** @param steps the most updates recorded */
    public StepTimes(int steps) {
        ends = new long[steps];
    }

    @Override
    public void started(String job, int firstStep, int steps) {
        start = System.nanoTime();
    }

    /** @return when the job's first update started ({@link System#nanoTime()}) */
    public long startNanos() {
        return start;
    }

    @Override
    public void stepped(StepReport report) {
        if (count < ends.length) {
            ends[count++] = System.nanoTime();
        }
    }

    @Override
    public void evaluated(int step, Map<String, Double> metrics) {}

    @Override
    public void close() {}

    /**
     * @param warmups the first updates left out
     * @return the median update time in milliseconds
     * @throws IllegalStateException when no update after the warm-ups was recorded
     */
    public double median(int warmups) {
        if (count <= warmups) {
            throw new IllegalStateException(count + " updates recorded, none after " + warmups + " warm-ups");
        }
        double[] times = new double[count - warmups];
        for (int i = warmups; i < count; i++) {
            times[i - warmups] = (ends[i] - (i == 0 ? start : ends[i - 1])) / 1e6;
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }
}
