package calm.code;

import calm.data.ByteVocabulary;
import calm.data.Vocabulary;
import calm.train.config.AblationsConfig;
import calm.train.config.ExperimentConfig;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.ExperimentData;
import calm.train.experiment.ExperimentKind;

/**
 * Code and its documentation by composition (the paper's section 4.3) as a kind of experiment:
 * {@code experiment: code}. Every model reads UTF-8 bytes ({@link ByteVocabulary}), the tokenizer the
 * translation experiment uses too.
 */
public final class Code implements ExperimentKind {

    /** The config's name for it. */
    public static final String NAME = "code";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "code completion, text to code and code to text on a held-out Java library, the paper's section 4.3";
    }

    @Override
    public Vocabulary vocabulary() {
        return CodeExperiment.VOCABULARY;
    }

    @Override
    public Class<? extends ExperimentData> dataType() {
        return CodeDataConfig.class;
    }

    @Override
    public ExperimentConfig defaults(String configName) {
        ExperimentConfig defaults = ExperimentConfig.defaults(configName, NAME, CodeDataConfig.defaults(),
                CodeExperiment.VOCABULARY.size());
        return defaults.withAblations(new AblationsConfig(true, AblationsConfig.VanillaData.NUMERIC_ARITHMETIC, true, true));
    }

    /** The vanilla m_A learns m_B's prose (NUMERIC_ARITHMETIC, the anchor's data) or is m_B (ANCHOR). */
    @Override
    public void validate(LoadedConfig loaded) {
        if (loaded.config().ablations().vanillaData() == AblationsConfig.VanillaData.OTHER_KEYS) {
            throw loaded.error("ablations.vanillaData", "OTHER_KEYS is a key-value setting; in a code experiment the "
                    + "vanilla m_A is m_A's architecture trained on m_B's prose (NUMERIC_ARITHMETIC, the anchor's data, "
                    + "the default) or m_B itself (ANCHOR)");
        }
    }

    @Override
    public Experiment open(LoadedConfig loaded) {
        return new CodeExperiment(loaded);
    }
}
