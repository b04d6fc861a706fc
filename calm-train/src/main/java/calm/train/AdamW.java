package calm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, decoupled weight decay) whose moments can be saved and restored.
 *
 * <p>The update is the engine's fused Adam kernel, the one DJL's own {@code AdamW} calls, with the
 * same bias correction: {@code w -= lr * wd * w; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)}. DJL's class keeps m and v private,
 * so a checkpoint could not hold them; this one keys them by the parameter names the training loop
 * passes as ids (stable across processes, unlike DJL's random parameter ids) and exposes them.
 *
 * <p>Weight decay applies to parameters of two or more dimensions (matrices and embedding tables),
 * not to biases and norm gains, as in GPT-2 and nanoGPT. The update count t starts after
 * {@code optBeginNumUpdate}, so a resumed job continues the bias correction and the schedule where
 * it stopped. Like every DJL optimizer, an update zeroes the parameter's gradient.
 */
public final class AdamW extends Optimizer {

    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final NDManager stateManager;
    private final Map<String, NDArray> means = new LinkedHashMap<>();
    private final Map<String, NDArray> variances = new LinkedHashMap<>();

    private AdamW(Builder builder) {
        super(builder);
        learningRate = builder.learningRate;
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
        stateManager = builder.stateManager;
    }

    /** @return a builder; {@link Builder#stateManager} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder set from a training config (betas, epsilon, weight decay, schedule) */
    public static Builder builder(TrainingConfig config, int completedUpdates) {
        return new Builder()
                .optLearningRateTracker(LearningRateSchedule.of(config))
                .optBeta1((float) config.beta1())
                .optBeta2((float) config.beta2())
                .optEpsilon((float) config.epsilon())
                .optWeightDecays((float) config.weightDecay())
                .optBeginNumUpdate(completedUpdates);
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        double correction1 = 1.0 - Math.pow(beta1, t);
        double correction2 = 1.0 - Math.pow(beta2, t);
        float rate = learningRate.getNewValue(parameterId, t);
        float correctedRate = (float) (rate * Math.sqrt(correction2) / correction1);
        float decay = weight.getShape().dimension() >= 2 ? getWeightDecay() : 0f;
        NDArray mean = means.computeIfAbsent(parameterId, name -> zeros(weight));
        NDArray variance = variances.computeIfAbsent(parameterId, name -> zeros(weight));
        weight.getNDArrayInternal().adamUpdate(
                new NDList(weight, grad, mean, variance), new NDList(weight),
                rate, correctedRate, decay, rescaleGrad, clipGrad, beta1, beta2, epsilon, true, true);
    }

    /** @return the first moments by parameter name, in the order first updated; live arrays */
    public Map<String, NDArray> means() {
        return Collections.unmodifiableMap(means);
    }

    /** @return the second moments by parameter name, in the order first updated; live arrays */
    public Map<String, NDArray> variances() {
        return Collections.unmodifiableMap(variances);
    }

    /**
     * Sets the moments of one parameter, as read from a checkpoint. The arrays are copied onto the
     * optimizer's state manager.
     */
    public void restore(String parameterId, NDArray mean, NDArray variance) {
        replace(means, parameterId, mean);
        replace(variances, parameterId, variance);
    }

    private void replace(Map<String, NDArray> state, String parameterId, NDArray value) {
        NDArray copy = value.duplicate();
        copy.attach(stateManager);
        NDArray old = state.put(parameterId, copy);
        if (old != null) {
            old.close();
        }
    }

    private NDArray zeros(NDArray weight) {
        NDArray zeros = weight.zerosLike();
        zeros.attach(stateManager);
        return zeros;
    }

    /** Builds an {@link AdamW}. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker learningRate;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;
        private NDManager stateManager;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** Sets the learning rate of each update (required). */
        public Builder optLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /** Sets the first-moment decay (default 0.9). */
        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        /** Sets the second-moment decay (default 0.999). */
        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        /** Sets the denominator guard (default 1e-8). */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Sets where the moments live (required); closing it frees them. */
        public Builder stateManager(NDManager manager) {
            this.stateManager = manager;
            return this;
        }

        /** @return the optimizer */
        public AdamW build() {
            if (learningRate == null || stateManager == null) {
                throw new IllegalStateException("AdamW needs a learning-rate tracker and a state manager");
            }
            return new AdamW(this);
        }
    }
}
