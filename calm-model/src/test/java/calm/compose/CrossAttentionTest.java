package calm.compose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import calm.model.AttentionMask;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.Tiny;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ManagedExtension.class)
class CrossAttentionTest {

    @Managed
    private NDManager manager;

    private CrossAttention connection(boolean normalize) {
        Engine.getInstance().setRandomSeed(11);
        CrossAttention connection = new CrossAttention(6, 8, 2, false, normalize, PositionBias.NONE);
        connection.initialize(manager, DataType.FLOAT32);
        return connection;
    }

    private NDArray read(CrossAttention connection, NDArray augmentingState, NDArray anchorState) {
        NDArray[] keysValues = connection.keysValues(augmentingState);
        NDArray ones = manager.ones(new Shape(1, 5));
        return connection.attend(anchorState, keysValues[0], keysValues[1], AttentionMask.bias(ones, ones, 0));
    }

    @Test
    void normalizedConnectionsIgnoreTheScaleAndOffsetOfBothStates() {
        NDArray augmentingState = manager.randomNormal(new Shape(1, 5, 6));
        NDArray anchorState = manager.randomNormal(new Shape(1, 5, 8));
        NDArray scaledAugmenting = augmentingState.mul(40f).add(3f);
        NDArray scaledAnchor = anchorState.mul(25f).sub(2f);

        CrossAttention normalized = connection(true);
        float normalizedChange = Tiny.maxDifference(read(normalized, augmentingState, anchorState),
                read(normalized, scaledAugmenting, scaledAnchor));
        assertTrue(normalizedChange < 1e-4f, "changed by " + normalizedChange);

        CrossAttention paper = connection(false);
        assertTrue(Tiny.maxDifference(read(paper, augmentingState, anchorState),
                read(paper, scaledAugmenting, scaledAnchor)) > 1e-2f);
    }

    @Test
    void alibiSubtractsEachHeadsSlopeTimesTheDistance() {
        NDArray mask = manager.zeros(new Shape(1, 1, 3, 3));
        NDArray distance = AttentionMask.distance(manager, 2, 3, 3);
        assertArrayEquals(new float[] {2, 1, 0, 3, 2, 1, 4, 3, 2}, distance.toFloatArray());

        NDArray biased = PositionBias.ALIBI.add(mask, 2, 2);
        assertEquals(new Shape(1, 2, 3, 3), biased.getShape());
        float[] expected = new float[18];
        float[] slopes = {1f / 16, 1f / 256};  // 2^(-8 (h + 1) / 2) for heads 0 and 1
        float[] d = distance.toFloatArray();
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 9; i++) {
                expected[h * 9 + i] = -slopes[h] * d[i];
            }
        }
        assertArrayEquals(expected, biased.toFloatArray(), 1e-7f);
        assertSame(mask, PositionBias.NONE.add(mask, 2, 2));
    }
}
