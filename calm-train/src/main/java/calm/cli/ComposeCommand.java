package calm.cli;

import ai.djl.ndarray.NDManager;
import calm.io.OutputLock;
import calm.train.TrainingResult;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedFolderConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.FolderComposition;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code calm compose CONFIG}. */
@Command(name = "compose", mixinStandardHelpOptions = true,
        description = {"Composes m_A into m_B, both frozen, and trains only the connections.",
            "Key-value experiment configs: needs OUTPUT/model-a and OUTPUT/model-b (calm pretrain) and trains on D_C.",
            "Configs whose models.a and models.b name a folder: composes those two existing models (this project's "
            + "layout or Hugging Face's, sharing one tokenizer) and trains on the JSON Lines prompts and completions of "
            + "data.train.",
            "Saves OUTPUT/composition (with --scratchpad, OUTPUT/composition-scratchpad)."})
final class ComposeCommand extends ExperimentCommand implements Callable<Integer> {

    @Option(names = "--scratchpad", description = "key-value experiment configs: train the composition on D_C in the "
            + "scratchpad format (ab+cd= -> 010+220=230), the report's extra row; needs data.scratchpad: true")
    boolean scratchpad;

    @Override
    public Integer call() throws Exception {
        if (ConfigLoader.namesModelFolders(config)) {
            if (scratchpad) {
                throw new ParameterException(spec.commandLine(), "--scratchpad is for key-value experiment configs; "
                        + config + " composes model folders");
            }
            return composeFolders();
        }
        Experiment experiment = experiment();
        String job = scratchpad ? SCRATCHPAD_JOB : Experiment.COMPOSE_JOB;
        try {
            experiment.checkComposition(job);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--scratchpad: " + e.getMessage());
        }
        checkResume(experiment, job);
        try (OutputLock lock = lock(experiment.config().config().output()); NDManager manager = NDManager.newBaseManager()) {
            TrainingResult result = experiment.compose(job, resume, manager);
            report(scratchpad ? "scratchpad composition" : "composition", experiment.compositionFolder(job), result);
        }
        return Calm.OK;
    }

    /** The composition trained in the scratchpad format, a job of key-value experiments. */
    private static final String SCRATCHPAD_JOB = "compose-scratchpad";

    /** Composes two existing model folders, saying first which layouts and what data were found. */
    private Integer composeFolders() throws IOException {
        LoadedFolderConfig loaded = ConfigLoader.readFolderComposition(config).withOutput(output);
        FolderComposition composition = FolderComposition.open(loaded);
        checkResume(composition.jobFolder());
        PrintWriter out = spec.commandLine().getOut();
        composition.summary().forEach(out::println);
        out.flush();
        try (OutputLock lock = lock(loaded.config().output()); NDManager manager = NDManager.newBaseManager()) {
            TrainingResult result = composition.compose(resume, manager);
            report("composition", composition.compositionFolder(), result);
        }
        return Calm.OK;
    }
}
