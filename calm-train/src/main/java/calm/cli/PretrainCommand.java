package calm.cli;

import ai.djl.ndarray.NDManager;
import calm.io.OutputLock;
import calm.train.TrainingResult;
import calm.train.experiment.Experiment;
import calm.train.experiment.ModelRole;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code calm pretrain CONFIG --model a|b}. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = {"Trains a base model from scratch: m_A (--model a) on KV-Substitution, m_B (--model b) on "
            + "Numeric-Arithmetic, then through its prefix stage if the config has one (models.X.prefixStage).",
            "Saves it to OUTPUT/model-a or OUTPUT/model-b; metrics and checkpoints go to OUTPUT/train/pretrain-a|b "
            + "(the prefix stage's to OUTPUT/train/pretrain-a|b/prefix-stage)."})
final class PretrainCommand extends ExperimentCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "a|b", description = "which base model: a (m_A) or b (m_B)")
    ModelRole role;

    @Override
    public Integer call() throws Exception {
        Experiment experiment = experiment();
        checkResume(experiment, Experiment.pretrainJob(role));
        try (OutputLock lock = lock(experiment.config().config().output()); NDManager manager = NDManager.newBaseManager()) {
            TrainingResult result = experiment.pretrain(role, resume, manager);
            report(role.paperName(), experiment.modelFolder(role), result);
        }
        return Calm.OK;
    }
}
