package calm.train.experiment;

import ai.djl.ndarray.NDManager;
import calm.train.TrainingResult;
import calm.train.config.LoadedConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One experiment from one config ({@link ExperimentKind#open}): its data, its two base models, its
 * composition and the systems trained beside it, as a graph of jobs. Everything goes under the
 * config's output folder; the layout below is shared by every kind, which may add folders of its own:
 * <pre>
 *   data/                  the datasets
 *   model-a/, model-b/     the pretrained base models
 *   composition/           the trained composition
 *   model-b-finetuned/     the fine-tuning baseline
 *   train/JOB/             each job's metrics.jsonl and checkpoints/
 * </pre>
 */
public interface Experiment {

    /** The job training the composition. */
    String COMPOSE_JOB = "compose";
    /** The job fine-tuning the anchor on D_C. */
    String FINETUNE_JOB = "finetune-b";

    /** @return the name of the job pretraining a base model, e.g. {@code pretrain-a} */
    static String pretrainJob(ModelRole role) {
        return "pretrain-" + role.key();
    }

    /** @return the config */
    LoadedConfig config();

    /** @return the folder every result goes to */
    default Path output() {
        return Path.of(config().config().output());
    }

    /** @return a job's folder: metrics and checkpoints */
    default Path jobFolder(String job) {
        return output().resolve("train").resolve(job);
    }

    /** @return where a pretrained base model is saved */
    default Path modelFolder(ModelRole role) {
        return output().resolve("model-" + role.key());
    }

    /** @return where the composition of a composition job is saved ({@link #COMPOSE_JOB} or a variant) */
    default Path compositionFolder(String job) {
        return output().resolve(job.replaceFirst("^compose", "composition"));
    }

    /** @return where the fine-tuned anchor is saved */
    default Path finetunedFolder() {
        return output().resolve("model-b-finetuned");
    }

    /**
     * Builds the data (written to {@code output/data}) and runs every check the config's jobs need,
     * so that a config error surfaces before anything trains.
     *
     * @throws calm.train.config.ConfigException naming the field to change
     */
    void prepare() throws IOException;

    /** @return the jobs the config asks for, in an order that runs every input before its user */
    List<Job> jobs();

    /**
     * Pretrains a base model from scratch and saves it to {@link #modelFolder}.
     *
     * @param resume continue from the job's newest checkpoints
     */
    TrainingResult pretrain(ModelRole role, boolean resume, NDManager manager) throws IOException;

    /**
     * Composes the pretrained m_A into the pretrained m_B, trains the connections on D_C and saves
     * the composition to {@link #compositionFolder}.
     *
     * @param job {@link #COMPOSE_JOB}, or a variant the kind names among its {@link #jobs()}
     * @throws calm.train.config.ConfigException when the kind has no such composition or the config disables it
     */
    TrainingResult compose(String job, boolean resume, NDManager manager) throws IOException;

    /**
     * Checks that the config trains a composition job, before anything runs.
     *
     * @throws calm.train.config.ConfigException naming the field that would enable it
     * @throws IllegalArgumentException when the kind has no such job at all
     */
    default void checkComposition(String job) {
        if (jobs().stream().noneMatch(listed -> listed.name().equals(job))) {
            throw new IllegalArgumentException("a " + config().config().experiment() + " experiment has no composition job '"
                    + job + "'");
        }
    }

    /** Fine-tunes every parameter of the pretrained m_B on D_C (the paper's baseline) and saves it. */
    TrainingResult finetune(boolean resume, NDManager manager) throws IOException;
}
