package calm.train;

/**
 * The knobs of one training job. Every field has a default ({@link #defaults()}, named in
 * {@link Builder}); the YAML form is documented in {@code docs/configs.md}.
 *
 * @param steps optimizer updates to make
 * @param batchSize sequences per micro-batch
 * @param gradientAccumulation micro-batches whose gradients are summed into one update, so an
 *     update sees {@code batchSize * gradientAccumulation} sequences
 * @param learningRate the peak learning rate, reached at the end of warm-up
 * @param minLearningRate the floor the cosine decay ends at, on the last update
 * @param warmupSteps updates over which the learning rate rises linearly from
 *     {@code learningRate / warmupSteps} to {@code learningRate}
 * @param weightDecay AdamW's decoupled weight decay, applied to matrices only (not to biases or
 *     norm gains)
 * @param beta1 AdamW's first-moment decay
 * @param beta2 AdamW's second-moment decay
 * @param epsilon AdamW's denominator guard
 * @param clipNorm the largest global gradient norm; larger gradients are scaled down to it (0 = no
 *     clipping)
 * @param evalInterval evaluate every this many updates (0 = only after the last)
 * @param evalExamples held-out examples per evaluation split
 * @param checkpointInterval write a checkpoint every this many updates (0 = only after the last)
 * @param logInterval write a metrics line every this many updates
 * @param seed seeds the data order and the engine's random generator
 * @param predictTokens how many tokens each position learns to predict: 1 is next-token training,
 *     more adds the heads of {@link MultiTokenPrediction} (pretraining only)
 * @param positionShift the largest random offset of a training sequence's position ids: each
 *     sequence of an update starts at a position drawn from [0, positionShift] (pretraining only;
 *     0 = every sequence starts at 0)
 */
