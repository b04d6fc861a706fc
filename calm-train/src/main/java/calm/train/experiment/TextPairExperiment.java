package calm.train.experiment;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import calm.compose.ComposedModel;
import calm.compose.CompositionSource;
import calm.data.CharVocabulary;
import calm.data.Vocabulary;
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
import calm.train.config.ExperimentConfig;
import calm.train.config.LoadedConfig;
import calm.train.config.ModelSpec;
import calm.train.io.CompositionFolder;
import calm.train.selection.GridSelection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The jobs of an experiment whose every split is text pairs ({@link TextPair}) read through one
 * vocabulary: m_A and m_B pretrained on splits of their own, their composition trained on D_C, the
 * fine-tuned anchor, and the LoRA and ablation jobs of {@link TextPairBaselines}. A kind of
 * experiment supplies its data and names its splits; this class does the rest.
 *
 * <p>An example is BOS, the prompt's ids, then the completion's ids and EOS. Every system trained on
 * D_C is watched on D_C's validation split, and takes its learning rate and number of updates from
 * the config's grid ({@code selection}) when it has one ({@link GridSelection}).
 */
public abstract class TextPairExperiment implements Experiment {

    /** The config sections a result trained on D_C depends on (the grid too: it chooses the learning rate and updates). */
    public static final List<String> COMPOSITION_SECTIONS = List.of("/data", "/models", "/composition", "/training",
            "/selection");

    private static final Logger LOG = LogManager.getLogger(TextPairExperiment.class);

    /** The experiment's config. */
    protected final LoadedConfig loaded;
    /** Its parsed sections. */
    protected final ExperimentConfig config;

    /** @param loaded the experiment's config */
    protected TextPairExperiment(LoadedConfig loaded) {
        this.loaded = loaded;
        this.config = loaded.config();
    }

    @Override
    public LoadedConfig config() {
        return loaded;
    }

    /**
     * @param split a split's id
     * @return its examples, in training order; the data is built (and written) on first use
     */
    public abstract List<? extends TextPair> examples(String split) throws IOException;

    /** @return the split a base model is pretrained on */
    protected abstract String trainSplit(ModelRole role);

    /** @return the split a base model's pretraining is watched on */
    protected abstract String watchSplit(ModelRole role);

    /** @return D_C's training split */
    protected abstract String compositionSplit();

    /** @return D_C's validation split: what every system trained on D_C is watched and chosen on */
    protected abstract String validationSplit();

    /** @return every split a base model reads, in training or in evaluation, whose longest sequence must fit its context */
    protected abstract List<String> contextSplits(ModelRole role);

    /** @return what a user changes, beside the context, when a sequence is too long (e.g. a data limit) */
    protected abstract String shorterDataHint();

    /** @return one line on what a base model learns, for the log */
    protected String describeTraining(ModelRole role) {
        return trainSplit(role);
    }

    @Override
    public void prepare() throws IOException {
        examples(compositionSplit());
        checkContexts();
    }

    /** @return an example as the models read it: BOS + prompt ids, then completion ids + EOS */
    public TrainingExample encode(TextPair example) {
        return encode(vocabulary(), example);
    }

    /** @return an example as the models read it through a vocabulary */
    public static TrainingExample encode(Vocabulary vocabulary, TextPair example) {
        return TrainingExample.encode(vocabulary, example.prompt(), example.completion());
    }

