package calm.train.experiment;

import ai.djl.ndarray.NDManager;
import calm.compose.ComposedModel;
import calm.compose.LayerOutputs;
import calm.compose.SourceLayers;
import calm.data.TextExample;
import calm.io.FolderLayout;
import calm.io.hf.FolderTokenizer;
import calm.io.hf.HfFolder;
import calm.kv.KvExperiment;
import calm.model.DecoderLM;
import calm.model.ModelConfig;
import calm.train.HeldOutEvaluation;
import calm.train.Progress;
import calm.train.Provenance;
import calm.train.TrainingConfig;
import calm.train.TrainingExample;
import calm.train.TrainingLoop;
import calm.train.TrainingResult;
import calm.train.config.CompositionConfig;
import calm.train.config.FolderCompositionConfig;
import calm.train.config.LoadedFolderConfig;
import calm.train.io.CompositionFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The composition of two existing model folders (either {@link FolderLayout}, for example two
 * sizes of one Hugging Face family) trained on prompt/completion text, driven by a
 * {@link FolderCompositionConfig}.
 *
 * <p>{@link #open} checks everything that needs no weights, each failure a config error naming the
 * field: both folders hold a model of a supported architecture, both carry the same tokenizer
 * ({@link FolderTokenizer#difference}), their vocabularies match, the wiring and heads fit, and
 * every example, tokenised with m_B's tokenizer, fits both models' context. {@link #compose} then
 * loads the frozen models, trains the connections and saves the composition:
 * <pre>
 *   composition/           composition.json (pointing at the two folders), connections.safetensors
 *   train/compose/         metrics.jsonl and checkpoints/
 * </pre>
 */
public final class FolderComposition {

    /** The job training the composition. */
    public static final String COMPOSE_JOB = KvExperiment.COMPOSE_JOB;
    /** The name of the held-out split in the metrics. */
    public static final String VALIDATION = "validation";
    /** Padding is masked out of attention and loss, so any id in range serves. */
    private static final int PAD = 0;

    private static final Logger LOG = LogManager.getLogger(FolderComposition.class);

    /**
     * One base model as found on disk.
     *
     * @param role m_A or m_B
     * @param folder its folder
     * @param layout which layout the folder has
     * @param config its architecture
     */
    public record Base(ModelRole role, Path folder, FolderLayout layout, ModelConfig config) {

        /** @return e.g. "m_B: models/large: Hugging Face model folder, Llama, layers 24, hidden size 896, ..." */
        public String describe() {
            return role.paperName() + ": " + folder + ": " + layout.description() + ", " + family(config) + ", layers "
                    + config.numLayers() + ", hidden size " + config.hiddenSize() + ", heads " + config.numHeads()
                    + ", vocabulary " + config.vocabSize() + ", context " + config.contextLength();
        }

        private static String family(ModelConfig config) {
            return config.getClass().getSimpleName().replaceFirst("Config$", "");
        }
    }

    private final LoadedFolderConfig loaded;
    private final Base augmenting;
    private final Base anchor;
    private final Path tokenizer;
    private final int stopToken;
    private final String stopTokenSource;
    private final List<TrainingExample> train;
    private final List<TrainingExample> validation;

    private FolderComposition(LoadedFolderConfig loaded, Base augmenting, Base anchor, Path tokenizer, int stopToken,
            String stopTokenSource, List<TrainingExample> train, List<TrainingExample> validation) {
        this.loaded = loaded;
        this.augmenting = augmenting;
        this.anchor = anchor;
        this.tokenizer = tokenizer;
        this.stopToken = stopToken;
        this.stopTokenSource = stopTokenSource;
        this.train = train;
        this.validation = validation;
    }

    /**
     * Finds both models, compares their tokenizers and reads the data, loading no weights.
     *
     * @throws calm.train.config.ConfigException naming the config field when a folder, tokenizer,
     *     data file or example does not fit
     */
    public static FolderComposition open(LoadedFolderConfig loaded) throws IOException {
        FolderCompositionConfig config = loaded.config();
        Base a = base(loaded, ModelRole.A, config.models().a().folder());
        Base b = base(loaded, ModelRole.B, config.models().b().folder());
        for (Base base : List.of(b, a)) {
            if (!FolderTokenizer.present(base.folder())) {
                throw loaded.error(field(base.role()), base.folder() + " has no tokenizer.json: "
                        + (base == b ? "the data are tokenised with m_B's tokenizer" : "it cannot be checked that m_A reads "
                        + "the same tokens as m_B") + " (a folder of this project's layout needs a copy of the "
                        + "tokenizer.json its model was trained with)");
            }
        }
        Path fileA = a.folder().resolve(HfFolder.TOKENIZER);
        Path fileB = b.folder().resolve(HfFolder.TOKENIZER);
        String difference = FolderTokenizer.difference(fileA, fileB).orElse(null);
        if (difference != null) {
            throw loaded.error("models.a.folder", "the tokenizers of m_A and m_B differ: " + fileA + " and " + fileB + ": "
                    + difference + "; composed models must share one tokenizer");
        }
        if (a.config().vocabSize() != b.config().vocabSize()) {
            throw loaded.error("models.a.folder", "m_A (" + a.folder() + ") has a vocabulary of " + a.config().vocabSize()
                    + " tokens and m_B (" + b.folder() + ") of " + b.config().vocabSize()
                    + "; composed models need the same vocabulary size");
        }
        checkComposition(loaded, a.config(), b.config());
        int context = Math.min(a.config().contextLength(), b.config().contextLength());
        try (FolderTokenizer text = FolderTokenizer.open(b.folder())) {
            if (text.size() > b.config().vocabSize()) {
                throw loaded.error("models.b.folder", fileB + " has ids up to " + (text.size() - 1) + ", beyond the model's "
                        + "vocabulary of " + b.config().vocabSize() + " tokens");
            }
            List<TrainingExample> train = examples(loaded, "data.train", config.data().train(), text, a, b, context);
            List<TrainingExample> validation = config.data().validation() == null ? List.of()
                    : examples(loaded, "data.validation", config.data().validation(), text, a, b, context);
            return new FolderComposition(loaded, a, b, fileB, text.stopToken(), text.stopTokenSource(), train, validation);
        }
    }

    /** @return m_A as found */
    public Base augmenting() {
        return augmenting;
    }

    /** @return m_B as found */
    public Base anchor() {
        return anchor;
    }

    /** @return what was found: both models, the tokenizer, the stop token and the data */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add(augmenting.describe());
        lines.add(anchor.describe());
        lines.add("tokenizer: " + tokenizer + " (the same in both folders); stop token "
                + (stopToken < 0 ? "none" : stopToken + " (" + stopTokenSource + ")"));
        lines.add("data: " + train.size() + " training examples (" + loaded.config().data().train() + ")"
                + (validation.isEmpty() ? ", no validation" : ", " + validation.size() + " validation examples ("
                        + loaded.config().data().validation() + ")"));
        return lines;
    }

    /** @return the folder every result goes to */
    public Path output() {
        return Path.of(loaded.config().output());
    }

    /** @return where the trained composition is saved */
    public Path compositionFolder() {
        return output().resolve("composition");
    }

    /** @return the training job's folder: metrics and checkpoints */
    public Path jobFolder() {
        return output().resolve("train").resolve(COMPOSE_JOB);
    }

    /**
     * Loads both models (frozen), trains the connections and saves the composition.
     *
     * @param resume continue from the job's newest checkpoint
     */
    public TrainingResult compose(boolean resume, NDManager manager) throws IOException {
        return compose(resume, manager, null);
    }

    /**
     * The same, showing the training's progress through {@code progress} (null: a bar on a terminal,
     * log lines otherwise).
     */
    public TrainingResult compose(boolean resume, NDManager manager, Progress progress) throws IOException {
        DecoderLM augmentingModel = load(loaded, augmenting, manager);
        DecoderLM anchorModel = load(loaded, anchor, manager);
        TrainingConfig training = loaded.config().training();
        ComposedModel composed = loaded.config().composition().compose(anchorModel, new LayerOutputs(augmentingModel),
                training.seed(), manager);
        LOG.info("{}: {} trainable parameters: {}", COMPOSE_JOB, String.format("%,d", composed.trainableParameterCount()),
                composed.trainableParameterFormula());
        Map<String, Object> provenance = Provenance.of(COMPOSE_JOB, loaded.source(), loaded.text(), loaded.config(),
                training.seed());
        Map<String, Object> models = new LinkedHashMap<>();
        models.put("a", fingerprint(augmenting));
        models.put("b", fingerprint(anchor));
        provenance.put("models", models);
        provenance.put("tokenizerSha256", CompositionFolder.sha256(tokenizer));
        Map<String, List<TrainingExample>> held = new LinkedHashMap<>();
        held.put(VALIDATION, validation.subList(0, Math.min(validation.size(), training.evalExamples())));
        boolean evaluate = !held.get(VALIDATION).isEmpty();
        TrainingResult result = TrainingLoop.builder(composed)
                .name(COMPOSE_JOB)
                .examples(train)
                .config(training)
                .padToken(PAD)
                .folder(jobFolder())
                .provenance(provenance)
                .evaluation(evaluate ? new HeldOutEvaluation(held, PAD, stopToken, Math.max(training.batchSize(), 64)) : null)
                .progress(progress)
                .build()
                .run(manager, resume);
        Map<String, Object> saved = new LinkedHashMap<>(provenance);
        saved.put("steps", result.steps());
        saved.put("evaluation", result.evaluation());
        CompositionFolder.save(composed, compositionFolder(), anchor.folder(), List.of(augmenting.folder()), saved);
        LOG.info("{}: saved the composition to {}", COMPOSE_JOB, compositionFolder());
        return result;
    }

    private static Base base(LoadedFolderConfig loaded, ModelRole role, String folder) throws IOException {
        Path path = Path.of(folder);
        if (!Files.isDirectory(path)) {
            throw loaded.error(field(role), "no such folder: " + path);
        }
        try {
            FolderLayout layout = FolderLayout.detect(path);
            return new Base(role, path, layout, layout.readConfig(path));
        } catch (IllegalArgumentException e) {
            throw loaded.error(field(role), e.getMessage());
        }
    }

    /** Checks what the config's composition section asks against the two architectures. */
    private static void checkComposition(LoadedFolderConfig loaded, ModelConfig a, ModelConfig b) {
        if (loaded.config().composition().reads() == CompositionConfig.Reads.PREDICTIONS) {
            throw loaded.error("composition.reads", "PREDICTIONS is for the key-value experiment (its character "
                    + "vocabulary and m_A's multi-token heads from calm pretrain); use STATES, m_A's layer outputs");
        }
        try {
            loaded.config().composition().wiring().resolve(SourceLayers.outputs(a.numLayers()), b.numLayers());
        } catch (IllegalArgumentException e) {
            throw loaded.error("composition.wiring", e.getMessage() + " (m_A has " + a.numLayers() + " layers, m_B "
                    + b.numLayers() + "; layer 0 is the embeddings)");
        }
        int heads = loaded.config().composition().heads();
        int resolved = heads == 0 ? b.numHeads() : heads;
        if (b.hiddenSize() % resolved != 0) {
            throw loaded.error("composition.heads", "must divide m_B's hidden size " + b.hiddenSize() + ", got " + resolved
                    + (heads == 0 ? " (0 means m_B's number of heads)" : ""));
        }
    }

    /** Reads and tokenises a data file, checking that every example fits both models. */
    private static List<TrainingExample> examples(LoadedFolderConfig loaded, String field, String file, FolderTokenizer text,
            Base a, Base b, int context) throws IOException {
        List<TextExample> read;
        try {
            read = TextExample.readJsonLines(Path.of(file));
        } catch (IllegalArgumentException e) {
            throw loaded.error(field, e.getMessage());
        }
        List<TrainingExample> examples = new ArrayList<>();
        for (TextExample example : read) {
            int[] prompt = text.prompt(example.prompt());
            int[] completion = text.completion(example.completion());
            if (prompt.length == 0 || completion.length == 0) {
                throw loaded.error(field, file + ":" + example.line() + ": the " + (prompt.length == 0 ? "prompt" : "completion")
                        + " has no tokens; every example needs at least one of each");
            }
            int length = prompt.length + completion.length;
            if (length > context) {
                throw loaded.error(field, file + ":" + example.line() + ": the example has " + length + " tokens (prompt "
                        + prompt.length + ", completion " + completion.length + "), more than the context of "
                        + context + " the composition allows (m_A's " + a.config().contextLength() + ", m_B's "
                        + b.config().contextLength() + ")");
            }
            examples.add(new TrainingExample(prompt, completion));
        }
        return examples;
    }

    /** Loads a base model; a malformed checkpoint is a config error naming the folder's field. */
    private static DecoderLM load(LoadedFolderConfig loaded, Base base, NDManager manager) throws IOException {
        DecoderLM model;
        try {
            model = base.layout().load(base.folder(), manager);
        } catch (IllegalArgumentException e) {
            throw loaded.error(field(base.role()), e.getMessage());
        }
        LOG.info("{}: loaded {} from {} ({}, {} parameters)", COMPOSE_JOB, base.role().paperName(), base.folder(),
                base.layout().description(), String.format("%,d", model.parameterCount()));
        return model;
    }

    private static Map<String, String> fingerprint(Base base) throws IOException {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("folder", base.folder().toString());
        entry.put("layout", base.layout().name());
        entry.put("weightsSha256", base.layout().weightsSha256(base.folder()));
        return entry;
    }

    private static String field(ModelRole role) {
        return "models." + role.key() + ".folder";
    }
}
