package calm.merge;

import calm.io.hf.SafetensorsFile;
import calm.io.hf.TensorInfo;
import java.io.IOException;

/** One input tensor, read as float32 a range of elements at a time (row-major). */
public interface FloatSource {

    /** @return the number of elements */
    long size();

    /** Reads elements [first, first + count) into {@code target[0 .. count)}. */
    void read(long first, float[] target, int count) throws IOException;

    /** @return a tensor of a safetensors file, widened from F16 or BF16 as it is read */
    static FloatSource of(SafetensorsFile file, TensorInfo info) {
        return new FloatSource() {
            @Override
            public long size() {
                return info.shape().size();
            }

            @Override
            public void read(long first, float[] target, int count) throws IOException {
                file.readFloats(info, first, target, 0, count);
            }
        };
    }

    /** @return values held in memory (tests and notebooks) */
    static FloatSource of(float... values) {
        return new FloatSource() {
            @Override
            public long size() {
                return values.length;
            }

            @Override
            public void read(long first, float[] target, int count) {
                System.arraycopy(values, (int) first, target, 0, count);
            }
        };
    }
}
