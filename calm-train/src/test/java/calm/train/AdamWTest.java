package calm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.tracker.Tracker;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ManagedExtension.class)
class AdamWTest {

    @Managed
    private NDManager manager;

    /** One update with a zero gradient, so that only the decay moves the weight; returns it. */
    private float[] decayedOnce(Map<String, NDArray> targets) {
        NDArray weight = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
        AdamW optimizer = AdamW.builder().optLearningRateTracker(Tracker.fixed(0.1f)).optWeightDecays(0.5f)
                .optDecayTargets(targets).stateManager(manager).build();
        optimizer.update("w", weight, weight.zerosLike());
        return weight.toFloatArray();
    }

    @Test
    void weightDecayPullsTowardZeroOrTowardTheParametersTarget() {
        // w -= lr * wd * w, lr * wd = 0.05
        assertArrayEquals(new float[] {0.95f, 1.9f, 2.85f, 3.8f}, decayedOnce(Map.of()), 1e-6f);
        // w -= lr * wd * (w - w0), w0 = 1 everywhere
        NDArray target = manager.ones(new Shape(2, 2));
        assertArrayEquals(new float[] {1f, 1.95f, 2.9f, 3.85f}, decayedOnce(Map.of("w", target)), 1e-6f);
    }
}
