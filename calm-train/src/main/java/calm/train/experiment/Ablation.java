package calm.train.experiment;

import calm.train.config.AblationsConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's ablations of CALM: the same composition and training with another m_A, or with m_A
 * read differently.
 */
public enum Ablation {
    /** m_A replaced by a model of its architecture and pretraining trained on other data. */
    VANILLA_AUGMENTING("compose-vanilla-a", "composition-vanilla-a", "model-a-vanilla", "vanilla m_A"),
    /** m_A replaced by its architecture at random initialisation, never trained. */
    RANDOM_AUGMENTING("compose-random-a", "composition-random-a", "model-a-random", "random m_A"),
    /** m_A itself, read as an encoder: the anchor attends to its states over the prompt only. */
    ENCODER_AUGMENTING("compose-encoder", "composition-encoder", "model-a", "m_A as encoder");

    private final String job;
    private final String folder;
    private final String augmentingFolder;
    private final String description;

    Ablation(String job, String folder, String augmentingFolder, String description) {
        this.job = job;
        this.folder = folder;
        this.augmentingFolder = augmentingFolder;
        this.description = description;
    }

    /** @return the training job's name, e.g. {@code compose-random-a} */
    public String job() {
        return job;
    }

    /** @return the composition's folder name under the experiment's output */
    public String folder() {
        return folder;
    }

    /** @return the folder name of the augmenting model it composes */
    public String augmentingFolder() {
        return augmentingFolder;
    }

    /** @return the ablations a config's {@code ablations} section enables, in report order */
    public static List<Ablation> enabled(AblationsConfig ablations) {
        List<Ablation> enabled = new ArrayList<>();
        if (ablations.vanillaAugmenting()) {
            enabled.add(VANILLA_AUGMENTING);
        }
        if (ablations.randomAugmenting()) {
            enabled.add(RANDOM_AUGMENTING);
        }
        if (ablations.encoderAugmenting()) {
            enabled.add(ENCODER_AUGMENTING);
        }
        return enabled;
    }

    /** @return what replaces the paper's m_A, e.g. {@code random m_A} */
    public String description() {
        return description;
    }
}
