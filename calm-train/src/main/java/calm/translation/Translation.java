package calm.translation;

import calm.data.ByteVocabulary;
import calm.data.Vocabulary;
import calm.train.config.AblationsConfig;
import calm.train.config.ExperimentConfig;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.ExperimentData;
import calm.train.experiment.ExperimentKind;

/**
 * Low-resource translation into English (the paper's section 4.2) as a kind of experiment:
 * {@code experiment: translation}. Every model reads UTF-8 bytes ({@link ByteVocabulary}).
 */
public final class Translation implements ExperimentKind {

    /** The config's name for it. */
    public static final String NAME = "translation";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "low-resource translation into English on the UDHR, the paper's section 4.2";
    }

    @Override
    public Vocabulary vocabulary() {
        return ByteVocabulary.utf8();
    }

    @Override
    public Class<? extends ExperimentData> dataType() {
        return TranslationDataConfig.class;
    }

    @Override
    public ExperimentConfig defaults(String configName) {
        ExperimentConfig defaults = ExperimentConfig.defaults(configName, NAME, TranslationDataConfig.defaults(),
                ByteVocabulary.utf8().size());
        return defaults.withAblations(new AblationsConfig(true, AblationsConfig.VanillaData.NUMERIC_ARITHMETIC, true, true));
    }

    /** The vanilla m_A learns m_B's corpus (NUMERIC_ARITHMETIC, the anchor's data) or is m_B (ANCHOR). */
    @Override
    public void validate(LoadedConfig loaded) {
        if (loaded.config().ablations().vanillaData() == AblationsConfig.VanillaData.OTHER_KEYS) {
            throw loaded.error("ablations.vanillaData", "OTHER_KEYS is a key-value setting; in a translation experiment "
                    + "the vanilla m_A is m_A's architecture trained on m_B's corpus (NUMERIC_ARITHMETIC, the anchor's "
                    + "data, the default) or m_B itself (ANCHOR)");
        }
    }

    @Override
    public Experiment open(LoadedConfig loaded) {
        return new TranslationExperiment(loaded);
    }
}
