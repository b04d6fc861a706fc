package calm.kv;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import calm.compose.ComposedModel;
import calm.compose.CompositionSource;
import calm.data.CharVocabulary;
import calm.data.Vocabulary;
import calm.io.ModelFolder;
import calm.kv.data.KvArithmeticDatasets;
import calm.kv.data.KvDatasetFiles;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.kv.data.PrefixedExamples;
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
import calm.train.config.PrefixStage;
import calm.train.config.SelectionConfig;
import calm.train.experiment.Ablation;
import calm.train.experiment.Experiment;
import calm.train.experiment.Job;
import calm.train.experiment.ModelRole;
import calm.train.experiment.Trained;
import calm.train.io.CompositionFolder;
import calm.train.lora.LoraFolder;
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
 * The training jobs of the key-value arithmetic experiment, driven by one config: pretraining m_A
 * and m_B, training their composition, and fine-tuning m_B on D_C (the paper's baseline).
 *
 * <p>Everything goes under the config's output folder:
 * <pre>
 *   data/                  the datasets (JSON Lines, see datasets/README.md)
 *   model-a/, model-b/     the pretrained base models (model folders with provenance)
 *   composition/           the trained composition (connections only; points at model-a, model-b)
 *   composition-scratchpad/  the same composition trained in the scratchpad format (data.scratchpad)
 *   model-b-finetuned/     the fine-tuning baseline
 *   train/JOB/             each job's metrics.jsonl and checkpoints/ (JOB: pretrain-a, pretrain-b,
 *                          compose, compose-scratchpad, finetune-b); a prefix stage's in
 *                          train/pretrain-X/prefix-stage/
 * </pre>
 */
public final class KvExperiment implements Experiment {

    /** The tokenizer of every model of the experiment. */
    public static final CharVocabulary VOCABULARY = CharVocabulary.standard();

    private static final Logger LOG = LogManager.getLogger(KvExperiment.class);
    private static final List<KvSplit> COMPOSITION_EVAL = List.of(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS,
            KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS, KvSplit.EVAL_KV_ARITHMETIC_MIXED_KEYS);
    private static final List<KvSplit> COMPOSITION_SPLITS = List.of(KvSplit.TRAIN_COMPOSITION,
            KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS, KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS, KvSplit.EVAL_KV_ARITHMETIC_MIXED_KEYS);
    private static final List<KvSplit> SCRATCHPAD_EVAL = List.of(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS_SCRATCHPAD,
            KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS_SCRATCHPAD, KvSplit.EVAL_KV_ARITHMETIC_MIXED_KEYS_SCRATCHPAD);
    /** The prefix stage's folder in its pretraining job's folder: metrics and checkpoints. */
    public static final String PREFIX_STAGE = "prefix-stage";

    private final LoadedConfig loaded;
    private final ExperimentConfig config;
    private final KvDataConfig dataConfig;
    private final Path output;
    private KvArithmeticDatasets data;

    /** @param loaded the experiment's config */
    public KvExperiment(LoadedConfig loaded) {
        this.loaded = loaded;
        this.config = loaded.config();
        this.dataConfig = (KvDataConfig) config.data();
        this.output = Path.of(config.output());
    }

    @Override
    public LoadedConfig config() {
        return loaded;
    }

    @Override
    public Path output() {
        return output;
    }

    /** @return the config's data section */
    public KvDataConfig dataConfig() {
        return dataConfig;
    }

    /** @return where the trained composition is saved */
    public Path compositionFolder() {
        return compositionFolder(COMPOSE_JOB);
    }

    /** @return where the composition trained in the scratchpad format is saved */
    public Path scratchpadCompositionFolder() {
        return compositionFolder(COMPOSE_SCRATCHPAD_JOB);
    }

    /** @return the name of the job pretraining a base model */
    public static String pretrainJob(ModelRole role) {
        return Experiment.pretrainJob(role);
    }

