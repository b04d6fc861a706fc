package calm.io.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import calm.io.DamagedFileException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the data. The header is parsed and checked when the file is
 * opened; tensor data is memory-mapped a chunk at a time when read, so a shard never passes
 * through the Java heap.
 *
 * <p>BF16 and F16 tensors are widened to float32 in Java: DJL's PyTorch engine aborts the JVM on
 * BF16 arrays, and a float32 copy is what the models compute in anyway.
 *
 * <p>Every malformed header (absurd length, bad JSON, unknown dtype, a size that does not match the
 * shape, offsets outside the data or overlapping) is an {@link IllegalArgumentException} naming
 * the file and, where there is one, the tensor.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** The largest header accepted; real headers are well under 1 MB even for big shards. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;
    private ByteBuffer scratch;

    private SafetensorsFile(Path file, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    /**
     * Opens a file and checks its header.
     *
     * @throws IllegalArgumentException naming the file (and tensor) when the header is malformed
     * @throws IOException when the file cannot be read
     */
    public static SafetensorsFile open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw new DamagedFileException(file + ": " + fileSize
                        + " bytes is too short for a safetensors file (8-byte header length, JSON header, data)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
                throw new DamagedFileException(file + ": header length " + Long.toUnsignedString(headerLength)
                        + " is impossible for a file of " + fileSize + " bytes (at most " + MAX_HEADER_BYTES
                        + " and within the file): truncated or not a safetensors file");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            long dataStart = 8 + headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = parseHeader(file, headerBytes.array(), fileSize - dataStart, metadata);
            return new SafetensorsFile(file, channel, dataStart, tensors, metadata);
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    /** @return the file's path */
    public Path file() {
        return file;
    }

    /** @return every tensor by name, in header order */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** @return the header's {@code __metadata__} (empty when absent) */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * @return the named tensor's description
     * @throws IllegalArgumentException naming the file and tensor when it is absent
     */
    public TensorInfo tensor(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException(file + ": no tensor \"" + name + "\"");
        }
        return info;
    }

    /**
     * Reads a whole tensor onto a manager: F32, F16 and BF16 as float32, integer and other types
     * as themselves where DJL supports them.
     *
     * @throws IllegalArgumentException naming the file and tensor when it is absent or its dtype
     *     cannot be read
     */
    public NDArray read(String name, NDManager manager) throws IOException {
        TensorInfo info = tensor(name);
        DataType type = dataTypeOf(info);
        Shape shape = info.shape();
        if (shape.size() == 0) {
            return manager.create(shape, type);
        }
        ChunkReader reader = new ChunkReader();
        long rows = ChunkReader.rows(info);
        long step = reader.rowsPerChunk(info);
        if (step >= rows) {
            try (NDArray chunk = reader.chunk(this, info, 0, rows, manager)) {
                return chunk.duplicate();
            }
        }
        NDArray result = manager.create(shape, type);
        for (long first = 0; first < rows; first += step) {
            long count = Math.min(step, rows - first);
            try (NDArray chunk = reader.chunk(this, info, first, count, manager)) {
                result.set(new NDIndex("{}:{}", first, first + count), chunk);
            }
        }
        return result;
    }

    /**
     * Reads elements [first, first + count) of a float tensor (F32, F16 or BF16, in row-major order)
     * into {@code target[offset ...]}, widened exactly to float32. Lets a caller stream a tensor of
     * any size through a small array.
     *
     * @throws IllegalArgumentException naming the file and tensor when it is not a float tensor or
     *     the range is outside it
     */
    public void readFloats(TensorInfo info, long first, float[] target, int offset, int count) throws IOException {
        if (!info.dtype().widensToFloat32()) {
            throw new IllegalArgumentException(file + ": tensor \"" + info.name() + "\" has dtype " + info.dtype()
                    + "; only F32, F16 and BF16 are read as floats");
        }
        if (first < 0 || count < 0 || first + count > info.shape().size()) {
            throw new IllegalArgumentException(file + ": tensor \"" + info.name() + "\" has " + info.shape().size()
                    + " elements; cannot read [" + first + ", " + (first + count) + ")");
        }
        int size = info.dtype().size();
        ByteBuffer bytes = scratch(count * size);
        readInto(info.begin() + first * size, bytes);
        bytes.flip();
        switch (info.dtype()) {
            case F32 -> bytes.asFloatBuffer().get(target, offset, count);
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    target[offset + i] = HalfFloats.bfloat16ToFloat(bytes.getShort(2 * i));
                }
            }
            default -> {
                for (int i = 0; i < count; i++) {
                    target[offset + i] = HalfFloats.halfToFloat(bytes.getShort(2 * i));
                }
            }
        }
    }

    /**
     * Reads bytes [from, from + target.remaining()) of a tensor's stored data (any dtype, as
     * stored: little-endian) into the target buffer.
     */
    public void readBytes(TensorInfo info, long from, ByteBuffer target) throws IOException {
        if (from < 0 || info.begin() + from + target.remaining() > info.end()) {
            throw new IllegalArgumentException(file + ": tensor \"" + info.name() + "\" has " + (info.end() - info.begin())
                    + " bytes; cannot read " + target.remaining() + " from byte " + from);
        }
        readInto(info.begin() + from, target);
    }

    /** @return this file's reusable little-endian read buffer, cleared and limited to {@code bytes} */
    private ByteBuffer scratch(int bytes) {
        if (scratch == null || scratch.capacity() < bytes) {
            scratch = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        scratch.clear();
        scratch.limit(bytes);
        return scratch;
    }

    /**
     * Reads bytes [from, from + target.remaining()) of the data section into the target buffer.
     * Nothing is memory-mapped, so nothing of the file stays resident in this process once read
     * (a mapping would, until it is garbage-collected: as much again as the weights).
     */
    void readInto(long from, ByteBuffer target) throws IOException {
        readFully(channel, target, dataStart + from);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** @return the element type {@link #read} gives the tensor */
    DataType dataTypeOf(TensorInfo info) {
        return switch (info.dtype()) {
            case F32, F16, BF16 -> DataType.FLOAT32;
            case F64 -> DataType.FLOAT64;
            case I64 -> DataType.INT64;
            case I32 -> DataType.INT32;
            case I8 -> DataType.INT8;
            case U8 -> DataType.UINT8;
            case BOOL -> DataType.BOOLEAN;
            default -> throw new IllegalArgumentException(file + ": tensor \"" + info.name() + "\" has dtype "
                    + info.dtype() + ", which this reader does not convert (F32, F16, BF16, F64, I64, I32, I8, U8, BOOL)");
        };
    }

    private static Map<String, TensorInfo> parseHeader(Path file, byte[] header, long dataSize, Map<String, String> metadata) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new DamagedFileException(file + ": the header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DamagedFileException(file + ": the header is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new DamagedFileException(file + ": the header must be a JSON object of tensors");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().equals(METADATA)) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                tensors.put(field.getKey(), parseTensor(file, field.getKey(), field.getValue(), dataSize));
            }
        }
        checkNoOverlap(file, tensors.values());
        return tensors;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw new DamagedFileException(file + ": __metadata__ must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            if (!entry.getValue().isTextual()) {
                throw new DamagedFileException(file + ": __metadata__ \"" + entry.getKey() + "\" must be a string");
            }
            metadata.put(entry.getKey(), entry.getValue().textValue());
        }
    }

    private static TensorInfo parseTensor(Path file, String name, JsonNode node, long dataSize) {
        String where = file + ": tensor \"" + name + "\"";
        if (!node.isObject()) {
            throw new DamagedFileException(where + ": header entry must be an object with dtype, shape and data_offsets");
        }
        JsonNode dtypeNode = node.get("dtype");
        Dtype dtype = dtypeNode != null && dtypeNode.isTextual() ? Dtype.parse(dtypeNode.textValue()) : null;
        if (dtype == null) {
            throw new DamagedFileException(where + ": dtype " + dtypeNode + " is not one of " + List.of(Dtype.values()));
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new DamagedFileException(where + ": shape must be an array of non-negative integers");
        }
        long[] dims = new long[shapeNode.size()];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
            JsonNode dim = shapeNode.get(i);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.longValue() < 0) {
                throw new DamagedFileException(where + ": shape " + shapeNode + " must hold non-negative integers");
            }
            dims[i] = dim.longValue();
            elements = multiply(where, shapeNode, elements, dims[i]);
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new DamagedFileException(where + ": data_offsets must be [begin, end], got " + offsets);
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin < 0 || end < begin) {
            throw new DamagedFileException(where + ": data_offsets " + offsets + " must satisfy 0 <= begin <= end");
        }
        if (end > dataSize) {
            throw new DamagedFileException(where + ": data_offsets " + offsets + " reach beyond the data section of "
                    + dataSize + " bytes (truncated file or corrupt header)");
        }
        long expected = multiply(where, shapeNode, elements, dtype.size());
        if (end - begin != expected) {
            throw new DamagedFileException(where + ": data_offsets " + offsets + " span " + (end - begin)
                    + " bytes, but shape " + shapeNode + " of " + dtype + " needs " + expected);
        }
        return new TensorInfo(name, dtype, new Shape(dims), begin, end);
    }

    private static long multiply(String where, JsonNode shape, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new DamagedFileException(where + ": shape " + shape + " is too large", e);
        }
    }

    private static void checkNoOverlap(Path file, Iterable<TensorInfo> tensors) {
        List<TensorInfo> byOffset = new ArrayList<>();
        tensors.forEach(byOffset::add);
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        for (int i = 1; i < byOffset.size(); i++) {
            TensorInfo before = byOffset.get(i - 1);
            TensorInfo after = byOffset.get(i);
            if (after.begin() < before.end()) {
                throw new DamagedFileException(file + ": tensors \"" + before.name() + "\" [" + before.begin() + ", "
                        + before.end() + ") and \"" + after.name() + "\" [" + after.begin() + ", " + after.end()
                        + ") overlap in the data section");
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }
}
