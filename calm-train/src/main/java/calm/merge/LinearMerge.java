package calm.merge;

import java.io.IOException;
import java.util.Arrays;

/**
 * linear: theta = sum_i w_i theta_i, divided by sum_i w_i when normalize (the default). The
 * weights are checked at planning, so a normalised sum of zero never reaches here.
 */
final class LinearMerge implements TensorMerge {

    @Override
    public void merge(MergeInputs inputs, FloatSink out) throws IOException {
        int models = inputs.models().size();
        double[] weights = new double[models];
        double total = 0;
        for (int i = 0; i < models; i++) {
            weights[i] = inputs.number(i, "weight");
            total += weights[i];
        }
        double divisor = inputs.flag("normalize") ? total : 1;
        long size = inputs.size();
        float[] value = new float[(int) Math.min(inputs.chunk(), size)];
        double[] sum = new double[value.length];
        float[] result = new float[value.length];
        for (long first = 0; first < size; first += value.length) {
            int count = (int) Math.min(value.length, size - first);
            Arrays.fill(sum, 0, count, 0);
            for (int i = 0; i < models; i++) {
                inputs.models().get(i).read(first, value, count);
                for (int j = 0; j < count; j++) {
                    sum[j] += weights[i] * value[j];
                }
            }
            for (int j = 0; j < count; j++) {
                result[j] = (float) (sum[j] / divisor);
            }
            out.write(result, count);
        }
    }
}
