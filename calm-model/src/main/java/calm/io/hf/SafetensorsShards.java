package calm.io.hf;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes weights as Hugging Face does: one {@code model.safetensors}, or shards
 * {@code model-00001-of-0000N.safetensors} with {@code model.safetensors.index.json}, each shard at
 * most a given size (a tensor larger than that gets a shard of its own). Every tensor's name, dtype
 * and shape is known before the first byte, so each header is written first and the data streams
 * after it a block at a time: a checkpoint of any size passes through a small buffer.
 *
 * <p>Tensors are written in the order given, each completely before the next; floats are narrowed
 * to F16 or BF16 on the way when the tensor's dtype says so. {@link #close} checks that every
 * declared byte was written, so a file that is short can never look finished.
 */
public final class SafetensorsShards implements AutoCloseable {

    /** One tensor to write. */
    public record Entry(String name, Dtype dtype, Shape shape) {
        /** @return its size in bytes */
        public long bytes() {
            return shape.size() * dtype.size();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUFFER_BYTES = 1 << 20;

    private final Path folder;
    private final List<List<Entry>> shards;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private int shard = -1;
    private int inShard;
    private long remaining;
    private FileChannel channel;

    private SafetensorsShards(Path folder, List<List<Entry>> shards) {
        this.folder = folder;
        this.shards = shards;
    }

    /**
     * Plans the shards and writes the index (when there is more than one shard); nothing else is
     * written until the first tensor begins.
     *
     * @param folder an existing folder
     * @param entries the tensors, in the order they will be written
     * @param maxShardBytes the most data bytes in one shard
     */
    public static SafetensorsShards create(Path folder, List<Entry> entries, long maxShardBytes) throws IOException {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("the largest shard must be at least 1 byte, got " + maxShardBytes);
        }
        List<List<Entry>> shards = new ArrayList<>();
        long size = 0;
        for (Entry entry : entries) {
            if (shards.isEmpty() || (size > 0 && size + entry.bytes() > maxShardBytes)) {
                shards.add(new ArrayList<>());
                size = 0;
            }
            shards.get(shards.size() - 1).add(entry);
            size += entry.bytes();
        }
        if (shards.isEmpty()) {
            shards.add(new ArrayList<>());
        }
        SafetensorsShards writer = new SafetensorsShards(folder, shards);
        if (shards.size() > 1) {
            writer.writeIndex();
        }
        return writer;
    }

    /** @return the files this writer writes, in order (the index not included) */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            files.add(folder.resolve(fileName(i)));
        }
        return files;
    }

    /**
     * Starts the next tensor, which must be the named one.
     *
     * @throws IllegalStateException when tensors are written out of order or the previous one is short
     */
    public void begin(String name) throws IOException {
        if (remaining != 0) {
            throw new IllegalStateException(current().name() + ": " + remaining + " bytes still to write before " + name);
        }
        if (shard < 0 || inShard + 1 >= shards.get(shard).size()) {
            openNextShard();
        } else {
            inShard++;
        }
        Entry entry = current();
        if (!entry.name().equals(name)) {
            throw new IllegalStateException("expected tensor " + entry.name() + ", got " + name);
        }
        remaining = entry.bytes();
    }

    /** Appends values of the current float tensor, narrowed to its dtype (F32, F16 or BF16). */
    public void write(float[] values, int count) throws IOException {
        Entry entry = current();
        int size = entry.dtype().size();
        if ((long) count * size > remaining) {
            throw new IllegalStateException(entry.name() + ": " + count + " more values overflow the tensor");
        }
        for (int i = 0; i < count; i++) {
            if (buffer.remaining() < size) {
                flush();
            }
            switch (entry.dtype()) {
                case F32 -> buffer.putFloat(values[i]);
                case BF16 -> buffer.putShort(HalfFloats.floatToBfloat16(values[i]));
                case F16 -> buffer.putShort(HalfFloats.floatToHalf(values[i]));
                default -> throw new IllegalStateException(entry.name() + ": dtype " + entry.dtype() + " is not a float type");
            }
        }
        remaining -= (long) count * size;
    }

    /** Appends stored bytes of the current tensor (any dtype, little-endian) from the buffer's position to its limit. */
    public void writeBytes(ByteBuffer bytes) throws IOException {
        if (bytes.remaining() > remaining) {
            throw new IllegalStateException(current().name() + ": " + bytes.remaining() + " more bytes overflow the tensor");
        }
        remaining -= bytes.remaining();
        flush();
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Finishes the last shard.
     *
     * @throws IllegalStateException when a declared tensor was not written completely
     */
    @Override
    public void close() throws IOException {
        if (channel == null) {
            if (shard >= 0) {
                return; // closed already
            }
            if (!shards.get(0).isEmpty()) {
                throw new IllegalStateException("weights closed before any tensor was written");
            }
            openNextShard();
        }
        try {
            flush();
            boolean complete = remaining == 0 && shard == shards.size() - 1 && inShard >= shards.get(shard).size() - 1;
            if (!complete) {
                throw new IllegalStateException("weights closed before every tensor was written (shard " + (shard + 1)
                        + " of " + shards.size() + ")");
            }
            channel.force(true);
        } finally {
            channel.close();
            channel = null;
        }
    }

    private Entry current() {
        if (shard < 0) {
            throw new IllegalStateException("no tensor begun");
        }
        return shards.get(shard).get(inShard);
    }

    private void openNextShard() throws IOException {
        if (channel != null) {
            flush();
            channel.force(true);
            channel.close();
        }
        shard++;
        inShard = 0;
        if (shard >= shards.size()) {
            throw new IllegalStateException("more tensors than declared");
        }
        channel = FileChannel.open(folder.resolve(fileName(shard)), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        byte[] header = header(shards.get(shard), Map.of("format", "pt"));
        buffer.clear();
        buffer.putLong(header.length);
        flush();
        ByteBuffer headerBytes = ByteBuffer.wrap(header);
        while (headerBytes.hasRemaining()) {
            channel.write(headerBytes);
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /**
     * The header of a safetensors file: __metadata__, then each tensor with contiguous offsets in
     * the order given, space-padded to a multiple of 8 bytes as the Python library writes it.
     *
     * @param entries the tensors, in the order their data follows
     * @param metadata the __metadata__ strings (none: no __metadata__ field)
     */
    public static byte[] header(List<Entry> entries, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry entry : entries) {
            ObjectNode tensor = header.putObject(entry.name());
            tensor.put("dtype", entry.dtype().name());
            ArrayNode shape = tensor.putArray("shape");
            for (long dim : entry.shape().getShape()) {
                shape.add(dim);
            }
            tensor.putArray("data_offsets").add(offset).add(offset + entry.bytes());
            offset += entry.bytes();
        }
        byte[] text = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[(text.length + 7) / 8 * 8];
        System.arraycopy(text, 0, padded, 0, text.length);
        for (int i = text.length; i < padded.length; i++) {
            padded[i] = ' ';
        }
        return padded;
    }

    private void writeIndex() throws IOException {
        Map<String, String> weightMap = new TreeMap<>();
        long total = 0;
        for (int i = 0; i < shards.size(); i++) {
            for (Entry entry : shards.get(i)) {
                weightMap.put(entry.name(), fileName(i));
                total += entry.bytes();
            }
        }
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        Files.writeString(folder.resolve(SafetensorsCheckpoint.INDEX),
                JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(index) + "\n");
    }

    private String fileName(int index) {
        return shards.size() == 1 ? SafetensorsCheckpoint.SINGLE
                : String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", index + 1, shards.size());
    }
}
