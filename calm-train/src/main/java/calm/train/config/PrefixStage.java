package calm.train.config;

import calm.train.TrainingConfig;

/**
 * A second pretraining stage: the model goes on learning its task with each prompt behind 0 to
 * {@code longest} characters cut from the end of two other training examples, as a window of a
 * packed stream starts mid-example ({@link calm.kv.data.PrefixedExamples}). An anchor trained only on
 * its own prompts computes over digits in that layout alone; after this stage it also computes after
 * other text, such as a KV prompt before a scratchpad (docs/kv-arithmetic-probe.md, "An anchor that
 * computes after other text").
 *
 * <p>Every other setting is the model's {@code training}, with the positions unshifted (the prefix
 * moves them) and the warm-up cut to fit.
 *
 * @param steps updates of the stage; 0 leaves it out
 * @param learningRate its peak learning rate
 * @param longest the longest prefix, in characters
 */
public record PrefixStage(int steps, double learningRate, int longest) {

    /** Checks the fields. */
    public PrefixStage {
        if (steps < 0 || steps > 10_000_000) {
            throw new IllegalArgumentException("steps must be in [0, 10000000] (0 = no prefix stage), got " + steps);
        }
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
        }
        if (longest < 1 || longest > 4096) {
            throw new IllegalArgumentException("longest must be in [1, 4096], got " + longest);
        }
    }

    /** @return no stage (0 steps); when one is asked for, a 1e-3 peak and prefixes of up to 14 characters */
    public static PrefixStage defaults() {
        return new PrefixStage(0, 1e-3, 14);
    }

    /**
     * @param training the model's first-stage settings
     * @return the stage's settings: {@code training} with this stage's steps and peak rate, positions unshifted
     */
    public TrainingConfig training(TrainingConfig training) {
        return training.withSteps(steps).withLearningRate(learningRate).withPositionShift(0);
    }

    /** @return whether the stage runs */
    public boolean enabled() {
        return steps > 0;
    }
}
