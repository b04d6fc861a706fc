package calm.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How calm run runs its jobs: the defaults from the cores, written values, and errors. */
class ExecutionConfigTest {

    @Test
    void byDefaultOneJobAtATimeOnFewerThanFourCoresElseTwoSharingThem() {
        ExecutionConfig auto = ExecutionConfig.defaults();
        assertEquals(1, auto.parallelJobs(1));
        assertEquals(1, auto.threadsPerJob(1));
        assertEquals(1, auto.parallelJobs(2));
        assertEquals(2, auto.threadsPerJob(2));
        assertEquals(1, auto.parallelJobs(3));
        assertEquals(2, auto.parallelJobs(4));
        assertEquals(2, auto.threadsPerJob(4));
        assertEquals(3, auto.threadsPerJob(3));
        assertEquals(2, auto.parallelJobs(16));
        assertEquals(8, auto.threadsPerJob(16));
    }

    @Test
    void writtenValuesHoldAndTheThreadsFollowTheJobs() {
        ExecutionConfig three = new ExecutionConfig(3, 0);
        assertEquals(3, three.parallelJobs(2));
        assertEquals(1, three.threadsPerJob(2));
        assertEquals(4, three.threadsPerJob(12));
        assertEquals(5, new ExecutionConfig(1, 5).threadsPerJob(2));
    }

    @Test
    void anEmptyFileChoosesFromTheCoresAndAFileCanSetBoth() {
        assertEquals(ExecutionConfig.defaults(), ConfigLoader.parse("empty.yaml", "empty", "").config().execution());
        LoadedConfig written = ConfigLoader.parse("x.yaml", "x", "execution: {parallelJobs: 1, threadsPerJob: 2}\n");
        assertEquals(new ExecutionConfig(1, 2), written.config().execution());
    }

    @Test
    void outOfRangeValuesAreConfigErrorsNamingTheLineAndField() {
        ConfigException tooMany = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("x.yaml", "x", "data: {seed: 1}\nexecution: {parallelJobs: 17}\n"));
        assertTrue(tooMany.getMessage().startsWith("x.yaml:2: execution"), tooMany.getMessage());
        assertTrue(tooMany.getMessage().contains("parallelJobs must be 0 (from the cores available) to 16, got 17"),
                tooMany.getMessage());
        ConfigException negative = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("x.yaml", "x", "execution: {threadsPerJob: -1}\n"));
        assertTrue(negative.getMessage().contains("threadsPerJob must be 0"), negative.getMessage());
        ConfigException typo = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("x.yaml", "x", "execution: {paralelJobs: 2}\n"));
        assertTrue(typo.getMessage().contains("unknown field 'paralelJobs'"), typo.getMessage());
    }
}
