package calm.testing;

import ai.djl.ndarray.types.Shape;
import calm.io.hf.Dtype;
import calm.io.hf.HalfFloats;
import calm.io.hf.SafetensorsShards;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files for tests and benchmarks: F32 or BF16 (rounded to nearest even, {@link HalfFloats}) from
 * float values, I64 from longs, or raw bytes of any dtype. Values are produced and written a block
 * at a time, so a file of any size can be written without holding it in memory. Also writes
 * deliberately malformed files ({@link #writeRaw}).
 */
public final class SafetensorsWriter {

    /** The value of element {@code index} (row-major) of a tensor. */
    @FunctionalInterface
    public interface Values {
        float get(long index);
    }

    private record Entry(String name, Dtype dtype, Shape shape, Values floats, long[] longs, byte[] raw) {
        long bytes() {
            return shape.size() * dtype.size();
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds a float tensor stored as F32 or BF16. */
    public SafetensorsWriter add(String name, Dtype dtype, Shape shape, float[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + shape);
        }
        return add(name, dtype, shape, index -> values[(int) index]);
    }

    /** Adds a float tensor stored as F32 or BF16 whose values are computed as they are written. */
    public SafetensorsWriter add(String name, Dtype dtype, Shape shape, Values values) {
        if (dtype != Dtype.F32 && dtype != Dtype.BF16) {
            throw new IllegalArgumentException("float values are written as F32 or BF16, not " + dtype);
        }
        entries.add(new Entry(name, dtype, shape, values, null, null));
        return this;
    }

    /** Adds an I64 tensor. */
    public SafetensorsWriter addLongs(String name, Shape shape, long[] values) {
        entries.add(new Entry(name, Dtype.I64, shape, null, values, null));
        return this;
    }

    /** Adds a tensor of any dtype from its little-endian bytes. */
    public SafetensorsWriter addRaw(String name, Dtype dtype, Shape shape, byte[] bytes) {
        entries.add(new Entry(name, dtype, shape, null, null, bytes));
        return this;
    }

    /** Adds an entry to the header's __metadata__. */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Writes the file: header length, header (space-padded to 8 bytes, as the Python library does), data. */
    public void write(Path file) throws IOException {
        byte[] header = SafetensorsShards.header(entries.stream()
                .map(entry -> new SafetensorsShards.Entry(entry.name(), entry.dtype(), entry.shape())).toList(), metadata);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(header.length);
            for (byte b : header) {
                put(channel, buffer, 1).put(b);
            }
            for (Entry entry : entries) {
                long count = entry.shape().size();
                if (entry.raw() != null) {
                    for (byte b : entry.raw()) {
                        put(channel, buffer, 1).put(b);
                    }
                } else if (entry.longs() != null) {
                    for (long value : entry.longs()) {
                        put(channel, buffer, 8).putLong(value);
                    }
                } else if (entry.dtype() == Dtype.F32) {
                    for (long i = 0; i < count; i++) {
                        put(channel, buffer, 4).putFloat(entry.floats().get(i));
                    }
                } else {
                    for (long i = 0; i < count; i++) {
                        put(channel, buffer, 2).putShort(HalfFloats.floatToBfloat16(entry.floats().get(i)));
                    }
                }
            }
            flush(channel, buffer);
        }
    }

    /** Writes a file from a header length field, header bytes and data bytes exactly as given. */
    public static void writeRaw(Path file, long headerLength, byte[] header, byte[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(headerLength).put(header).put(data).flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /** Writes a file whose header is the given JSON text, followed by the data bytes. */
    public static void writeRaw(Path file, String header, byte[] data) throws IOException {
        byte[] bytes = header.getBytes(StandardCharsets.UTF_8);
        writeRaw(file, bytes.length, bytes, data);
    }

    private static ByteBuffer put(FileChannel channel, ByteBuffer buffer, int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush(channel, buffer);
        }
        return buffer;
    }

    private static void flush(FileChannel channel, ByteBuffer buffer) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }
}
