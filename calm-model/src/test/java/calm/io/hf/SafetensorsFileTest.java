package calm.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import calm.testing.Managed;
import calm.testing.ManagedExtension;
import calm.testing.SafetensorsWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ManagedExtension.class)
class SafetensorsFileTest {

    @TempDir
    Path folder;
    @Managed
    private NDManager manager;

    @Test
    void readsF32Bf16AndI64TensorsAndTheMetadata() throws Exception {
        float[] values = {1f, -2.5f, 3.14159f, 1e-3f, 65504f, -0f};
        Path file = folder.resolve("a.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .add("f32", Dtype.F32, new Shape(2, 3), values)
                .add("bf16", Dtype.BF16, new Shape(3, 2), values)
                .addLongs("ids", new Shape(3), new long[] {7, -1, Long.MAX_VALUE})
                .add("scalar", Dtype.F32, new Shape(), new float[] {42f})
                .write(file);
        try (SafetensorsFile tensors = SafetensorsFile.open(file)) {
            assertEquals(Map.of("format", "pt"), tensors.metadata());
            assertEquals(new TensorInfo("bf16", Dtype.BF16, new Shape(3, 2), 24, 36), tensors.tensor("bf16"));
            NDArray f32 = tensors.read("f32", manager);
            assertEquals(new Shape(2, 3), f32.getShape());
            assertArrayEquals(values, f32.toFloatArray());
            NDArray bf16 = tensors.read("bf16", manager);
            assertEquals(DataType.FLOAT32, bf16.getDataType());
            float[] widened = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                widened[i] = HalfFloats.bfloat16ToFloat(HalfFloats.floatToBfloat16(values[i]));
            }
            assertArrayEquals(widened, bf16.toFloatArray());
            assertEquals(3.140625f, bf16.toFloatArray()[2]);
            assertArrayEquals(new long[] {7, -1, Long.MAX_VALUE}, tensors.read("ids", manager).toLongArray());
            NDArray scalar = tensors.read("scalar", manager);
            assertEquals(new Shape(), scalar.getShape());
            assertEquals(42f, scalar.getFloat());
        }
    }

