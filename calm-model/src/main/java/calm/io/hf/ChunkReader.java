package calm.io.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Copies a tensor into arrays a block of leading-axis rows at a time, through one reusable direct
 * buffer. Each block is read from the file (never memory-mapped, so the file's pages do not count
 * in the process's resident memory); BF16 and F16 are widened to float32 on the way.
 *
 * <p>DJL's PyTorch engine wraps a direct buffer without copying it, so the array {@link #chunk}
 * returns shares this reader's buffer: close it (or copy it) before the next call.
 */
final class ChunkReader {

    /** Bytes per block: large enough for fast bulk copies, small beside any real model. */
    static final int CHUNK_BYTES = 16 << 20;

    private final short[] halves = new short[8192];
    private final float[] floats = new float[8192];
    private final int blockBytes;
    private ByteBuffer buffer;
    private ByteBuffer raw;

    ChunkReader() {
        this(CHUNK_BYTES);
    }

    /** @param blockBytes the bytes of one block (tests use tiny blocks to exercise the block loop) */
    ChunkReader(int blockBytes) {
        this.blockBytes = blockBytes;
        buffer = ByteBuffer.allocateDirect(blockBytes).order(ByteOrder.nativeOrder());
    }

    /** @return the length of the leading axis (1 for a scalar) */
    static long rows(TensorInfo info) {
        return info.shape().dimension() == 0 ? 1 : info.shape().get(0);
    }

    /** @return the number of elements in one leading-axis row */
    static long rowElements(TensorInfo info) {
        long rows = rows(info);
        return rows == 0 ? 0 : info.shape().size() / rows;
    }

    /** @return how many leading-axis rows one block holds (at least 1) */
    long rowsPerChunk(TensorInfo info) {
        long rowBytes = rowElements(info) * outputSize(info.dtype());
        return rowBytes == 0 ? Math.max(1, rows(info)) : Math.max(1, blockBytes / rowBytes);
    }

    /**
     * Reads rows [first, first + count) of a tensor into an array that shares this reader's buffer.
     *
     * @return [count, ...] (the tensor's own shape for a scalar), float32 for F32/F16/BF16
     */
    NDArray chunk(SafetensorsFile file, TensorInfo info, long first, long count, NDManager manager) throws IOException {
        DataType type = file.dataTypeOf(info);
        long elements = count * rowElements(info);
        int outputBytes = Math.toIntExact(elements * outputSize(info.dtype()));
        if (buffer.capacity() < outputBytes) {
            buffer = ByteBuffer.allocateDirect(outputBytes).order(ByteOrder.nativeOrder());
        }
        buffer.clear();
        if (elements > 0) {
            long from = info.begin() + first * rowElements(info) * info.dtype().size();
            int sourceBytes = Math.toIntExact(elements * info.dtype().size());
            boolean widens = info.dtype() == Dtype.BF16 || info.dtype() == Dtype.F16;
            if (!widens && (info.dtype().size() == 1 || ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN)) {
                file.readInto(from, buffer.slice(0, sourceBytes));
            } else {
                ByteBuffer source = raw(sourceBytes);
                file.readInto(from, source);
                source.flip();
                switch (info.dtype()) {
                    case BF16 -> widen(source.asShortBuffer(), buffer.asFloatBuffer(), false);
                    case F16 -> widen(source.asShortBuffer(), buffer.asFloatBuffer(), true);
                    default -> copy(source, buffer, info.dtype().size());
                }
            }
        }
        Shape shape = info.shape().dimension() == 0
                ? info.shape()
                : new Shape(count).addAll(info.shape().slice(1));
        return manager.create(buffer.slice(0, outputBytes), shape, type);
    }

    /** @return the reusable little-endian buffer for a block's bytes as stored, cleared, limited to {@code bytes} */
    private ByteBuffer raw(int bytes) {
        if (raw == null || raw.capacity() < bytes) {
            raw = ByteBuffer.allocateDirect(Math.max(bytes, blockBytes / 2)).order(ByteOrder.LITTLE_ENDIAN);
        }
        raw.clear();
        raw.limit(bytes);
        return raw;
    }

    private static int outputSize(Dtype dtype) {
        return dtype.widensToFloat32() ? 4 : dtype.size();
    }

    private void widen(ShortBuffer source, FloatBuffer target, boolean half) {
        while (source.hasRemaining()) {
            int n = Math.min(source.remaining(), halves.length);
            source.get(halves, 0, n);
            for (int i = 0; i < n; i++) {
                floats[i] = half ? HalfFloats.halfToFloat(halves[i]) : HalfFloats.bfloat16ToFloat(halves[i]);
            }
            target.put(floats, 0, n);
        }
    }

    /** Copies little-endian elements of {@code size} bytes into the native-order target. */
    private static void copy(ByteBuffer source, ByteBuffer target, int size) {
        if (size == 1 || ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            target.put(source);
            return;
        }
        switch (size) {
            case 2 -> target.asShortBuffer().put(source.asShortBuffer());
            case 4 -> target.asIntBuffer().put(source.asIntBuffer());
            default -> target.asLongBuffer().put(source.asLongBuffer());
        }
    }
}
