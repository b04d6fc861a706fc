package calm.kv;

import calm.data.CharVocabulary;
import calm.data.Vocabulary;
import calm.train.config.ExperimentConfig;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.ExperimentData;
import calm.train.experiment.ExperimentKind;
import calm.train.experiment.ExperimentKinds;

/**
 * The key-value arithmetic experiment (the paper's section 4.1) as a kind of experiment:
 * {@code experiment: kv-arithmetic}, the default of a config that names none.
 */
public final class KvArithmetic implements ExperimentKind {

    /** The config's name for it. */
    public static final String NAME = ExperimentKinds.DEFAULT;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "key-value arithmetic, the paper's section 4.1";
    }

    @Override
    public Vocabulary vocabulary() {
        return CharVocabulary.standard();
    }

    @Override
    public Class<? extends ExperimentData> dataType() {
        return KvDataConfig.class;
    }

    @Override
    public ExperimentConfig defaults(String configName) {
        return ExperimentConfig.defaults(configName, NAME, KvDataConfig.defaults(), CharVocabulary.standard().size());
    }

    /** A grid ({@code selection}) needs D_C's validation split, whose loss it reads. */
    @Override
    public void validate(LoadedConfig loaded) {
        if (loaded.config().selection().searches()
                && ((KvDataConfig) loaded.config().data()).settings().sizes().compositionValidation() == 0) {
            throw loaded.error("data.sizes.compositionValidation", "must be at least 1 with a grid (selection): the grid "
                    + "chooses by the loss on D_C's validation split, which this many examples make; got 0");
        }
    }

    /** @return true: the paper's reading beside the shipped one, and more seeds */
    @Override
    public boolean trainsVariants() {
        return true;
    }

    @Override
    public Experiment open(LoadedConfig loaded) {
        return new KvExperiment(loaded);
    }
}
