package calm.merge;

import java.io.IOException;

/**
 * slerp: spherical interpolation between the base model's tensor v0 (t = 0) and the other model's
 * v1 (t = 1), each tensor taken as one flat vector, as mergekit does. With cos(omega) the cosine
 * between v0 and v1:
 *
 * <pre>
 * theta = sin((1 - t) omega) / sin(omega) * v0 + sin(t omega) / sin(omega) * v1
 * </pre>
 *
 * When |cos(omega)| exceeds 0.9995 the two are nearly colinear, sin(omega) is too small to divide
 * by, and the result is the linear interpolation (1 - t) v0 + t v1. A vector whose norm is at most
 * 1e-8 is taken as it is when finding the cosine. One pass finds the norms and the dot product, a
 * second writes the result.
 */
final class SlerpMerge implements TensorMerge {

    /** Above this |cos(omega)|, interpolate linearly (mergekit's threshold). */
    static final double COLINEAR = 0.9995;
    private static final double EPSILON = 1e-8;

    @Override
    public void merge(MergeInputs inputs, FloatSink out) throws IOException {
        FloatSource v0 = inputs.base();
        FloatSource v1 = inputs.models().get(0);
        double t = inputs.number("t");
        long size = inputs.size();
        int block = (int) Math.min(inputs.chunk(), Math.max(1, size));
        float[] a = new float[block];
        float[] b = new float[block];
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (long first = 0; first < size; first += block) {
            int count = (int) Math.min(block, size - first);
            v0.read(first, a, count);
            v1.read(first, b, count);
            for (int j = 0; j < count; j++) {
                dot += (double) a[j] * b[j];
                normA += (double) a[j] * a[j];
                normB += (double) b[j] * b[j];
            }
        }
        double[] s = weights(t, dot, Math.sqrt(normA), Math.sqrt(normB));
        float[] result = new float[block];
        for (long first = 0; first < size; first += block) {
            int count = (int) Math.min(block, size - first);
            v0.read(first, a, count);
            v1.read(first, b, count);
            for (int j = 0; j < count; j++) {
                result[j] = (float) (s[0] * a[j] + s[1] * b[j]);
            }
            out.write(result, count);
        }
    }

    /**
     * @return {s0, s1}: the coefficients of v0 and v1
     */
    static double[] weights(double t, double dot, double normA, double normB) {
        double cos = dot / (normA > EPSILON ? normA : 1) / (normB > EPSILON ? normB : 1);
        if (Math.abs(cos) > COLINEAR) {
            return new double[] {1 - t, t};
        }
        double omega = Math.acos(cos);
        double sin = Math.sin(omega);
        return new double[] {Math.sin((1 - t) * omega) / sin, Math.sin(t * omega) / sin};
    }
}
