package calm.cli;

import ai.djl.ndarray.NDManager;
import calm.train.TrainingResult;
import calm.train.experiment.KvExperiment;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code calm compose CONFIG}. */
@Command(name = "compose", mixinStandardHelpOptions = true,
        description = {"Composes the pretrained m_A into the pretrained m_B and trains only the connections on D_C.",
            "Needs OUTPUT/model-a and OUTPUT/model-b (calm pretrain); saves OUTPUT/composition."})
final class ComposeCommand extends ExperimentCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        KvExperiment experiment = experiment();
        checkResume(experiment, KvExperiment.COMPOSE_JOB);
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingResult result = experiment.compose(resume, manager);
            report("composition", experiment.compositionFolder(), result);
        }
        return Calm.OK;
    }
}
