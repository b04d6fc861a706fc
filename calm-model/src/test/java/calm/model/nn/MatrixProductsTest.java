package calm.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The matrix products a GPT's forward pass and training step perform, against the shapes worked out
 * by hand: 1 layer, D = 8, 2 heads, MLP 32, vocabulary 10, batch 2 x 4 tokens.
 */
class MatrixProductsTest {

    /** Each product of the forward pass as (batch, m, k, n), in the order the model runs them. */
    private static final List<MatrixProducts.Product> FORWARD = List.of(
            new MatrixProducts.Product(1, 8, 8, 24),  // fused QKV over 2 x 4 positions
            new MatrixProducts.Product(4, 4, 4, 4),   // Q K^T for 2 rows x 2 heads, head width 4
            new MatrixProducts.Product(4, 4, 4, 4),   // softmax(..) V
            new MatrixProducts.Product(1, 8, 8, 8),   // attention output projection
            new MatrixProducts.Product(1, 8, 8, 32),  // MLP in
            new MatrixProducts.Product(1, 8, 32, 8),  // MLP out
            new MatrixProducts.Product(1, 8, 8, 10)); // tied output embedding
    private static final double FORWARD_FLOPS = 2.0 * (8 * 8 * 24 + 2 * 4 * 4 * 4 * 4 + 8 * 8 * 8 + 2 * 8 * 8 * 32 + 8 * 8 * 10);

    @Test
    void aForwardPassPerformsEachProductOnce() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM model = model(manager);
            NDArray tokens = tokens(manager);
            List<MatrixProducts.Product> products = MatrixProducts.record(() -> model.logits(Batch.of(tokens)));
            assertEquals(FORWARD, products);
            assertEquals(14592.0, FORWARD_FLOPS);
            assertEquals(FORWARD_FLOPS, MatrixProducts.flops(products));
        }
    }

    @Test
    void aTrainingStepOfEveryWeightAddsBothGradientProductsOfEach() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM model = model(manager);
            NDArray tokens = tokens(manager);
            List<MatrixProducts.Product> products = MatrixProducts.record(() -> {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(model.logits(Batch.of(tokens)).sum());
                }
            });
            // Every operand depends on a trained parameter (the first layer's input is the trained embedding).
            assertEquals(3 * FORWARD.size(), products.size());
            assertEquals(3 * FORWARD_FLOPS, MatrixProducts.flops(products));
            // After A B with A [m, k], B [k, n]: dA = dY B^T (m, n, k), then dB = A^T dY (k, m, n).
            assertEquals(List.of(FORWARD.get(0), new MatrixProducts.Product(1, 8, 24, 8),
                    new MatrixProducts.Product(1, 8, 8, 24)), products.subList(0, 3));
        }
    }

    @Test
    void aFrozenModelCountsItsForwardProductsOnlyEvenInATrainingStep() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM model = model(manager);
            model.freezeParameters(true);
            NDArray tokens = tokens(manager);
            List<MatrixProducts.Product> products = MatrixProducts.record(() -> {
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    model.logits(Batch.of(tokens)).sum();
                }
            });
            assertEquals(FORWARD, products);
        }
    }

    @Test
    void nothingIsRecordedOutsideARecordingAndTheFloorIsATime() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM model = model(manager);
            model.logits(Batch.of(tokens(manager)));
            assertEquals(List.of(), MatrixProducts.record(() -> { }));
            double floor = MatrixProducts.floorMillis(FORWARD, 3, manager);
            assertTrue(floor > 0 && floor < 1000, "floor " + floor + " ms");
        }
    }

    private static NDArray tokens(NDManager manager) {
        return manager.arange(0, 8, 1, DataType.INT64).reshape(2, 4);
    }

    private static DecoderLM model(NDManager manager) {
        Engine.getInstance().setRandomSeed(5);
        DecoderLM model = new GptConfig(10, 8, 8, 1, 2, 32, true, GptConfig.Activation.GELU, 1e-5).newModel();
        model.initialize(manager, DataType.FLOAT32);
        return model;
    }
}
