package calm.eval.fuzz;

import calm.eval.report.ResultsJson;
import calm.eval.run.ExperimentRun;
import calm.io.ModelFolder;
import calm.testing.Fuzzing;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.ExperimentKinds;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Set;

/**
 * Fuzz targets of calm-eval's readers: a report's results.json, and a saved model's
 * provenance.json as {@code calm eval} reads it to decide whether the model is the config's.
 */
class EvalReadersFuzzTest {

    private static final Path TINY = Path.of("..", "configs", "kv-arithmetic-tiny.yaml");

    @FuzzTest(maxDuration = "5m", maxExecutions = Fuzzing.CAMPAIGN_INPUTS)
    void resultsJson(byte[] input) throws Exception {
        Path file = Fuzzing.write("results", ResultsJson.FILE_NAME, input);
        Fuzzing.loadsOrNames(file, () -> ResultsJson.read(file));
    }

    @FuzzTest(maxDuration = "5m", maxExecutions = Fuzzing.CAMPAIGN_INPUTS)
    void provenanceJson(byte[] input) throws Exception {
        Path file = Fuzzing.write("run/model-a", ModelFolder.PROVENANCE, input);
        LoadedConfig loaded = ConfigLoader.read(TINY).overridden(file.getParent().getParent(), null);
        Experiment experiment = ExperimentKinds.of(loaded.config().experiment()).open(loaded);
        Fuzzing.loadsOrNames(file, () -> new ExperimentRun(experiment, Set.of(), new PrintWriter(new StringWriter()))
                .staleResults());
    }
}
