package calm.train.config;

import calm.data.CharVocabulary;
import calm.model.gpt.GptConfig;
import calm.train.TrainingConfig;
import java.util.Objects;

/**
 * One experiment, as written in a YAML file of {@code configs/}: the data, the two base models, the
 * composition, how the composition (and the fine-tuning baseline) train, and where results go.
 * Every field and its default is documented in {@code docs/configs.md}.
 *
 * @param data the key-value arithmetic data
 * @param models m_A and m_B: architectures and pretraining
 * @param composition how m_A is composed into m_B
 * @param training the composition's training (also used by the baselines and ablations)
 * @param baselines the baselines trained beside CALM (fine-tuning, LoRA)
 * @param ablations the ablations of CALM (vanilla, random and encoder-only m_A)
 * @param evaluation how the systems are scored
 * @param output the folder every result goes to, relative to the working directory
 */
public record ExperimentConfig(DataConfig data, ModelsConfig models, CompositionConfig composition,
        TrainingConfig training, BaselinesConfig baselines, AblationsConfig ablations, EvaluationConfig evaluation,
        String output) {

    /** Checks that nothing is missing. */
    public ExperimentConfig {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(composition, "composition");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(baselines, "baselines");
        Objects.requireNonNull(ablations, "ablations");
        Objects.requireNonNull(evaluation, "evaluation");
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("output must name a folder");
        }
    }

    /** The defaults of every section; the output folder is {@code runs/<name>}. */
    public static ExperimentConfig defaults(String name) {
        GptConfig architecture = new GptConfig(CharVocabulary.standard().size(), 96, 128, 4, 4, 512, true,
                GptConfig.Activation.GELU_TANH, 1e-5);
        ModelSpec model = ModelSpec.of(architecture, TrainingConfig.defaults());
        return new ExperimentConfig(DataConfig.defaults(), new ModelsConfig(model, model), CompositionConfig.defaults(),
                TrainingConfig.defaults(), BaselinesConfig.defaults(), AblationsConfig.defaults(),
                EvaluationConfig.defaults(), "runs/" + name);
    }
}
