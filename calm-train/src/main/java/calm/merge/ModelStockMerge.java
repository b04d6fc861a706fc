package calm.merge;

import java.io.IOException;

/**
 * model_stock (arXiv 2403.19522): with w_0 the base model's tensor, w_1 .. w_N the others (N at
 * least 2), their task vectors o_i = w_i - w_0 and cos(theta) the mean of the pairwise cosines
 * between the o_i,
 *
 * <pre>
 * t = N cos(theta) / (1 + (N - 1) cos(theta))
 * theta = t * mean_i(w_i) + (1 - t) * w_0
 * </pre>
 *
 * Each cosine is clamped to [-1, 1], its norm product to at least 1e-6 (mergekit's guards). With
 * filter_wise every row of the last axis has its own t (a vector is one row). One pass finds the
 * dot products and norms, a second writes the result.
 */
final class ModelStockMerge implements TensorMerge {

    @Override
    public void merge(MergeInputs inputs, FloatSink out) throws IOException {
        int n = inputs.models().size();
        long size = inputs.size();
        long rowLength = inputs.flag("filter_wise") ? inputs.rowLength() : size;
        int rows = (int) (size / Math.max(1, rowLength));
        int block = (int) Math.min(inputs.chunk(), Math.max(1, size));
        float[] base = new float[block];
        float[][] models = new float[n][block];
        double[][] dots = new double[n * n][rows];
        for (long first = 0; first < size; first += block) {
            int count = (int) Math.min(block, size - first);
            read(inputs, first, count, base, models);
            for (int j = 0; j < count; j++) {
                int row = (int) ((first + j) / rowLength);
                for (int a = 0; a < n; a++) {
                    double oa = models[a][j] - base[j];
                    for (int b = a; b < n; b++) {
                        dots[a * n + b][row] += oa * (models[b][j] - base[j]);
                    }
                }
            }
        }
        double[] ratio = new double[rows];
        for (int row = 0; row < rows; row++) {
            double cos = 0;
            int pairs = 0;
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    double norms = Math.sqrt(dots[a * n + a][row]) * Math.sqrt(dots[b * n + b][row]);
                    cos += Math.max(-1, Math.min(1, dots[a * n + b][row] / Math.max(norms, 1e-6)));
                    pairs++;
                }
            }
            ratio[row] = ratio(n, cos / pairs);
        }
        float[] result = new float[block];
        for (long first = 0; first < size; first += block) {
            int count = (int) Math.min(block, size - first);
            read(inputs, first, count, base, models);
            for (int j = 0; j < count; j++) {
                double t = ratio[(int) ((first + j) / rowLength)];
                double mean = 0;
                for (int a = 0; a < n; a++) {
                    mean += models[a][j];
                }
                result[j] = (float) (t * (mean / n) + (1 - t) * base[j]);
            }
            out.write(result, count);
        }
    }

    /** @return t = N cos / (1 + (N - 1) cos), the paper's ratio toward the models' mean */
    static double ratio(int n, double cos) {
        return n * cos / (1 + (n - 1) * cos);
    }

    private static void read(MergeInputs inputs, long first, int count, float[] base, float[][] models) throws IOException {
        inputs.base().read(first, base, count);
        for (int a = 0; a < models.length; a++) {
            inputs.models().get(a).read(first, models[a], count);
        }
    }
}