    @Override
    public TrainingResult pretrain(ModelRole role, boolean resume, NDManager manager) throws IOException {
        ModelSpec spec = spec(role);
        String job = Experiment.pretrainJob(role);
        checkContext(role, List.of(trainSplit(role)));
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(spec.training().seed(), 0));
        DecoderLM model = spec.architecture().newModel();
        model.initialize(manager, DataType.FLOAT32);
        LOG.info("{}: {} ({}), GPT d={} layers={} heads={}, {} parameters, trained on {} ({} examples)", job,
                role.paperName(), role == ModelRole.A ? "augmenting" : "anchor", model.hiddenSize(), model.numLayers(),
                model.numHeads(), String.format("%,d", model.parameterCount()), describeTraining(role),
                examples(trainSplit(role)).size());
        Map<String, Object> provenance = provenance(job, spec.training());
        TrainingResult result = train(job, model, examples(trainSplit(role)), watchSplit(role), spec.training(), provenance,
                resume, manager);
        ModelFolder.save(model, Experiment.trainedHeads(result, spec.training(), manager), modelFolder(role),
                Experiment.withResult(provenance, result));
        LOG.info("{}: saved {} to {}", job, role.paperName(), modelFolder(role));
        return result;
    }

    @Override
    public TrainingResult compose(String job, boolean resume, NDManager manager) throws IOException {
        if (!job.equals(COMPOSE_JOB)) {
            throw new IllegalArgumentException("the " + config.experiment() + " experiment has no composition job '" + job
                    + "'; it has " + COMPOSE_JOB);
        }
        Function<NDManager, ComposedModel> fresh = scope -> {
            try {
                CompositionSource augmenting = reading(modelFolder(ModelRole.A), loadBase(ModelRole.A, scope),
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
        Function<NDManager, DecoderLM> fresh = anchorToFineTune();
        Map<String, Object> provenance = provenance(FINETUNE_JOB, config.training());
        Trained<DecoderLM> trained = trainOnComposition(FINETUNE_JOB, fresh, provenance, resume, manager);
        ModelFolder.save(trained.model(), finetunedFolder(), trained.provenance(provenance));
        LOG.info("{}: saved the fine-tuned m_B to {}", FINETUNE_JOB, finetunedFolder());
        return trained.result();
    }

    /**
     * Trains what D_C trains (a composition, the anchor, adapters), watched on D_C's validation
     * split: with the {@code training} settings as written, or, when the config has a grid
     * ({@code selection}), with the learning rate and number of updates the grid search chooses on
     * that split.
     *
     * @param fresh builds the untrained system on a manager
     */
    public <M extends LanguageModel> Trained<M> trainOnComposition(String job, Function<NDManager, M> fresh,
            Map<String, Object> provenance, boolean resume, NDManager manager) throws IOException {
        return Trained.onComposition(job, config.selection(), config.training(), fresh,
                model -> train(job, model, examples(compositionSplit()), validationSplit(), config.training(), provenance,
                        resume, manager),
                () -> examples(compositionSplit()).stream().map(this::encode).toList(),
                () -> Map.of(validationSplit(), examples(validationSplit()).stream().map(this::encode).toList()),
                jobFolder(job), provenance, resume, manager);
    }

    /**
     * Runs one training job on the given examples: metrics and checkpoints go to {@link #jobFolder};
     * the first {@code training.evalExamples} examples of the watched split are evaluated periodically.
     */
    public TrainingResult train(String job, LanguageModel model, List<? extends TextPair> trainSet, String watched,
            TrainingConfig training, Map<String, Object> provenance, boolean resume, NDManager manager) throws IOException {
        List<TrainingExample> trainingExamples = trainSet.stream().map(this::encode).toList();
        List<? extends TextPair> held = examples(watched);
        List<TrainingExample> watchedExamples = held.subList(0, Math.min(held.size(), training.evalExamples())).stream()
                .map(this::encode).toList();
        Map<String, List<TrainingExample>> heldOut = new LinkedHashMap<>();
        heldOut.put(watched, watchedExamples);
        return TrainingLoop.builder(model)
                .name(job)
                .examples(trainingExamples)
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
        jobs.addAll(new TextPairBaselines(this).jobs());
        return jobs;
    }

    /**
     * Checks, before anything trains, that every sequence each base model reads fits its context.
     *
     * @throws calm.train.config.ConfigException naming the field to change
     */
    public void checkContexts() throws IOException {
        for (ModelRole role : ModelRole.values()) {
            checkContext(role, contextSplits(role));
        }
    }

    private void checkContext(ModelRole role, List<String> splits) throws IOException {
        int contextLength = spec(role).architecture().contextLength();
        int shift = spec(role).training().positionShift();
        for (String split : splits) {
            int longest = examples(split).stream().mapToInt(e -> encode(e).length()).max().orElse(0);
            if (longest + shift > contextLength) {
                throw loaded.error("models." + role.key() + ".architecture.contextLength", "must be at least "
                        + (longest + shift) + ", the longest sequence of " + split + " (BOS + prompt + completion + EOS"
                        + (shift > 0 ? ", moved by up to positionShift " + shift : "") + "), got " + contextLength
                        + " (or " + shorterDataHint() + ")");
            }
        }
    }

    /** @return the provenance of a job of this experiment, before it has run */
    public Map<String, Object> provenance(String job, TrainingConfig training) {
        return Provenance.of(job, loaded.source(), loaded.text(), config, training.seed());
    }
}
