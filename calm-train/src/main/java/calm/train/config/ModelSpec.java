package calm.train.config;

import calm.model.gpt.GptConfig;
import calm.train.TrainingConfig;
import java.util.Objects;

/**
 * One base model of the experiment: its architecture and how it is pretrained.
 *
 * @param architecture the GPT's shape; {@code vocabSize} must be the data vocabulary's
 * @param training the pretraining job's settings
 * @param prefixStage a second stage of the pretraining, behind prefixes (0 steps: none)
 */
public record ModelSpec(GptConfig architecture, TrainingConfig training, PrefixStage prefixStage) {

    /** Checks that nothing is missing. */
    public ModelSpec {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(prefixStage, "prefixStage");
    }

    /** @return a model pretrained in one stage */
    public static ModelSpec of(GptConfig architecture, TrainingConfig training) {
        return new ModelSpec(architecture, training, PrefixStage.defaults());
    }
}
