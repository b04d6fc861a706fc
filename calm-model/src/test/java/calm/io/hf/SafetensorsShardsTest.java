package calm.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsShardsTest {

    @TempDir
    Path folder;

    @Test
    void writesShardsAndAnIndexThatTheCheckpointReaderAccepts() throws Exception {
        List<SafetensorsShards.Entry> entries = List.of(
                new SafetensorsShards.Entry("a.weight", Dtype.F32, new Shape(2, 3)),
                new SafetensorsShards.Entry("b.weight", Dtype.BF16, new Shape(4)),
                new SafetensorsShards.Entry("c.weight", Dtype.F16, new Shape(3)),
                new SafetensorsShards.Entry("d.steps", Dtype.I64, new Shape(1)));
        // a is 24 bytes, over the 16-byte limit: a shard of its own; b + c = 14 bytes, d (8) no longer fits.
        try (SafetensorsShards out = SafetensorsShards.create(folder, entries, 16)) {
            out.begin("a.weight");
            out.write(new float[] {1, 2, 3}, 3);
            out.write(new float[] {4, 5, 6.5f}, 3);
            out.begin("b.weight");
            out.write(new float[] {1.5f, -2, 0.1f, 3}, 4);
            out.begin("c.weight");
            out.write(new float[] {0.1f, 65504, 1e-8f}, 3);
            out.begin("d.steps");
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 7L));
        }
        assertTrue(Files.isRegularFile(folder.resolve(SafetensorsCheckpoint.INDEX)));
        assertFalse(Files.exists(folder.resolve(SafetensorsCheckpoint.SINGLE)));
        try (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder)) {
            assertEquals(3, checkpoint.files().size());
            assertEquals("model-00001-of-00003.safetensors", checkpoint.files().get(0).getFileName().toString());
            float[] a = new float[6];
            checkpoint.fileOf("a.weight").readFloats(checkpoint.fileOf("a.weight").tensor("a.weight"), 0, a, 0, 6);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6.5f}, a);
            float[] b = new float[4];
            checkpoint.fileOf("b.weight").readFloats(checkpoint.fileOf("b.weight").tensor("b.weight"), 0, b, 0, 4);
            // 0.1 is not a bfloat16: its nearest is 0.10009765625.
            assertArrayEquals(new float[] {1.5f, -2, 0.10009765625f, 3}, b);
            float[] c = new float[3];
            checkpoint.fileOf("c.weight").readFloats(checkpoint.fileOf("c.weight").tensor("c.weight"), 0, c, 0, 3);
            assertArrayEquals(new float[] {0.0999755859375f, 65504, 0}, c);
            TensorInfo steps = checkpoint.fileOf("d.steps").tensor("d.steps");
            assertEquals(Dtype.I64, steps.dtype());
            ByteBuffer read = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            checkpoint.fileOf("d.steps").readBytes(steps, 0, read);
            assertEquals(7L, read.getLong(0));
        }
        String index = Files.readString(folder.resolve(SafetensorsCheckpoint.INDEX));
        assertTrue(index.contains("\"total_size\" : 46"), index);
    }

    @Test
    void oneShardIsWrittenAsModelSafetensorsWithoutIndex() throws Exception {
        try (SafetensorsShards out = SafetensorsShards.create(folder,
                List.of(new SafetensorsShards.Entry("x", Dtype.F32, new Shape(2))), 1 << 20)) {
            out.begin("x");
            out.write(new float[] {1, 2}, 2);
        }
        assertTrue(Files.isRegularFile(folder.resolve(SafetensorsCheckpoint.SINGLE)));
        assertFalse(Files.exists(folder.resolve(SafetensorsCheckpoint.INDEX)));
        try (SafetensorsFile file = SafetensorsFile.open(folder.resolve(SafetensorsCheckpoint.SINGLE))) {
            assertEquals("pt", file.metadata().get("format"));
            assertEquals(new Shape(2), file.tensor("x").shape());
        }
    }

    @Test
    void refusesToFinishAShortTensorOrToWriteOutOfOrder() throws Exception {
        List<SafetensorsShards.Entry> entries = List.of(new SafetensorsShards.Entry("x", Dtype.F32, new Shape(3)),
                new SafetensorsShards.Entry("y", Dtype.F32, new Shape(1)));
        SafetensorsShards shortTensor = SafetensorsShards.create(folder, entries, 1 << 20);
        shortTensor.begin("x");
        shortTensor.write(new float[] {1}, 1);
        assertThrows(IllegalStateException.class, () -> shortTensor.begin("y"));
        assertThrows(IllegalStateException.class, shortTensor::close);
        Path other = Files.createDirectory(folder.resolve("other"));
        SafetensorsShards wrongOrder = SafetensorsShards.create(other, entries, 1);
        assertThrows(IllegalStateException.class, () -> wrongOrder.begin("y"));
    }
}
