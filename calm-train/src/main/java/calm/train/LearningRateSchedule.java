package calm.train;

import ai.djl.training.tracker.Tracker;

/**
 * Linear warm-up, then cosine decay to a floor, as a DJL {@link Tracker}.
 *
 * <p>Update u (counted from 1, as DJL's optimizers count) gets
 * <pre>
 *   lr(u) = peak * u / warmup                                          for u &lt;= warmup
 *   lr(u) = floor + (peak - floor) * (1 + cos(pi * (u - warmup) / (steps - warmup))) / 2   after
 * </pre>
 * so the first update already moves the weights, the peak is reached on update {@code warmup},
 * and the last update ({@code u = steps}) runs at the floor. Updates beyond {@code steps} stay at
 * the floor.
 */
public final class LearningRateSchedule implements Tracker {

    private final double peak;
    private final double floor;
    private final int warmup;
    private final int steps;

    /**
     * @param peak the learning rate at the end of warm-up
     * @param floor the learning rate of the last update
     * @param warmup updates of linear warm-up, in [0, steps]
     * @param steps the total number of updates
     */
    public LearningRateSchedule(double peak, double floor, int warmup, int steps) {
        if (warmup < 0 || warmup > steps || steps < 1) {
            throw new IllegalArgumentException("need 0 <= warmup <= steps and steps >= 1, got warmup=" + warmup
                    + ", steps=" + steps);
        }
        this.peak = peak;
        this.floor = floor;
        this.warmup = warmup;
        this.steps = steps;
    }

    /** @return the schedule of a training config */
    public static LearningRateSchedule of(TrainingConfig config) {
        return new LearningRateSchedule(config.learningRate(), config.minLearningRate(), config.warmupSteps(), config.steps());
    }

    /**
     * @param update the update's number, from 1
     * @return its learning rate
     */
    @Override
    public float getNewValue(int update) {
        return (float) rate(update);
    }

    /**
     * @param update the update's number, from 1
     * @return its learning rate, in double precision
     */
    public double rate(int update) {
        if (update <= warmup) {
            return peak * Math.max(update, 1) / warmup;
        }
        if (update >= steps) {
            return floor;
        }
        double progress = (double) (update - warmup) / (steps - warmup);
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
