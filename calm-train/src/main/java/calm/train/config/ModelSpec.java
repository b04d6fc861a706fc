package calm.train.config;

import calm.model.gpt.GptConfig;
import calm.train.TrainingConfig;
import java.util.Objects;

/**
 * One base model of the experiment: its architecture and how it is pretrained.
 *
 * @param architecture the GPT's shape; {@code vocabSize} must be the data vocabulary's
 * @param training the pretraining job's settings
 */
public record ModelSpec(GptConfig architecture, TrainingConfig training) {

    /** Checks that nothing is missing. */
    public ModelSpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(training, "training");
    }
}