    /** The job training the composition in the scratchpad format. */
    public static final String COMPOSE_SCRATCHPAD_JOB = "compose-scratchpad";

    /** @return the split a base model is pretrained on: KV-Substitution for m_A, Numeric-Arithmetic for m_B */
    public static KvSplit trainSplit(ModelRole role) {
        return role == ModelRole.A ? KvSplit.TRAIN_KV_SUBSTITUTION : KvSplit.TRAIN_NUMERIC_ARITHMETIC;
    }

    /** @return the held-out split of a base model's pretraining task */
    public static KvSplit evalSplit(ModelRole role) {
        return role == ModelRole.A ? KvSplit.EVAL_KV_SUBSTITUTION : KvSplit.EVAL_NUMERIC_ARITHMETIC;
    }

    /** @return the datasets, built on first use and written to {@code output/data} */
    public KvArithmeticDatasets data() throws IOException {
        if (data == null) {
            try {
                data = KvArithmeticDatasets.build(dataConfig.settings(), dataConfig.seed());
            } catch (IllegalArgumentException e) {
                throw loaded.error("data.sizes", e.getMessage());
            }
            KvDatasetFiles.writeDatasets(output.resolve("data"), data);
        }
        return data;
    }

    /** @return an example as the models read it: BOS + prompt, then target + EOS */
    public static TrainingExample encode(KvExample example) {
        return TrainingExample.encode(VOCABULARY, example.prompt(), example.target());
    }

