package calm.cli;

import calm.io.OutputLock;
import calm.train.TrainingLoop;
import calm.train.TrainingResult;
import calm.train.checkpoint.Checkpoint;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.ExperimentKinds;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What the training verbs share: the config argument, {@code --resume}, the checkpoint guard. */
abstract class ExperimentCommand {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the experiment's YAML file, e.g. configs/kv-arithmetic.yaml")
    Path config;

    @Option(names = {"-o", "--output"}, paramLabel = "FOLDER", description = "where everything goes (default: the config's output)")
    Path output;

    @Option(names = "--resume", description = "continue the job from its newest checkpoint (to the same result as an "
            + "uninterrupted run)")
    boolean resume;

    /** @return the experiment of the config, failing with exit code 2 on a config error */
    Experiment experiment() {
        LoadedConfig loaded = ConfigLoader.read(config).overridden(output, null);
        return ExperimentKinds.of(loaded.config().experiment()).open(loaded);
    }

    /** Refuses to start a job over a folder that holds a checkpoint, unless resuming. */
    void checkResume(Experiment experiment, String job) throws IOException {
        checkResume(experiment.jobFolder(job));
    }

    /** Refuses to start a job over a job folder that holds a checkpoint, unless resuming. */
    void checkResume(Path folder) throws IOException {
        Optional<Checkpoint> existing = Checkpoint.latest(folder.resolve(TrainingLoop.CHECKPOINTS));
        if (existing.isPresent() && !resume) {
            throw new ParameterException(spec.commandLine(), folder + " holds a checkpoint at step " + existing.get().step()
                    + " of an earlier run: pass --resume to continue it, or delete " + folder + " to start over");
        }
    }

    /**
     * Takes the output folder's lock for this command ({@link OutputLock}): a second command on the
     * same folder refuses rather than interleave its writes with this one's.
     */
    OutputLock lock(String outputFolder) throws IOException {
        return OutputLock.acquire(Path.of(outputFolder), spec.qualifiedName() + " " + config);
    }

    /** Prints a job's outcome. */
    void report(String what, Path saved, TrainingResult result) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: %d steps (%d in this run, %.1f s), last loss %.4f; saved to %s%n", what, result.steps(),
                result.steps() - result.firstStep(), result.seconds(), result.lastLoss(), saved);
        for (Map.Entry<String, Double> metric : result.evaluation().entrySet()) {
            out.printf("  %-45s %.4f%n", metric.getKey(), metric.getValue());
        }
        out.flush();
    }
}
