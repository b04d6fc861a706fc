package calm.cli;

import ai.djl.ndarray.NDManager;
import calm.train.TrainingResult;
import calm.train.config.ConfigLoader;
import calm.train.experiment.FolderComposition;
import calm.train.experiment.KvExperiment;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code calm compose CONFIG}. */
@Command(name = "compose", mixinStandardHelpOptions = true,
        description = {"Composes m_A into m_B, both frozen, and trains only the connections.",
            "Key-value experiment configs: needs OUTPUT/model-a and OUTPUT/model-b (calm pretrain) and trains on D_C.",
            "Configs whose models.a and models.b name a folder: composes those two existing models (this project's "
            + "layout or Hugging Face's, sharing one tokenizer) and trains on the JSON Lines prompts and completions of "
            + "data.train.",
            "Saves OUTPUT/composition."})
final class ComposeCommand extends ExperimentCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        if (ConfigLoader.namesModelFolders(config)) {
            return composeFolders();
        }
        KvExperiment experiment = experiment();
        checkResume(experiment, KvExperiment.COMPOSE_JOB);
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingResult result = experiment.compose(resume, manager);
            report("composition", experiment.compositionFolder(), result);
        }
        return Calm.OK;
    }

    /** Composes two existing model folders, saying first which layouts and what data were found. */
    private Integer composeFolders() throws IOException {
        FolderComposition composition = FolderComposition.open(ConfigLoader.readFolderComposition(config));
        checkResume(composition.jobFolder());
        PrintWriter out = spec.commandLine().getOut();
        composition.summary().forEach(out::println);
        out.flush();
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingResult result = composition.compose(resume, manager);
            report("composition", composition.compositionFolder(), result);
        }
        return Calm.OK;
    }
}
