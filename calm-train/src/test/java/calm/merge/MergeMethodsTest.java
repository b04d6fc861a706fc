package calm.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each merge method on small tensors against values worked out by hand from its paper's formula
 * (the working is in each test's comments). Blocks of 2 or 3 elements make every method cross
 * block edges, where a streamed pass could go wrong.
 */
class MergeMethodsTest {

    private static final double EPS = 1e-6;

    @Test
    void linearIsTheWeightedMean() throws IOException {
        float[] a = {1, 2, 3, -4};
        float[] b = {5, 6, -7, 0};
        // normalize (default): (1 a + 3 b) / 4
        float[] mean = merge(MergeMethod.LINEAR, null, List.of(a, b), List.of(Map.of("weight", 1.0), Map.of("weight", 3.0)),
                Map.of("normalize", true), 2);
        assertClose(new double[] {4, 5, -4.5, -1}, mean);
        // normalize: false: 1 a + 3 b
        float[] sum = merge(MergeMethod.LINEAR, null, List.of(a, b), List.of(Map.of("weight", 1.0), Map.of("weight", 3.0)),
                Map.of("normalize", false), 3);
        assertClose(new double[] {16, 20, -18, -4}, sum);
    }

    @Test
    void slerpFollowsTheArcAndFallsBackToLinearForColinearTensors() throws IOException {
        float[] v0 = {1, 0};
        float[] v1 = {0, 1};
        assertClose(new double[] {1, 0}, slerp(v0, v1, 0));
        assertClose(new double[] {0, 1}, slerp(v0, v1, 1));
        // omega = pi/2, sin(omega) = 1: each coefficient is sin(pi/4) = sqrt(2)/2. Linear interpolation would give 0.5.
        assertClose(new double[] {Math.sqrt(0.5), Math.sqrt(0.5)}, slerp(v0, v1, 0.5));
        // Unequal norms: v0 = (2, 0), v1 = (0, 1), t = 1/3: sin(pi/3) * (2, 0) + sin(pi/6) * (0, 1).
        assertClose(new double[] {2 * Math.sin(Math.PI / 3), Math.sin(Math.PI / 6)}, slerp(new float[] {2, 0}, v1, 1.0 / 3));
        // (1, 2) and (2, 4.001): cos(omega) = 0.99999994 > 0.9995, so (1 - t) v0 + t v1.
        assertClose(new double[] {1.25, 2.50025}, slerp(new float[] {1, 2}, new float[] {2, 4.001f}, 0.25));
        // Opposite vectors are colinear too (|cos| = 1): linear, through zero.
        assertClose(new double[] {0, 0}, slerp(new float[] {1, 1}, new float[] {-1, -1}, 0.5));
    }

    @Test
    void taskArithmeticAddsLambdaTimesTheWeightedTaskVectors() throws IOException {
        float[] base = {1, 1, 1};
        // delta_1 = (1, 0, -1) with weight 1; delta_2 = (0, 2, 0) with weight 0.5: tau = (1, 1, -1).
        float[] m1 = {2, 1, 0};
        float[] m2 = {1, 3, 1};
        List<Map<String, Object>> weights = List.of(Map.of("weight", 1.0), Map.of("weight", 0.5));
        // lambda 0.5: base + 0.5 tau = (1.5, 1.5, 0.5)
        assertClose(new double[] {1.5, 1.5, 0.5},
                merge(MergeMethod.TASK_ARITHMETIC, base, List.of(m1, m2), weights, global(MergeMethod.TASK_ARITHMETIC, "lambda", 0.5), 2));
        // normalize: tau / (1 + 0.5), lambda 1: (1 + 2/3, 1 + 2/3, 1 - 2/3)
        Map<String, Object> normalized = global(MergeMethod.TASK_ARITHMETIC, "normalize", true);
        assertClose(new double[] {5 / 3.0, 5 / 3.0, 1 / 3.0},
                merge(MergeMethod.TASK_ARITHMETIC, base, List.of(m1, m2), weights, normalized, 2));
    }

    /**
     * TIES-Merging (arXiv 2306.01708, Algorithm 1) on three task vectors of 5 entries, density 0.6
     * (keep floor(0.6 * 5) = 3 entries each), weights 1, base 0, lambda 1.
     */
    @Test
    void tiesTrimsElectsAndMergesDisjointly() throws IOException {
        float[] base = new float[5];
        float[] d1 = {2, -1, 3, 0.5f, -4};
        float[] d2 = {-3, 2, 0.5f, 1, -2};
        float[] d3 = {1, 4, -2, 0.25f, 0.5f};
        // Trim (keep the 3 largest |delta|):
        //   d1 -> ( 2, 0,  3, 0, -4)
        //   d2 -> (-3, 2,  0, 0, -2)   (|2| and |-2| tie for ranks 3 and 4 of 5: both kept)
        //   d3 -> ( 1, 4, -2, 0,  0)
        // Elect (sign of the sum): (0 -> +, 6 -> +, 1 -> +, 0 -> +, -6 -> -)
        // Disjoint mean over the agreeing entries:
        //   e0: 2, 1 -> 1.5;  e1: 2, 4 -> 3;  e2: 3 -> 3;  e3: none -> 0;  e4: -4, -2 -> -3
        List<Map<String, Object>> models = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            models.add(Map.of("weight", 1.0, "density", 0.6));
        }
        float[] merged = merge(MergeMethod.TIES, base, List.of(d1, d2, d3), models, global(MergeMethod.TIES), 2);
        assertClose(new double[] {1.5, 3, 3, 0, -3}, merged);
        // Without normalize, the agreeing entries are summed: (3, 6, 3, 0, -6).
        Map<String, Object> summed = global(MergeMethod.TIES, "normalize", false);
        assertClose(new double[] {3, 6, 3, 0, -6}, merge(MergeMethod.TIES, base, List.of(d1, d2, d3), models, summed, 3));
    }

    @Test
    void magnitudeTiesAtTheCutAreBrokenByPosition() throws IOException {
        // Four equal magnitudes, keep 2: ranks follow position, the later two rank highest.
        float[] base = new float[4];
        float[] delta = {1, -1, 1, -1};
        float[] kept = merge(MergeMethod.TIES, base, List.of(delta), List.of(Map.of("weight", 1.0, "density", 0.5)),
                global(MergeMethod.TIES), 3);
        assertClose(new double[] {0, 0, 1, -1}, kept);
    }

    @Test
    void dareKeepsTheExpectedDeltaWithAFixedSeed() throws IOException {
        int n = 200_000;
        float[] base = new float[n];
        float[] model = new float[n];
        Arrays.fill(base, 1);
        Arrays.fill(model, 1.5f);
        Map<String, Object> dare = global(MergeMethod.DARE_LINEAR);
        List<Map<String, Object>> keep10 = List.of(Map.of("weight", 1.0, "density", 0.1));
        float[] merged = merge(MergeMethod.DARE_LINEAR, base, List.of(model), keep10, dare, 7, 42);
        int kept = 0;
        double sum = 0;
        for (float value : merged) {
            double delta = value - 1.0;
            if (delta != 0) {
                kept++;
                assertEquals(5.0, delta, 1e-6, "a kept entry is rescaled by 1/density: 0.5 / 0.1");
            }
            sum += delta;
        }
        // Each entry is 5 with probability 0.1, else 0: mean 0.5, standard error 1.5 / sqrt(n) = 0.0034.
        assertEquals(0.5, sum / n, 0.015, "the expected delta is kept");
        assertEquals(0.1, (double) kept / n, 0.003, "the share kept is the density");
        float[] again = merge(MergeMethod.DARE_LINEAR, base, List.of(model), keep10, dare, 1 << 20, 42);
        assertArrayEquals(merged, again, "the same seed drops the same entries, whatever the block size");
        float[] otherSeed = merge(MergeMethod.DARE_LINEAR, base, List.of(model), keep10, dare, 1 << 20, 43);
        assertFalse(Arrays.equals(merged, otherSeed), "another seed drops other entries");
    }

    @Test
    void dareL1RescaleKeepsTheTaskVectorsL1Norm() throws IOException {
        int n = 1000;
        float[] base = new float[n];
        float[] model = new float[n];
        double l1 = 0;
        for (int j = 0; j < n; j++) {
            model[j] = (float) Math.sin(j);
            l1 += Math.abs(model[j]);
        }
        Map<String, Object> parameters = global(MergeMethod.DARE_LINEAR, "rescale_norm", "l1");
        float[] merged = merge(MergeMethod.DARE_LINEAR, base, List.of(model), List.of(Map.of("weight", 1.0, "density", 0.3)),
                parameters, 64, 5);
        double after = 0;
        for (float value : merged) {
            after += Math.abs(value);
        }
        assertEquals(l1, after, 1e-3 * l1);
    }

    @Test
    void breadcrumbsDropsTheLargestAndTheSmallest() throws IOException {
        // 10 entries 1..10, density 0.5, gamma 0.2: keep 5, drop the 2 largest, so drop the 3 smallest.
        float[] base = new float[10];
        float[] model = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        float[] merged = merge(MergeMethod.BREADCRUMBS, base, List.of(model),
                List.of(Map.of("weight", 1.0, "density", 0.5, "gamma", 0.2)), global(MergeMethod.BREADCRUMBS), 3);
        assertClose(new double[] {0, 0, 0, 4, 5, 6, 7, 8, 0, 0}, merged);
        // density 0.9, gamma 0.2: 9 + 2 > 10, so only 1 large entry is dropped and none of the small.
        float[] dense = merge(MergeMethod.BREADCRUMBS, base, List.of(model),
                List.of(Map.of("weight", 1.0, "density", 0.9, "gamma", 0.2)), global(MergeMethod.BREADCRUMBS), 4);
        assertClose(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0}, dense);
    }

    @Test
    void modelStockMovesTowardTheMeanByItsRatio() throws IOException {
        // Task vectors (1, 0) and (1, 1): cos = 1/sqrt(2), N = 2, t = 2 cos / (1 + cos) = 2 (sqrt(2) - 1).
        float[] base = {0, 0};
        double t = 2 * (Math.sqrt(2) - 1);
        assertEquals(t, ModelStockMerge.ratio(2, 1 / Math.sqrt(2)), 1e-12);
        float[] merged = merge(MergeMethod.MODEL_STOCK, base, List.of(new float[] {1, 0}, new float[] {1, 1}),
                List.of(Map.of(), Map.of()), Map.of("filter_wise", false), 1);
        // t * mean((1, 0), (1, 1)) + (1 - t) * base = t * (1, 0.5)
        assertClose(new double[] {t, t / 2}, merged);
        // Three models: mean of three pairwise cosines; orthogonal task vectors give cos 0, so t = 0: the base.
        float[] base3 = {1, 2, 3};
        float[] stayed = merge(MergeMethod.MODEL_STOCK, base3,
                List.of(new float[] {2, 2, 3}, new float[] {1, 3, 3}, new float[] {1, 2, 4}), List.of(Map.of(), Map.of(), Map.of()),
                Map.of("filter_wise", false), 2);
        assertClose(new double[] {1, 2, 3}, stayed);
    }

    @Test
    void modelStockFilterWiseGivesEachRowItsOwnRatio() throws IOException {
        // Rows of a [2, 2] tensor. Row 0: task vectors (1, 0) and (1, 0), cos 1, t = 1: the models' mean (1, 0).
        // Row 1: task vectors (0, 1) and (1, 0), cos 0, t = 0: the base (5, 5). Whole-tensor cos would mix both rows.
        float[] base = {0, 0, 5, 5};
        float[] m1 = {1, 0, 5, 6};
        float[] m2 = {1, 0, 6, 5};
        float[] merged = merge(MergeMethod.MODEL_STOCK, base, List.of(m1, m2), List.of(Map.of(), Map.of()),
                Map.of("filter_wise", true), 1, 0, 2);
        assertClose(new double[] {1, 0, 5, 5}, merged);
    }

    @Test
    void passthroughCopiesAndScales() throws IOException {
        float[] x = {1, -2, 3};
        assertClose(new double[] {0.5, -1, 1.5}, merge(MergeMethod.PASSTHROUGH, null, List.of(x), List.of(Map.of("scale", 0.5)), Map.of(), 2));
    }

    private static float[] slerp(float[] v0, float[] v1, double t) throws IOException {
        return merge(MergeMethod.SLERP, v0, List.of(v1), List.of(Map.of()), Map.of("t", t), 1);
    }

    /** @return the method's whole-merge defaults, with pairs of name and value written over them */
    private static Map<String, Object> global(MergeMethod method, Object... overrides) {
        Map<String, Object> values = new HashMap<>();
        for (ParameterDef def : method.parameters()) {
            if (!def.perModel() && def.defaultValue() != null) {
                values.put(def.name(), def.defaultValue());
            }
        }
        for (int i = 0; i < overrides.length; i += 2) {
            values.put((String) overrides[i], overrides[i + 1]);
        }
        return values;
    }

    private static float[] merge(MergeMethod method, float[] base, List<float[]> models, List<Map<String, Object>> modelParameters,
            Map<String, Object> parameters, int chunk) throws IOException {
        return merge(method, base, models, modelParameters, parameters, chunk, 0);
    }

    private static float[] merge(MergeMethod method, float[] base, List<float[]> models, List<Map<String, Object>> modelParameters,
            Map<String, Object> parameters, int chunk, long seed) throws IOException {
        int size = (base != null ? base : models.get(0)).length;
        return merge(method, base, models, modelParameters, parameters, chunk, seed, size);
    }

    private static float[] merge(MergeMethod method, float[] base, List<float[]> models, List<Map<String, Object>> modelParameters,
            Map<String, Object> parameters, int chunk, long seed, int rowLength) throws IOException {
        int size = (base != null ? base : models.get(0)).length;
        float[] out = new float[size];
        int[] at = {0};
        MergeInputs inputs = new MergeInputs("t", rowLength, base == null ? null : FloatSource.of(base),
                models.stream().map(FloatSource::of).toList(), modelParameters, parameters, seed, chunk);
        method.tensorMerge().merge(inputs, (values, count) -> {
            System.arraycopy(values, 0, out, at[0], count);
            at[0] += count;
        });
        assertEquals(size, at[0], "every element written once");
        return out;
    }

    private static void assertClose(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], EPS * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }
}
