package calm.eval.cli;

import ai.djl.ndarray.NDManager;
import calm.cli.Calm;
import calm.cli.CalmSubcommand;
import calm.eval.report.Results;
import calm.eval.run.Evaluation;
import calm.eval.run.ExperimentRun;
import calm.io.Folders;
import calm.io.OutputLock;
import calm.train.Threads;
import calm.train.config.ConfigException;
import calm.train.config.ConfigLoader;
import calm.train.config.ExecutionConfig;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.ExperimentKinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Stack;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code calm run CONFIG}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a whole experiment: builds the data, pretrains m_A and m_B, composes them, trains the "
            + "baselines and ablations the config enables, evaluates every system and writes the report (as calm eval).",
            "A model trained before from the same config sections and seed (its provenance.json says so) is reused; a "
            + "job killed midway continues from its last checkpoint.",
            "Ends by printing the summary table (Table 1 for key-value arithmetic) and the report's path. See docs/evaluation.md."})
public final class RunCommand implements CalmSubcommand, Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the experiment's YAML file, e.g. configs/kv-arithmetic-tiny.yaml")
    Path config;

    @Option(names = {"-o", "--output"}, paramLabel = "FOLDER", description = "where everything goes (default: the config's output)")
    Path output;

    @Option(names = "--retrain", arity = "0..1", split = ",", paramLabel = "JOB", preprocessor = RetrainJobs.class,
            description = "train jobs again even where a saved result could be reused: --retrain alone trains every "
            + "job, --retrain=JOB[,JOB...] the jobs named (and the jobs that read them)")
    List<String> retrain = new ArrayList<>();

    @Option(names = "--max-steps", paramLabel = "N", description = "cap every training job at N steps, for a quick "
            + "smoke run (default: the config's steps)")
    Integer maxSteps;

    @Option(names = "--parallel-jobs", paramLabel = "N", description = "run up to N jobs at once, each in its own "
            + "process (default: the config's execution.parallelJobs; 0 there chooses from the cores: 1 on fewer than 4, "
            + "else 2); 1 runs them one after another in this process")
    Integer parallelJobs;

    @Override
    public Integer call() throws Exception {
        if (parallelJobs != null && (parallelJobs < 1 || parallelJobs > ExecutionConfig.MAX_PARALLEL_JOBS)) {
            throw new ParameterException(spec.commandLine(), "--parallel-jobs must be 1 to "
                    + ExecutionConfig.MAX_PARALLEL_JOBS + ", got " + parallelJobs);
        }
        if (maxSteps != null && maxSteps < 1) {
            throw new ParameterException(spec.commandLine(), "--max-steps must be at least 1, got " + maxSteps);
        }
        LoadedConfig loaded = ConfigLoader.read(config).overridden(output, maxSteps);
        if (parallelJobs != null) {
            loaded = loaded.withExecution(new ExecutionConfig(parallelJobs, loaded.config().execution().threadsPerJob()));
        }
        Experiment experiment = ExperimentKinds.of(loaded.config().experiment()).open(loaded);
        long start = System.nanoTime();
        ExperimentRun run = run(experiment);
        Path folder = Path.of(loaded.config().output());
        boolean created = !Files.exists(folder);
        try (OutputLock lock = OutputLock.acquire(folder, "calm run " + config);
                NDManager manager = NDManager.newBaseManager()) {
            Results results;
            try {
                results = run.run(manager);
            } catch (ConfigException e) {
                // Found from the data (a context shorter than a sequence): an output folder this run
                // created holds nothing else, and is removed, so that a config error writes nothing.
                if (created) {
                    Folders.deleteTree(folder);
                }
                throw e;
            }
            EvalCommand.printSummary(spec.commandLine().getOut(), results, Evaluation.of(experiment).summaryTable(),
                    Evaluation.reportFolder(experiment));
        }
        spec.commandLine().getOut().printf("calm run: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        spec.commandLine().getOut().flush();
        return Calm.OK;
    }

    private ExperimentRun run(Experiment experiment) {
        try {
            return new ExperimentRun(experiment, Set.copyOf(retrain), spec.commandLine().getOut(), sideBySide(experiment.config()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * {@code --retrain} alone means every job; a value is taken only when attached
     * ({@code --retrain=compose}), so that {@code --retrain CONFIG} still reads CONFIG as the config.
     */
    static final class RetrainJobs implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec commandSpec, ArgSpec argSpec, Map<String, Object> info) {
            if (" ".equals(info.get("separator"))) {
                args.push(ExperimentRun.ALL_JOBS);
            }
            return false;
        }
    }

    /**
     * Jobs run side by side, each in a process of its own, when the config's execution section asks
     * for more than one at once or sets the threads of each; otherwise (null) one after another here.
     */
    private ExperimentRun.SideBySide sideBySide(LoadedConfig loaded) {
        ExecutionConfig execution = loaded.config().execution();
        int cores = Threads.cores();
        int parallel = execution.parallelJobs(cores);
        if (parallel == 1 && execution.threadsPerJob() == 0) {
            return null;
        }
        String configPath = config.toAbsolutePath().toString();
        String outputFolder = loaded.config().output();
        return new ExperimentRun.SideBySide(parallel, execution.threadsPerJob(cores), job -> {
            List<String> arguments = new ArrayList<>(List.of("job", configPath, "--name", job.name(), "--output",
                    outputFolder));
            if (maxSteps != null) {
                arguments.addAll(List.of("--max-steps", maxSteps.toString()));
            }
            return arguments;
        });
    }
}
