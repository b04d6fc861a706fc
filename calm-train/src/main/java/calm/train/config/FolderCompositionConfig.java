package calm.train.config;

import calm.train.TrainingConfig;
import java.util.Objects;

/**
 * A composition of two existing model folders, as written in a YAML file for {@code calm compose}:
 * the folders of m_A and m_B (this project's layout or Hugging Face's), the prompt/completion data
 * in JSON Lines, the composition, its training and where results go. Every field and its default is
 * documented in {@code docs/configs.md}.
 *
 * @param data the training (and optional validation) examples
 * @param models the folders of m_A and m_B
 * @param composition how m_A is composed into m_B
 * @param training the composition's training
 * @param output the folder every result goes to, relative to the working directory
 */
public record FolderCompositionConfig(Data data, Models models, CompositionConfig composition, TrainingConfig training,
        String output) {

    /** Checks that nothing is missing. */
    public FolderCompositionConfig {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(composition, "composition");
        Objects.requireNonNull(training, "training");
        requireText("output", output);
    }

    /**
     * The examples: JSON Lines files of {@code {"prompt": ..., "completion": ...}} objects, relative
     * to the working directory, tokenised with m_B's tokenizer.json.
     *
     * @param train the training examples
     * @param validation held-out examples evaluated during training, or null for none
     */
    public record Data(String train, String validation) {

        /** Checks that the training file is named. */
        public Data {
            requireText("train", train);
            if (validation != null) {
                requireText("validation", validation);
            }
        }
    }

    /**
     * The two base models.
     *
     * @param a the augmenting model m_A
     * @param b the anchor m_B
     */
    public record Models(Model a, Model b) {

        /** Checks that nothing is missing. */
        public Models {
            Objects.requireNonNull(a, "a");
            Objects.requireNonNull(b, "b");
        }
    }

    /**
     * One base model.
     *
     * @param folder its folder, relative to the working directory: this project's layout or a Hugging
     *     Face folder
     */
    public record Model(String folder) {

        /** Checks that the folder is named. */
        public Model {
            requireText("folder", folder);
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
    }
}