    /**
     * Pretrains m_A on KV-Substitution or m_B on Numeric-Arithmetic, from scratch, then through its
     * prefix stage when the config asks for one, and saves it.
     *
     * @param resume continue from the job's newest checkpoints
     * @param manager where the model lives
     */
    @Override
    public TrainingResult pretrain(ModelRole role, boolean resume, NDManager manager) throws IOException {
        ModelSpec spec = spec(role);
        String job = pretrainJob(role);
        checkPretraining(role);
        PrefixStage stage = spec.prefixStage();
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(spec.training().seed(), 0));
        DecoderLM model = spec.architecture().newModel();
        model.initialize(manager, DataType.FLOAT32);
        LOG.info("{}: {} ({}), GPT d={} layers={} heads={}, {} parameters, trained on {}", job, role.paperName(),
                role == ModelRole.A ? "augmenting" : "anchor", model.hiddenSize(), model.numLayers(), model.numHeads(),
                String.format("%,d", model.parameterCount()), trainSplit(role).id());
        Map<String, Object> provenance = provenance(job, spec.training());
        TrainingResult result = train(job, model, trainSplit(role), List.of(evalSplit(role)), spec.training(), provenance,
                resume, manager);
        Map<String, Object> saved = withResult(provenance, result);
        if (stage.enabled()) {
            TrainingConfig continued = stage.training(spec.training());
            List<KvExample> prefixed = PrefixedExamples.of(data().get(trainSplit(role)), stage.longest(), continued.seed());
            LOG.info("{}: prefix stage, {} updates with prompts behind up to {} characters of other examples, for example "
                    + "{} -> {}", job, stage.steps(), stage.longest(), prefixed.get(0).prompt(), prefixed.get(0).target());
            Map<String, List<KvExample>> held = Map.of(evalSplit(role).id(), data().get(evalSplit(role)));
            TrainingResult prefixStage = train(job + " (prefix stage)", model, prefixed, held, continued, provenance,
                    jobFolder(job).resolve(PREFIX_STAGE), resume, manager);
            saved.put("prefixStage", Map.of("steps", prefixStage.steps(), "evaluation", prefixStage.evaluation()));
            // The job's outcome counts both stages' steps (the heads come from the last stage's checkpoint).
            result = result.then(prefixStage);
        }
        ModelFolder.save(model, Experiment.trainedHeads(result, spec.training(), manager), modelFolder(role), saved);
        LOG.info("{}: saved {} to {}", job, role.paperName(), modelFolder(role));
        return result;
    }

    /**
     * Composes the pretrained m_A into the pretrained m_B, trains the connections on D_C and saves
     * the composition.
     */
    public TrainingResult compose(boolean resume, NDManager manager) throws IOException {
        return compose(calmRows().get(0), resume, manager);
    }

    /** @return the report's CALM rows ({@link CalmRow#of}): CALM itself first */
    public List<CalmRow> calmRows() {
        return CalmRow.of(config);
    }

    /** Trains one CALM row on D_C, with its composition settings and its seed, and saves it. */
    private TrainingResult compose(CalmRow row, boolean resume, NDManager manager) throws IOException {
        return compose(row.job(), row.composition(), row.seed(), KvSplit.TRAIN_COMPOSITION, COMPOSITION_EVAL,
                compositionFolder(row.job()), resume, manager);
    }

    /**
     * Trains the same composition on D_C in the scratchpad format ({@code ab+cd=} to
     * {@code 010+220=230}: the substituted expression, then the answer), the extra row of the
     * report, and saves it.
     *
     * @throws calm.train.config.ConfigException when {@code data.scratchpad} is false
     */
    public TrainingResult composeScratchpad(boolean resume, NDManager manager) throws IOException {
        if (!dataConfig.scratchpad()) {
            throw loaded.error("data.scratchpad", "must be true for the scratchpad composition, got false");
        }
        return compose(COMPOSE_SCRATCHPAD_JOB, config.composition(), config.training().seed(),
                KvSplit.TRAIN_COMPOSITION_SCRATCHPAD, SCRATCHPAD_EVAL, scratchpadCompositionFolder(), resume, manager);
    }

    private TrainingResult compose(String job, CompositionConfig composition, long seed, KvSplit train, List<KvSplit> held,
            Path folder, boolean resume, NDManager manager) throws IOException {
        List<KvSplit> splits = new ArrayList<>(held);
        splits.add(train);
        checkContext(null, Math.min(spec(ModelRole.A).architecture().contextLength(),
                spec(ModelRole.B).architecture().contextLength()), 0, splits);
        Function<NDManager, ComposedModel> fresh = scope -> {
            try {
                CompositionSource augmenting = reading(composition, modelFolder(ModelRole.A), loadBase(ModelRole.A, scope),
                        spec(ModelRole.A).training().predictTokens(), scope);
                ComposedModel composed = composition.compose(loadBase(ModelRole.B, scope), augmenting, seed, scope);
                LOG.info("{}: {} trainable parameters: {}", job, String.format("%,d", composed.trainableParameterCount()),
                        composed.trainableParameterFormula());
                return composed;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        TrainingConfig training = config.training().withSeed(seed);
        Map<String, Object> provenance = provenance(job, training);
        Trained<ComposedModel> trained = trainOnComposition(job, train, held, fresh, training, provenance, resume, manager);
        CompositionFolder.save(trained.model(), folder, modelFolder(ModelRole.B), List.of(modelFolder(ModelRole.A)),
                trained.provenance(provenance));
        LOG.info("{}: saved the composition to {}", job, folder);
        return trained.result();
    }

    /**
     * Trains what D_C trains (a CALM row, the fine-tuned anchor, LoRA, an ablation's composition),
     * watched on the held-out composition splits: with the {@code training} settings as written,
     * or, when the config has a grid ({@code selection}), with the learning rate and number of
     * updates the grid search chooses on D_C's validation split ({@code sizes.compositionValidation}).
     *
     * @param fresh builds the untrained system on a manager
     * @param training the job's settings (a CALM row's seed)
     */
    public <M extends LanguageModel> Trained<M> trainOnComposition(String job, Function<NDManager, M> fresh,
            TrainingConfig training, Map<String, Object> provenance, boolean resume, NDManager manager) throws IOException {
        return trainOnComposition(job, KvSplit.TRAIN_COMPOSITION, COMPOSITION_EVAL, fresh, training, provenance, resume,
                manager);
    }

    private <M extends LanguageModel> Trained<M> trainOnComposition(String job, KvSplit train, List<KvSplit> held,
            Function<NDManager, M> fresh, TrainingConfig training, Map<String, Object> provenance, boolean resume,
            NDManager manager) throws IOException {
        // The scratchpad composition answers in another format than D_C's validation split: trained as written.
        SelectionConfig grid = train == KvSplit.TRAIN_COMPOSITION ? config.selection() : SelectionConfig.none();
        return Trained.onComposition(job, grid, training, fresh,
                model -> train(job, model, train, held, training, provenance, resume, manager),
                () -> data().get(train).stream().map(KvExperiment::encode).toList(),
                () -> Map.of(KvSplit.VALIDATION_COMPOSITION.id(),
                        data().get(KvSplit.VALIDATION_COMPOSITION).stream().map(KvExperiment::encode).toList()),
                jobFolder(job), provenance, resume, manager);
    }

    @Override
    public TrainingResult compose(String job, boolean resume, NDManager manager) throws IOException {
        if (job.equals(COMPOSE_SCRATCHPAD_JOB)) {
            return composeScratchpad(resume, manager);
        }
        for (CalmRow row : calmRows()) {
            if (row.job().equals(job)) {
                return compose(row, resume, manager);
            }
        }
        List<String> known = new ArrayList<>(calmRows().stream().map(CalmRow::job).toList());
        known.add(COMPOSE_SCRATCHPAD_JOB);
        throw new IllegalArgumentException("the key-value experiment has no composition job '" + job + "'; this config's are "
                + String.join(", ", known));
    }

    @Override
    public void checkComposition(String job) {
        if (job.equals(COMPOSE_SCRATCHPAD_JOB) && !dataConfig.scratchpad()) {
            throw loaded.error("data.scratchpad", "must be true for --scratchpad (it builds the scratchpad splits), got false");
        }
        Experiment.super.checkComposition(job);
    }

    @Override
    public void prepare() throws IOException {
        data();
        checkContexts();
    }

    /** The config sections a result trained on D_C depends on (the grid too: it chooses the learning rate and updates). */
    private static final List<String> COMPOSITION_SECTIONS = List.of("/data", "/models", "/composition", "/training",
            "/selection");
    /**
     * The config sections a base model depends on: the data but D_C's validation split, which no
     * pretraining reads (so a grid added later reuses the base models).
     */
    static final List<String> DATA_SECTIONS = List.of("/data", "-/data/sizes/compositionValidation");

    /**
     * The jobs the config asks for: m_A and m_B, the composition (and its scratchpad variant), the
     * fine-tuned and LoRA baselines, and each enabled ablation with the augmenting model it needs.
     */
    @Override
    public List<Job> jobs() {
        KvBaselines baselines = new KvBaselines(this);
        List<Job> jobs = new ArrayList<>();
        for (ModelRole role : ModelRole.values()) {
            List<String> sections = new ArrayList<>(DATA_SECTIONS);
            sections.add("/models/" + role.key());
            jobs.add(new Job(pretrainJob(role), modelFolder(role).resolve(ModelFolder.PROVENANCE), sections, List.of(),
                    (resume, manager) -> pretrain(role, resume, manager), Experiment.heads(modelFolder(role), spec(role))));
        }
        List<String> bases = List.of(pretrainJob(ModelRole.A), pretrainJob(ModelRole.B));
        String anchor = pretrainJob(ModelRole.B);
        for (CalmRow row : calmRows()) {
            List<String> sections = new ArrayList<>(COMPOSITION_SECTIONS);
            if (row.layerOutputs()) {
                sections.add("/variants/layerOutputsWiring");
            }
            jobs.add(new Job(row.job(), compositionFolder(row.job()).resolve(CompositionFolder.PROVENANCE), sections, bases,
                    (resume, manager) -> compose(row, resume, manager)));
        }
        if (dataConfig.scratchpad()) {
            jobs.add(new Job(COMPOSE_SCRATCHPAD_JOB, scratchpadCompositionFolder().resolve(CompositionFolder.PROVENANCE),
                    COMPOSITION_SECTIONS, bases, (resume, manager) -> composeScratchpad(resume, manager)));
        }
        if (config.baselines().finetune()) {
            jobs.add(new Job(FINETUNE_JOB, finetunedFolder().resolve(ModelFolder.PROVENANCE),
                    List.of("/data", "/models/b", "/training", "/selection"), List.of(anchor),
                    (resume, manager) -> finetune(resume, manager)));
        }
        if (config.baselines().lora()) {
            List<String> sections = new ArrayList<>(COMPOSITION_SECTIONS);
            sections.addAll(List.of("/baselines/loraRank", "/baselines/loraTargets"));
            jobs.add(new Job(KvBaselines.LORA_JOB, baselines.loraFolder().resolve(LoraFolder.PROVENANCE), sections,
                    List.of(anchor), (resume, manager) -> baselines.lora(resume, manager)));
        }
        for (Ablation ablation : Ablation.enabled(config.ablations())) {
            List<String> sections = new ArrayList<>(COMPOSITION_SECTIONS);
            String augmenting = switch (ablation) {
                case VANILLA_AUGMENTING -> {
                    sections.add("/ablations/vanillaData");
                    if (baselines.anchorIsVanilla()) {
                        yield anchor;
                    }
                    jobs.add(new Job(KvBaselines.VANILLA_PRETRAIN_JOB,
                            baselines.augmentingFolder(ablation).resolve(ModelFolder.PROVENANCE),
                            List.of("/data", "-/data/sizes/compositionValidation", "/models/a", "/ablations/vanillaData"),
                            List.of(),
                            (resume, manager) -> baselines.pretrainVanillaAugmenting(resume, manager),
                            Experiment.heads(baselines.augmentingFolder(ablation), spec(ModelRole.A))));
                    yield KvBaselines.VANILLA_PRETRAIN_JOB;
                }
                case RANDOM_AUGMENTING -> {
                    jobs.add(new Job(KvBaselines.RANDOM_INIT_JOB,
                            baselines.augmentingFolder(ablation).resolve(ModelFolder.PROVENANCE), List.of("/models/a"),
                            List.of(), (resume, manager) -> {
                                baselines.saveRandomAugmenting(manager);
                                return null;
                            }, Experiment.heads(baselines.augmentingFolder(ablation), spec(ModelRole.A))));
                    yield KvBaselines.RANDOM_INIT_JOB;
                }
                case ENCODER_AUGMENTING -> pretrainJob(ModelRole.A);
            };
            jobs.add(new Job(ablation.job(), baselines.compositionFolder(ablation).resolve(ModelFolder.PROVENANCE), sections,
                    List.of(augmenting, anchor), (resume, manager) -> baselines.compose(ablation, resume, manager)));
        }
        if (config.merging().enabled()) {
            jobs.addAll(merging().jobs());
        }
        return jobs;
    }

    /** @return the training-free combinations' models and folders ({@code merging}) */
    public KvMerging merging() {
        return new KvMerging(this);
    }

    /** @return the pretrained m_A as the config's composition reads it ({@link #reading}) */
    public CompositionSource loadAugmenting(NDManager manager) throws IOException {
        return reading(modelFolder(ModelRole.A), loadBase(ModelRole.A, manager), spec(ModelRole.A).training().predictTokens(),
                manager);
    }

    @Override
    public Vocabulary vocabulary() {
        return VOCABULARY;
    }

    /**
     * Builds the untrained composition of the config: the anchor, m_A with the configured wiring and
     * mode, connections initialised from the training seed.
     */
    public ComposedModel newComposition(DecoderLM anchor, CompositionSource augmenting, NDManager manager) {
        return config.composition().compose(anchor, augmenting, config.training().seed(), manager);
    }

    /**
     * Fine-tunes every parameter of the pretrained m_B on D_C, the paper's baseline, with the
     * config's {@code training} settings, and saves it.
     */
    @Override
    public TrainingResult finetune(boolean resume, NDManager manager) throws IOException {
        checkContext(ModelRole.B, spec(ModelRole.B).architecture().contextLength(), 0, COMPOSITION_SPLITS);
        Function<NDManager, DecoderLM> fresh = anchorToFineTune();
        Map<String, Object> provenance = provenance(FINETUNE_JOB, config.training());
        Trained<DecoderLM> trained = trainOnComposition(FINETUNE_JOB, fresh, config.training(), provenance, resume, manager);
        ModelFolder.save(trained.model(), finetunedFolder(), trained.provenance(provenance));
        LOG.info("{}: saved the fine-tuned m_B to {}", FINETUNE_JOB, finetunedFolder());
        return trained.result();
    }

    private TrainingResult train(String job, LanguageModel model, KvSplit trainSplit, List<KvSplit> evalSplits,
            TrainingConfig training, Map<String, Object> provenance, boolean resume, NDManager manager) throws IOException {
        Map<String, List<KvExample>> held = new LinkedHashMap<>();
        for (KvSplit split : evalSplits) {
            held.put(split.id(), data().get(split));
        }
        return train(job, model, data().get(trainSplit), held, training, provenance, resume, manager);
    }

    /**
     * Runs one training job of the experiment: its metrics and checkpoints go to
     * {@link #jobFolder(String)}, and the first {@code training.evalExamples()} examples of each
     * held-out split are evaluated periodically. The caller saves the model.
     *
     * @param job the job's name, e.g. {@code compose}
     * @param model what trains: its {@link LanguageModel#trainableParameters()}
     * @param trainSet the training examples
     * @param heldOut held-out examples by split name, in report order
     * @param provenance saved with every checkpoint
     * @param resume continue from the job's newest checkpoint
     */
    public TrainingResult train(String job, LanguageModel model, List<KvExample> trainSet,
            Map<String, List<KvExample>> heldOut, TrainingConfig training, Map<String, Object> provenance,
            boolean resume, NDManager manager) throws IOException {
        return train(job, model, trainSet, heldOut, training, provenance, jobFolder(job), resume, manager);
    }

    private TrainingResult train(String job, LanguageModel model, List<KvExample> trainSet,
            Map<String, List<KvExample>> heldOut, TrainingConfig training, Map<String, Object> provenance, Path folder,
            boolean resume, NDManager manager) throws IOException {
        List<TrainingExample> examples = trainSet.stream().map(KvExperiment::encode).toList();
        Map<String, List<TrainingExample>> held = new LinkedHashMap<>();
        heldOut.forEach((split, all) -> held.put(split,
                all.subList(0, Math.min(all.size(), training.evalExamples())).stream().map(KvExperiment::encode).toList()));
        boolean evaluate = held.values().stream().anyMatch(list -> !list.isEmpty());
        return TrainingLoop.builder(model)
                .name(job)
                .examples(examples)
                .config(training)
                .padToken(CharVocabulary.PAD)
                .folder(folder)
                .provenance(provenance)
                .evaluation(evaluate ? new HeldOutEvaluation(held, CharVocabulary.PAD, CharVocabulary.EOS,
                        Math.max(training.batchSize(), 64)) : null)
                .build()
                .run(manager, resume);
    }

    /**
     * Checks, before anything trains, that every sequence each job of the config reads fits the
     * models' contexts: pretraining (with its shifts and prefixes) and the compositions.
     *
     * @throws calm.train.config.ConfigException naming the field to change
     */
    public void checkContexts() throws IOException {
        for (ModelRole role : ModelRole.values()) {
            checkPretraining(role);
        }
        int composed = Math.min(spec(ModelRole.A).architecture().contextLength(), spec(ModelRole.B).architecture().contextLength());
        checkContext(null, composed, 0, COMPOSITION_SPLITS);
        if (dataConfig.scratchpad()) {
            List<KvSplit> splits = new ArrayList<>(SCRATCHPAD_EVAL);
            splits.add(KvSplit.TRAIN_COMPOSITION_SCRATCHPAD);
            checkContext(null, composed, 0, splits);
        }
    }

    /** Checks that a base model's pretraining sequences fit its context, shifted and behind prefixes. */
    private void checkPretraining(ModelRole role) throws IOException {
        ModelSpec spec = spec(role);
        int contextLength = spec.architecture().contextLength();
        checkContext(role, contextLength, spec.training().positionShift(), List.of(trainSplit(role), evalSplit(role)));
        if (spec.prefixStage().enabled()) {
            checkPrefix(role, contextLength, spec.prefixStage().longest());
        }
    }

    /** Checks that the longest training sequence fits the context behind the longest prefix. */
    private void checkPrefix(ModelRole role, int contextLength, int longestPrefix) throws IOException {
        int longest = data().get(trainSplit(role)).stream().mapToInt(e -> encode(e).length()).max().orElse(0);
        if (longest + longestPrefix > contextLength) {
            throw loaded.error("models." + role.key() + ".prefixStage.longest", "must be at most "
                    + Math.max(0, contextLength - longest) + ": behind a longer prefix the longest sequence of "
                    + trainSplit(role).id() + " (" + longest + " tokens) outgrows models." + role.key()
                    + ".architecture.contextLength " + contextLength + ", got " + longestPrefix);
        }
    }

    /** Checks that the longest sequence of the splits fits the context, naming the config field. */
    private void checkContext(ModelRole role, int contextLength, int shift, List<KvSplit> splits) throws IOException {
        ModelRole culprit = role != null ? role
                : spec(ModelRole.A).architecture().contextLength() < spec(ModelRole.B).architecture().contextLength()
                        ? ModelRole.A : ModelRole.B;
        checkContext(data(), splits, contextLength, shift, "models." + culprit.key() + ".architecture.contextLength", "");
    }

    /**
     * Checks that the longest sequence of the splits, moved by up to {@code shift} positions, fits
     * the context.
     *
     * @param field the config field the error names
     * @param whose what the split names are prefixed with in the error ("" or, say, "the vanilla m_A's ")
     * @throws calm.train.config.ConfigException naming the field, the split and the length needed
     */
    void checkContext(KvArithmeticDatasets data, List<KvSplit> splits, int contextLength, int shift, String field,
            String whose) {
        for (KvSplit split : splits) {
            int longest = data.get(split).stream().mapToInt(e -> encode(e).length()).max().orElse(0);
            if (longest + shift > contextLength) {
                throw loaded.error(field, "must be at least " + needed(longest, shift) + ", the longest sequence of "
                        + whose + split.id() + " (BOS + prompt + target + EOS), got " + contextLength);
            }
        }
    }

    /** @return the context a sequence of {@code longest} tokens needs when moved by up to {@code shift} positions */
    private static String needed(int longest, int shift) {
        return shift == 0 ? Integer.toString(longest)
                : (longest + shift) + " (" + longest + " tokens moved by up to positionShift " + shift + " positions)";
    }

    /** @return the provenance of a job of this experiment, before it has run */
    public Map<String, Object> provenance(String job, TrainingConfig training) {
        return Provenance.of(job, loaded.source(), loaded.text(), config, training.seed());
    }

    /** @return the provenance with the job's steps and last evaluation added, for the saved model */
    public static Map<String, Object> withResult(Map<String, Object> provenance, TrainingResult result) {
        return Experiment.withResult(provenance, result);
    }
}
