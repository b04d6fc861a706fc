package calm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import calm.io.ModelFolder;
import calm.io.ParameterNames;
import calm.testing.Tiny;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results must not depend on the garbage collector. On the PyTorch engine an array made from Java
 * data points at a direct buffer that only that Java array keeps alive. If native code still uses
 * the memory after the array is closed (autograd keeping a scalar operand, see
 * {@link calm.model.nn.Scalar}; a parameter interned from a decoded array), a GC lets other data
 * overwrite it.
 */
class GradientLifetimeTest {

    @Test
    void gradientsAreTheSameWhenMemoryIsCollectedAndReusedBeforeTheBackwardPass() throws InterruptedException {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM model = Tiny.gpt(manager, 17, 32, 2, 4, 3);
            NDArray tokens = Tiny.tokens(manager, 17, 2, 12, 4);
            Map<String, float[]> quiet = gradients(model, tokens, manager, false);
            for (int attempt = 0; attempt < 3; attempt++) {
                Map<String, float[]> disturbed = gradients(model, tokens, manager, true);
                quiet.forEach((name, values) -> assertArrayEquals(values, disturbed.get(name), name));
            }
        }
    }

    @Test
    void aLoadedModelKeepsItsWeightsWhenMemoryIsCollectedAndReused(@TempDir Path folder)
            throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFolder.save(Tiny.gpt(manager, 17, 32, 2, 4, 3), folder.resolve("model"), null);
            DecoderLM loaded = ModelFolder.load(folder.resolve("model"), manager);
            Map<String, float[]> before = new LinkedHashMap<>();
            ParameterNames.of(loaded).forEach((name, p) -> before.put(name, p.getArray().toFloatArray()));
            collectAndReuseFreedMemory();
            ParameterNames.of(loaded).forEach((name, p) -> assertArrayEquals(before.get(name), p.getArray().toFloatArray(), name));
        }
    }

    private static Map<String, float[]> gradients(DecoderLM model, NDArray tokens, NDManager manager, boolean disturb)
            throws InterruptedException {
        Map<String, float[]> gradients = new LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = tokens.duplicate();
            input.attach(scope);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = model.logits(Batch.of(input)).logSoftmax(-1).max().neg();
                if (disturb) {
                    collectAndReuseFreedMemory();
                }
                collector.backward(loss);
            }
            for (Map.Entry<String, Parameter> entry : ParameterNames.of(model).entrySet()) {
                NDArray weight = entry.getValue().getArray();
                NDArray gradient = weight.getGradient();
                gradient.attach(scope);
                gradients.put(entry.getKey(), gradient.toFloatArray());
                gradient.subi(gradient);
            }
        }
        return gradients;
    }

    /** Frees unreachable direct buffers, then fills freshly allocated ones with NaN. */
    private static void collectAndReuseFreedMemory() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        List<ByteBuffer> filler = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            buffer.putFloat(0, Float.NaN);
            filler.add(buffer);
        }
        filler.clear();
    }
}
