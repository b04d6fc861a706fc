package calm.train.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named arrays in one safetensors file, for state that is not a model's parameters. */
public final class Safetensors {

    private Safetensors() {}

    /** Writes the arrays under their map keys. */
    public static void write(Map<String, NDArray> arrays, Path file) throws IOException {
        NDList list = new NDList();
        arrays.forEach((name, array) -> {
            array.setName(name);
            list.add(array);
        });
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
    }

    /** @return the file's arrays by name, on the manager */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        Map<String, NDArray> byName = new LinkedHashMap<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (NDArray array : NDList.decode(manager, in)) {
                byName.put(array.getName(), array);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a readable safetensors file: " + e.getMessage(), e);
        }
        return byName;
    }
}
