package calm.cli;

import ai.djl.ndarray.NDManager;
import calm.io.OutputLock;
import calm.train.TrainingResult;
import calm.train.experiment.Experiment;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code calm finetune CONFIG}. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = {"Baseline: fine-tunes every parameter of the pretrained m_B on D_C, with the config's training "
            + "settings.", "Needs OUTPUT/model-b (calm pretrain); saves OUTPUT/model-b-finetuned."})
final class FinetuneCommand extends ExperimentCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Experiment experiment = experiment();
        checkResume(experiment, Experiment.FINETUNE_JOB);
        try (OutputLock lock = lock(experiment.config().config().output()); NDManager manager = NDManager.newBaseManager()) {
            TrainingResult result = experiment.finetune(resume, manager);
            report("fine-tuned m_B", experiment.finetunedFolder(), result);
        }
        return Calm.OK;
    }
}
