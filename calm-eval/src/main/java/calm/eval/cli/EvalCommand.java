package calm.eval.cli;

import ai.djl.ndarray.NDManager;
import calm.cli.Calm;
import calm.cli.CalmSubcommand;
import calm.eval.report.MarkdownReport;
import calm.eval.report.Results;
import calm.eval.run.Evaluation;
import calm.eval.run.ExperimentEvaluation;
import calm.eval.run.ExperimentRun;
import calm.io.OutputLock;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.ExperimentKinds;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code calm eval CONFIG}. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluates the saved systems of an experiment (m_A, m_B, CALM, and the baselines and ablations the "
            + "config enables) on its tasks (greedy decoding, each task's metrics) and writes OUTPUT/report/: results.json, report.md, "
            + "report.html and every output (outputs/SYSTEM/TASK.jsonl).",
            "Prints the summary table (key-value arithmetic: Table 1, tasks by m_A, m_B and CALM). See docs/evaluation.md."})
public final class EvalCommand implements CalmSubcommand, Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "the experiment's YAML file, e.g. configs/kv-arithmetic.yaml")
    Path config;

    @Option(names = {"-o", "--output"}, paramLabel = "FOLDER", description = "the experiment's output folder (default: the "
            + "config's output)")
    Path output;

    @Override
    public Integer call() throws Exception {
        LoadedConfig loaded = ConfigLoader.read(config).overridden(output, null);
        Experiment experiment = ExperimentKinds.of(loaded.config().experiment()).open(loaded);
        List<String> stale = new ExperimentRun(experiment, Set.of(), spec.commandLine().getOut()).staleResults();
        if (!stale.isEmpty()) {
            throw new IllegalStateException("these saved results were not trained from " + config + " as it is now, so "
                    + "a report would not describe it:\n  " + String.join("\n  ", stale)
                    + "\nrun `calm run " + config + "` to retrain what changed, or give --output another folder");
        }
        ExperimentEvaluation evaluation = Evaluation.of(experiment);
        Path folder = Path.of(loaded.config().output());
        // A folder that does not exist holds nothing to evaluate; the evaluation says so, and creates nothing.
        try (OutputLock lock = Files.isDirectory(folder) ? OutputLock.acquire(folder, "calm eval " + config) : null;
                NDManager manager = NDManager.newBaseManager()) {
            Results results = Evaluation.run(evaluation, Map.of(), manager);
            printSummary(spec.commandLine().getOut(), results, evaluation.summaryTable(), Evaluation.reportFolder(experiment));
        }
        return Calm.OK;
    }

    /** Prints the summary table and where the report is. */
    static void printSummary(PrintWriter out, Results results, String table, Path reportFolder) {
        out.println();
        out.print(MarkdownReport.table(results, table));
        out.println("Report: " + reportFolder.resolve("report.html") + " (also report.md, results.json; every output "
                + "in " + reportFolder.resolve(Evaluation.OUTPUTS) + ")");
        out.flush();
    }
}