public record TrainingConfig(
        int steps,
        int batchSize,
        int gradientAccumulation,
        double learningRate,
        double minLearningRate,
        int warmupSteps,
        double weightDecay,
        double beta1,
        double beta2,
        double epsilon,
        double clipNorm,
        int evalInterval,
        int evalExamples,
        int checkpointInterval,
        int logInterval,
        long seed,
        int predictTokens,
        int positionShift) {

    /** Checks every field, naming the first that is out of range and what is allowed. */
    public TrainingConfig {
        range("steps", steps, 1, 1_000_000_000);
        range("batchSize", batchSize, 1, 65_536);
        range("gradientAccumulation", gradientAccumulation, 1, 4_096);
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new IllegalArgumentException("learningRate must be in (0, 10], got " + learningRate);
        }
        if (!(minLearningRate >= 0 && minLearningRate <= learningRate)) {
            throw new IllegalArgumentException(
                    "minLearningRate must be in [0, learningRate = " + learningRate + "], got " + minLearningRate);
        }
        range("warmupSteps", warmupSteps, 0, steps);
        if (!(weightDecay >= 0 && weightDecay * learningRate < 1)) {
            throw new IllegalArgumentException(
                    "weightDecay must be >= 0 with weightDecay * learningRate < 1, got " + weightDecay);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("epsilon must be in (0, 1), got " + epsilon);
        }
        if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be a finite number >= 0 (0 = no clipping), got " + clipNorm);
        }
        range("evalInterval", evalInterval, 0, Integer.MAX_VALUE);
        range("evalExamples", evalExamples, 0, 1_000_000);
        range("checkpointInterval", checkpointInterval, 0, Integer.MAX_VALUE);
        range("logInterval", logInterval, 1, Integer.MAX_VALUE);
        range("predictTokens", predictTokens, 1, MultiTokenPrediction.MAX_TOKENS);
        range("positionShift", positionShift, 0, 1_000_000);
    }

    /**
     * The defaults: 1,000 updates of 32 sequences, learning rate 1e-3 after 100 warm-up updates,
     * cosine decay to 1e-4, AdamW (0.9, 0.99, 1e-8) with weight decay 0.1, clipping at norm 1,
     * evaluation and checkpoints every 100 updates on 200 examples, metrics every 10, seed 1234,
     * next-token prediction only, no position shift ({@link Builder}'s initial values).
     *
     * @return the default settings
     */
    public static TrainingConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults, whose setters name each field */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return a copy with another number of updates (warm-up shortened to fit if needed) */
    public TrainingConfig withSteps(int newSteps) {
        return toBuilder().steps(newSteps).warmupSteps(Math.min(warmupSteps, newSteps)).build();
    }

    /** @return a copy with another peak learning rate (the floor lowered to it if needed) */
    public TrainingConfig withLearningRate(double rate) {
        return toBuilder().learningRate(rate).minLearningRate(Math.min(minLearningRate, rate)).build();
    }

    /** @return a copy with another learning-rate floor (at most the peak): the peak itself for a constant rate */
    public TrainingConfig withMinLearningRate(double floor) {
        return toBuilder().minLearningRate(floor).build();
    }

    /** @return a copy evaluated every {@code interval} updates */
    public TrainingConfig withEvalInterval(int interval) {
        return toBuilder().evalInterval(interval).build();
    }

    /** @return a copy with another checkpoint interval */
    public TrainingConfig withCheckpointInterval(int interval) {
        return toBuilder().checkpointInterval(interval).build();
    }

    /** @return a copy with another seed */
    public TrainingConfig withSeed(long newSeed) {
        return toBuilder().seed(newSeed).build();
    }

    /** @return a copy in which each position learns to predict {@code tokens} tokens */
    public TrainingConfig withPredictTokens(int tokens) {
        return toBuilder().predictTokens(tokens).build();
    }

    /** @return a copy whose sequences start at random positions in [0, shift] */
    public TrainingConfig withPositionShift(int shift) {
        return toBuilder().positionShift(shift).build();
    }

    /** @return the sequences one update sees */
    public int sequencesPerStep() {
        return batchSize * gradientAccumulation;
    }

    private static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            String allowed = max == Integer.MAX_VALUE ? ">= " + min : "in [" + min + ", " + max + "]";
            throw new IllegalArgumentException(field + " must be " + allowed + ", got " + value);
        }
    }

    /**
     * Settings by name: starts from the defaults (each field's initial value here is its default)
     * or from a config ({@link #toBuilder()}); {@link #build()} checks them.
     */
    public static final class Builder {
        private int steps = 1_000;
        private int batchSize = 32;
        private int gradientAccumulation = 1;
        private double learningRate = 1e-3;
        private double minLearningRate = 1e-4;
        private int warmupSteps = 100;
        private double weightDecay = 0.1;
        private double beta1 = 0.9;
        private double beta2 = 0.99;
        private double epsilon = 1e-8;
        private double clipNorm = 1.0;
        private int evalInterval = 100;
        private int evalExamples = 200;
        private int checkpointInterval = 100;
        private int logInterval = 10;
        private long seed = 1234;
        private int predictTokens = 1;
        private int positionShift = 0;

        private Builder() {}

        private Builder(TrainingConfig config) {
            steps = config.steps;
            batchSize = config.batchSize;
            gradientAccumulation = config.gradientAccumulation;
            learningRate = config.learningRate;
            minLearningRate = config.minLearningRate;
            warmupSteps = config.warmupSteps;
            weightDecay = config.weightDecay;
            beta1 = config.beta1;
            beta2 = config.beta2;
            epsilon = config.epsilon;
            clipNorm = config.clipNorm;
            evalInterval = config.evalInterval;
            evalExamples = config.evalExamples;
            checkpointInterval = config.checkpointInterval;
            logInterval = config.logInterval;
            seed = config.seed;
            predictTokens = config.predictTokens;
            positionShift = config.positionShift;
        }

        /** @return this builder with {@code steps} set */
        public Builder steps(int value) {
            steps = value;
            return this;
        }

        /** @return this builder with {@code batchSize} set */
        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        /** @return this builder with {@code gradientAccumulation} set */
        public Builder gradientAccumulation(int value) {
            gradientAccumulation = value;
            return this;
        }

        /** @return this builder with {@code learningRate} set */
        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        /** @return this builder with {@code minLearningRate} set */
        public Builder minLearningRate(double value) {
            minLearningRate = value;
            return this;
        }

        /** @return this builder with {@code warmupSteps} set */
        public Builder warmupSteps(int value) {
            warmupSteps = value;
            return this;
        }

        /** @return this builder with {@code weightDecay} set */
        public Builder weightDecay(double value) {
            weightDecay = value;
            return this;
        }

        /** @return this builder with {@code beta1} set */
        public Builder beta1(double value) {
            beta1 = value;
            return this;
        }

        /** @return this builder with {@code beta2} set */
        public Builder beta2(double value) {
            beta2 = value;
            return this;
        }

        /** @return this builder with {@code epsilon} set */
        public Builder epsilon(double value) {
            epsilon = value;
            return this;
        }

        /** @return this builder with {@code clipNorm} set */
        public Builder clipNorm(double value) {
            clipNorm = value;
            return this;
        }

        /** @return this builder with {@code evalInterval} set */
        public Builder evalInterval(int value) {
            evalInterval = value;
            return this;
        }

        /** @return this builder with {@code evalExamples} set */
        public Builder evalExamples(int value) {
            evalExamples = value;
            return this;
        }

        /** @return this builder with {@code checkpointInterval} set */
        public Builder checkpointInterval(int value) {
            checkpointInterval = value;
            return this;
        }

        /** @return this builder with {@code logInterval} set */
        public Builder logInterval(int value) {
            logInterval = value;
            return this;
        }

        /** @return this builder with {@code seed} set */
        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** @return this builder with {@code predictTokens} set */
        public Builder predictTokens(int value) {
            predictTokens = value;
            return this;
        }

        /** @return this builder with {@code positionShift} set */
        public Builder positionShift(int value) {
            positionShift = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first field out of range */
        public TrainingConfig build() {
            return new TrainingConfig(steps, batchSize, gradientAccumulation, learningRate, minLearningRate, warmupSteps, weightDecay, beta1, beta2, epsilon, clipNorm, evalInterval, evalExamples, checkpointInterval, logInterval, seed, predictTokens, positionShift);
        }
    }
}
