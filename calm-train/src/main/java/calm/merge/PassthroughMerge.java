package calm.merge;

import java.io.IOException;

/** passthrough: theta = scale * theta_1, the one model a slice names (scale defaults to 1: a copy). */
final class PassthroughMerge implements TensorMerge {

    @Override
    public void merge(MergeInputs inputs, FloatSink out) throws IOException {
        FloatSource source = inputs.models().get(0);
        float scale = (float) inputs.number(0, "scale");
        long size = source.size();
        float[] value = new float[(int) Math.min(inputs.chunk(), Math.max(1, size))];
        for (long first = 0; first < size; first += value.length) {
            int count = (int) Math.min(value.length, size - first);
            source.read(first, value, count);
            if (scale != 1f) {
                for (int j = 0; j < count; j++) {
                    value[j] *= scale;
                }
            }
            out.write(value, count);
        }
    }
}
