package calm.kv.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks that the committed {@code datasets/kv-arithmetic/sample.jsonl} is what the generator makes
 * today, so the documented format cannot drift from the code. After an intended change, regenerate
 * it with {@code mvn -pl calm-train test -Dtest=KvSampleTest -Dcalm.data.updateSample=true}.
 */
class KvSampleTest {

    private static final Path SAMPLE = Path.of("..", "datasets", "kv-arithmetic", "sample.jsonl");
    private static final int PER_SPLIT = 3;

    /** The settings and seed that datasets/README.md states for the sample. */
    static List<KvExample> sample() {
        KvArithmeticSettings settings = KvArithmeticSettings.defaults()
                .withNumKeys(100)
                .withSizes(new DatasetSizes(100, 100, 20, 10))
                .withScratchpad(true);
        KvArithmeticDatasets datasets = KvArithmeticDatasets.build(settings, 2401);
        List<KvExample> sample = new ArrayList<>();
        for (KvSplit split : datasets.splits()) {
            sample.addAll(datasets.get(split).subList(0, PER_SPLIT));
        }
        return sample;
    }

    @Test
    void committedSampleIsWhatTheGeneratorMakes() throws IOException {
        List<KvExample> expected = sample();
        if (Boolean.getBoolean("calm.data.updateSample")) {
            KvDatasetFiles.writeExamples(SAMPLE, expected);
        }
        assertEquals(36, expected.size());
        assertEquals(expected, KvDatasetFiles.readExamples(SAMPLE),
                "regenerate with -Dcalm.data.updateSample=true if the change is intended");
        assertEquals(36, Files.readAllLines(SAMPLE).size());
    }
}
