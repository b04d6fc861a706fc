package calm.cli;

import ai.djl.ndarray.NDManager;
import calm.io.OutputLock;
import calm.train.TrainingResult;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.ExperimentKinds;
import calm.train.experiment.Job;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code calm job CONFIG --name JOB}: runs one job of an experiment's graph by its name, as
 * {@code calm run} starts the jobs it runs side by side, each in its own process. Hidden from the
 * help: {@code calm run} decides whether a job is reused, resumed or trained afresh, and clears its
 * folder first when it is trained afresh.
 */
@Command(name = "job", hidden = true, mixinStandardHelpOptions = true,
        description = "Runs one job of an experiment's graph (what calm run starts for each job it runs side by side).")
final class JobCommand extends ExperimentCommand implements Callable<Integer> {

    @Option(names = "--name", required = true, paramLabel = "JOB", description = "the job, e.g. pretrain-a")
    String name;

    @Option(names = "--max-steps", paramLabel = "N", description = "cap every training job at N steps")
    Integer maxSteps;

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded = ConfigLoader.read(config).overridden(output, maxSteps);
        String kind = loaded.config().experiment();
        Experiment experiment = ExperimentKinds.of(kind).open(loaded);
        Job job = experiment.jobs().stream().filter(listed -> listed.name().equals(name)).findFirst()
                .orElseThrow(() -> new ParameterException(spec.commandLine(), "a " + kind + " experiment with this config has no job '" + name + "'; its jobs: "
                        + experiment.jobs().stream().map(Job::name).toList()));
        try (OutputLock lock = lock(loaded.config().output()); NDManager manager = NDManager.newBaseManager()) {
            TrainingResult result = job.step().run(resume, manager);
            if (result == null) {
                spec.commandLine().getOut().printf("%s: initialised; saved to %s%n", name, job.saved().getParent());
                spec.commandLine().getOut().flush();
            } else {
                report(name, job.saved().getParent(), result);
            }
        }
        return Calm.OK;
    }
}