    @Test
    void widensEveryF16ValueExactlyAsTheEngineDoes() throws Exception {
        byte[] halves = new byte[2 * 65536];
        ByteBuffer buffer = ByteBuffer.wrap(halves).order(ByteOrder.LITTLE_ENDIAN);
        for (int bits = 0; bits < 65536; bits++) {
            buffer.putShort((short) bits);
        }
        Path file = folder.resolve("f16.safetensors");
        new SafetensorsWriter().addRaw("all", Dtype.F16, new Shape(256, 256), halves).write(file);
        float[] ours;
        try (SafetensorsFile tensors = SafetensorsFile.open(file)) {
            ours = tensors.read("all", manager).toFloatArray();
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(halves.length).order(ByteOrder.nativeOrder());
        direct.asShortBuffer().put(ByteBuffer.wrap(halves).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer());
        float[] engine = manager.create(direct, new Shape(65536), DataType.FLOAT16).toType(DataType.FLOAT32, false).toFloatArray();
        for (int bits = 0; bits < 65536; bits++) {
            if (Float.isNaN(engine[bits])) {
                assertTrue(Float.isNaN(ours[bits]), "bits " + Integer.toHexString(bits));
            } else {
                assertEquals(Float.floatToRawIntBits(engine[bits]), Float.floatToRawIntBits(ours[bits]),
                        "bits " + Integer.toHexString(bits));
            }
        }
        assertEquals(65504f, ours[0x7BFF]);
        assertEquals(0x1p-24f, ours[0x0001]);
        assertEquals(Float.NEGATIVE_INFINITY, ours[0xFC00]);
    }

    @Test
    void tensorsLargerThanOneBlockAreReadInBlocks() throws Exception {
        Shape shape = new Shape(1100, 4000);
        Path file = folder.resolve("big.safetensors");
        new SafetensorsWriter()
                .add("f32", Dtype.F32, shape, index -> (index % 1013) * 0.25f)
                .add("bf16", Dtype.BF16, shape, index -> (index % 251) - 125f)
                .write(file);
        try (SafetensorsFile tensors = SafetensorsFile.open(file)) {
            float[] f32 = tensors.read("f32", manager).toFloatArray();
            float[] bf16 = tensors.read("bf16", manager).toFloatArray();
            for (int i = 0; i < f32.length; i += 997) {
                assertEquals((i % 1013) * 0.25f, f32[i], "f32 element " + i);
                assertEquals((i % 251) - 125f, bf16[i], "bf16 element " + i);
            }
            assertEquals(((f32.length - 1) % 1013) * 0.25f, f32[f32.length - 1]);
        }
    }

    @Test
    void aTruncatedFileNamesTheTensorBeyondItsEnd() throws Exception {
        Path file = folder.resolve("cut.safetensors");
        new SafetensorsWriter()
                .add("first", Dtype.F32, new Shape(4), new float[4])
                .add("second", Dtype.F32, new Shape(4), new float[4])
                .write(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 6);
        }
        String message = error(file);
        assertTrue(message.startsWith(file.toString()), message);
        assertTrue(message.contains("tensor \"second\": data_offsets [16,32] reach beyond the data section of 26 bytes"), message);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(40);
        }
        assertTrue(error(file).contains("header length"), error(file));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(5);
        }
        assertTrue(error(file).contains("5 bytes is too short"), error(file));
    }

    @Test
    void aCorruptHeaderIsNotValidJson() throws Exception {
        Path file = folder.resolve("json.safetensors");
        SafetensorsWriter.writeRaw(file, "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], ", new byte[4]);
        String message = error(file);
        assertTrue(message.startsWith(file + ": the header is not valid JSON"), message);
        SafetensorsWriter.writeRaw(file, "[1, 2]", new byte[0]);
        assertTrue(error(file).contains("the header must be a JSON object"), error(file));
        SafetensorsWriter.writeRaw(file, "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[4]);
        assertTrue(error(file).contains("Duplicate field 'w'"), error(file));
    }

    @Test
    void offsetsOutsideTheDataOrInconsistentWithTheShapeAreErrors() throws Exception {
        Path file = folder.resolve("offsets.safetensors");
        SafetensorsWriter.writeRaw(file, "{\"w\": {\"dtype\": \"F32\", \"shape\": [100], \"data_offsets\": [0, 400]}}", new byte[16]);
        assertTrue(error(file).contains("tensor \"w\": data_offsets [0,400] reach beyond the data section of 16 bytes"), error(file));
        SafetensorsWriter.writeRaw(file, "{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 4]}}", new byte[16]);
        assertTrue(error(file).contains("tensor \"w\": data_offsets [8,4] must satisfy 0 <= begin <= end"), error(file));
        SafetensorsWriter.writeRaw(file, "{\"w\": {\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 16]}}", new byte[16]);
        assertTrue(error(file).contains("tensor \"w\": data_offsets [0,16] span 16 bytes, but shape [3] of F32 needs 12"), error(file));
        SafetensorsWriter.writeRaw(file, "{\"w\": {\"dtype\": \"F17\", \"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[4]);
        assertTrue(error(file).contains("tensor \"w\": dtype \"F17\" is not one of"), error(file));
        SafetensorsWriter.writeRaw(file, "{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", new byte[4]);
        assertTrue(error(file).contains("tensor \"w\": shape [-1] must hold non-negative integers"), error(file));
        SafetensorsWriter.writeRaw(file, "{\"w\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 4]}}", new byte[4]);
        assertTrue(error(file).contains("is too large"), error(file));
    }

    @Test
    void overlappingTensorsAreAnError() throws Exception {
        Path file = folder.resolve("overlap.safetensors");
        SafetensorsWriter.writeRaw(file, "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [8, 24]}}", new byte[24]);
        String message = error(file);
        assertTrue(message.contains("tensors \"a\" [0, 16) and \"b\" [8, 24) overlap"), message);
        SafetensorsWriter.writeRaw(file, "{\"a\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [0, 0]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}", new byte[16]);
        try (SafetensorsFile tensors = SafetensorsFile.open(file)) {
            assertEquals(new Shape(0), tensors.read("a", manager).getShape());
        }
    }

    @Test
    void anAbsurdHeaderLengthIsRejectedBeforeAnythingIsRead() throws Exception {
        Path file = folder.resolve("absurd.safetensors");
        SafetensorsWriter.writeRaw(file, 1L << 40, "{}".getBytes(), new byte[0]);
        String message = error(file);
        assertTrue(message.contains("header length 1099511627776 is impossible for a file of 10 bytes"), message);
        SafetensorsWriter.writeRaw(file, -1L, "{}".getBytes(), new byte[0]);
        assertTrue(error(file).contains("header length 18446744073709551615 is impossible"), error(file));
        SafetensorsWriter.writeRaw(file, 200_000_000L, new byte[64], new byte[0]);
        assertTrue(error(file).contains("at most 100000000"), error(file));
    }

    @Test
    void unreadableDtypesAndAbsentTensorsAreNamed() throws Exception {
        Path file = folder.resolve("u16.safetensors");
        new SafetensorsWriter().addRaw("u", Dtype.U16, new Shape(2), new byte[4]).write(file);
        try (SafetensorsFile tensors = SafetensorsFile.open(file)) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> tensors.read("u", manager));
            assertTrue(error.getMessage().contains("tensor \"u\" has dtype U16, which this reader does not convert"), error.getMessage());
            error = assertThrows(IllegalArgumentException.class, () -> tensors.read("v", manager));
            assertEquals(file + ": no tensor \"v\"", error.getMessage());
        }
    }

    private static String error(Path file) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> open(file));
        return error.getMessage();
    }

    private static void open(Path file) throws IOException {
        SafetensorsFile.open(file).close();
    }
}
