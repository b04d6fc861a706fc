package calm.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the rotate-half convention of Hugging Face's Llama: dimension j of
 * a head is paired with j + headSize / 2 and the pair is rotated by position * theta^(-2j /
 * headSize). Built once per forward call from the window's position ids and shared by every layer.
 */
final class Rotary {

    private final NDArray cos;
    private final NDArray sin;
    private final int half;

    private Rotary(NDArray cos, NDArray sin, int half) {
        this.cos = cos;
        this.sin = sin;
        this.half = half;
    }

    /**
     * @param positions int64 position ids [B, T]
     * @param headSize the (even) width of one head
     * @param theta the frequency base
     */
    static Rotary of(NDArray positions, int headSize, double theta) {
        NDManager manager = positions.getManager();
        int half = headSize / 2;
        float[] inverseFrequencies = new float[half];
        for (int j = 0; j < half; j++) {
            inverseFrequencies[j] = (float) (1.0 / Math.pow(theta, 2.0 * j / headSize));
        }
        long batch = positions.getShape().get(0);
        long length = positions.getShape().get(1);
        // Angles in float32 as transformers computes them (one product each, no accumulation).
        NDArray angles = positions.toType(DataType.FLOAT32, false).reshape(batch, 1, length, 1)
                .mul(manager.create(inverseFrequencies, new Shape(1, 1, 1, half)));
        NDArray both = NDArrays.concat(new NDList(angles, angles), 3);
        return new Rotary(both.cos(), both.sin(), half);
    }

    /**
     * @param x queries or keys [B, heads, T, headSize]
     * @return x * cos + rotateHalf(x) * sin
     */
    NDArray apply(NDArray x) {
        NDArray first = x.get(new NDIndex("..., :{}", half));
        NDArray second = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = NDArrays.concat(new NDList(second.neg(), first), 3);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
