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

    /** The key-value jobs train with the {@code training} section as written: no grid search yet. */
    @Override
    public void validate(LoadedConfig loaded) {
        if (loaded.config().selection().searches()) {
            throw loaded.error("selection", "the key-value experiment does not search a grid yet (the translation "
                    + "experiment does); leave learningRates and updates empty");
        }
    }

    @Override
    public Experiment open(LoadedConfig loaded) {
        return new KvExperiment(loaded);
    }
}
