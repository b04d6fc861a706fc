package calm.train.config;

import calm.model.gpt.GptConfig;
import calm.train.TrainingConfig;
import calm.train.experiment.ExperimentData;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.Objects;

/**
 * One experiment, as written in a YAML file of {@code configs/}: which kind of experiment, its data,
 * the two base models, the composition, how the composition (and the baselines) train, and where
 * results go. Every field and its default is documented in {@code docs/configs.md}.
 *
 * @param experiment the kind of experiment ({@link calm.train.experiment.ExperimentKind#name()}),
 *     e.g. {@code kv-arithmetic} or {@code translation}
 * @param data the kind's data section ({@link calm.train.experiment.ExperimentKind#dataType()})
 * @param models m_A and m_B: architectures and pretraining
 * @param composition how m_A is composed into m_B
 * @param training the composition's training (also used by the baselines and ablations)
 * @param selection the grid every system trained on D_C takes its learning rate and number of
 *     updates from, on D_C's validation split (experiments that have one; empty: none)
 * @param baselines the baselines trained beside CALM (fine-tuning, LoRA)
 * @param ablations the ablations of CALM (vanilla, random and encoder-only m_A)
 * @param variants further CALM rows: the paper's reading beside another, more seeds
 * @param merging the training-free combinations evaluated beside CALM: merges and an ensemble of two
 *     models fine-tuned from one base (key-value experiments)
 * @param evaluation how the systems are scored
 * @param execution how {@code calm run} runs the jobs: how many side by side, with how many threads
 * @param output the folder every result goes to, relative to the working directory
 */
public record ExperimentConfig(String experiment, @JsonDeserialize(using = ExperimentDataReader.class) ExperimentData data,
        ModelsConfig models, CompositionConfig composition, TrainingConfig training, SelectionConfig selection,
        BaselinesConfig baselines, AblationsConfig ablations, VariantsConfig variants, MergingConfig merging,
        EvaluationConfig evaluation, ExecutionConfig execution, String output) {

    /** Checks that nothing is missing. */
    public ExperimentConfig {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(composition, "composition");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(baselines, "baselines");
        Objects.requireNonNull(ablations, "ablations");
        Objects.requireNonNull(variants, "variants");
        Objects.requireNonNull(merging, "merging");
        Objects.requireNonNull(evaluation, "evaluation");
        Objects.requireNonNull(execution, "execution");
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("output must name a folder");
        }
    }

    /**
     * The defaults of every section but the data, which the experiment's kind gives: two 4-layer
     * GPTs of width 128 over the kind's vocabulary; the output folder is {@code runs/<name>}.
     *
     * @param name the config's name
     * @param experiment the kind's name
     * @param data the kind's default data section
     * @param vocabularySize the size of the kind's vocabulary
     */
    public static ExperimentConfig defaults(String name, String experiment, ExperimentData data, int vocabularySize) {
        GptConfig architecture = new GptConfig(vocabularySize, 96, 128, 4, 4, 512, true,
                GptConfig.Activation.GELU_TANH, 1e-5);
        ModelSpec model = ModelSpec.of(architecture, TrainingConfig.defaults());
        return new ExperimentConfig(experiment, data, new ModelsConfig(model, model), CompositionConfig.defaults(),
                TrainingConfig.defaults(), SelectionConfig.none(), BaselinesConfig.defaults(), AblationsConfig.defaults(),
                VariantsConfig.none(), MergingConfig.defaults(TrainingConfig.defaults()), EvaluationConfig.defaults(),
                ExecutionConfig.defaults(), "runs/" + name);
    }

    /** @return the same config with other base models */
    public ExperimentConfig withModels(ModelsConfig models) {
        return new ExperimentConfig(experiment, data, models, composition, training, selection, baselines, ablations,
                variants, merging, evaluation, execution, output);
    }

    /** @return the same config with another composition training section */
    public ExperimentConfig withTraining(TrainingConfig training) {
        return new ExperimentConfig(experiment, data, models, composition, training, selection, baselines, ablations,
                variants, merging, evaluation, execution, output);
    }

    /** @return the same config with another grid */
    public ExperimentConfig withSelection(SelectionConfig selection) {
        return new ExperimentConfig(experiment, data, models, composition, training, selection, baselines, ablations,
                variants, merging, evaluation, execution, output);
    }

    /** @return the same config with other ablations */
    public ExperimentConfig withAblations(AblationsConfig ablations) {
        return new ExperimentConfig(experiment, data, models, composition, training, selection, baselines, ablations,
                variants, merging, evaluation, execution, output);
    }

    /** @return the same config with other execution settings */
    public ExperimentConfig withExecution(ExecutionConfig execution) {
        return new ExperimentConfig(experiment, data, models, composition, training, selection, baselines, ablations,
                variants, merging, evaluation, execution, output);
    }

    /** @return the same config writing to another folder */
    public ExperimentConfig withOutput(String output) {
        return new ExperimentConfig(experiment, data, models, composition, training, selection, baselines, ablations,
                variants, merging, evaluation, execution, output);
    }
}
