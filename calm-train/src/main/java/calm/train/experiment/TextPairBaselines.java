package calm.train.experiment;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import calm.compose.Augmentation;
import calm.compose.ComposedModel;
import calm.compose.CompositionSource;
import calm.io.ModelFolder;
import calm.model.DecoderLM;
import calm.train.Seeds;
import calm.train.TrainingConfig;
import calm.train.TrainingResult;
import calm.train.config.ExperimentConfig;
import calm.train.io.CompositionFolder;
import calm.train.lora.LoraFolder;
import calm.train.lora.LoraModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The LoRA baseline and CALM's ablations of a {@link TextPairExperiment}, each trained on D_C as the
 * composition is:
 * <pre>
 *   lora-b/                LoRA adapters on m_B, with the composition's parameter count (loraRank: 0)
 *   model-a-vanilla/       m_A's architecture and pretraining on m_B's corpus: a model of m_A's
 *                          size without m_A's knowledge, the paper's vanilla PaLM2-XXS (with
 *                          ablations.vanillaData ANCHOR, m_B itself)
 *   model-a-random/        m_A's architecture at its initialisation, untrained
 *   composition-vanilla-a/, composition-random-a/, composition-encoder/
 * </pre>
 */
public final class TextPairBaselines {

    /** The job training LoRA on m_B. */
    public static final String LORA_JOB = Experiment.LORA_JOB;
    /** The job pretraining the vanilla m_A. */
    public static final String VANILLA_PRETRAIN_JOB = "pretrain-a-vanilla";
    /** What the random m_A's provenance names as its job (nothing trains it). */
    public static final String RANDOM_INIT_JOB = "init-a-random";

    private static final Logger LOG = LogManager.getLogger(TextPairBaselines.class);

    private final TextPairExperiment experiment;
    private final ExperimentConfig config;

    /** @param experiment the experiment whose base models and data these jobs use */
    public TextPairBaselines(TextPairExperiment experiment) {
        this.experiment = experiment;
        this.config = experiment.config().config();
    }

    /** @return the LoRA and ablation jobs the config enables, each after the models it reads */
    List<Job> jobs() {
        List<Job> jobs = new ArrayList<>();
        String anchor = Experiment.pretrainJob(ModelRole.B);
        List<String> sections = TextPairExperiment.COMPOSITION_SECTIONS;
        if (config.baselines().lora()) {
            List<String> loraSections = new ArrayList<>(sections);
            loraSections.addAll(List.of("/baselines/loraRank", "/baselines/loraTargets"));
            jobs.add(new Job(LORA_JOB, experiment.loraFolder().resolve(LoraFolder.PROVENANCE), loraSections, List.of(anchor),
                    (resume, manager) -> lora(resume, manager)));
        }
        for (Ablation ablation : Ablation.enabled(config.ablations())) {
            List<String> depends = new ArrayList<>(sections);
            String augmenting = switch (ablation) {
                case VANILLA_AUGMENTING -> {
                    depends.add("/ablations/vanillaData");
                    if (experiment.anchorIsVanilla()) {
                        yield anchor;
                    }
                    jobs.add(new Job(VANILLA_PRETRAIN_JOB, experiment.augmentingFolder(ablation).resolve(ModelFolder.PROVENANCE),
                            List.of("/data", "/models/a", "/ablations/vanillaData"), List.of(),
                            (resume, manager) -> pretrainVanillaAugmenting(resume, manager),
                            Experiment.heads(experiment.augmentingFolder(ablation), config.models().a())));
                    yield VANILLA_PRETRAIN_JOB;
                }
                case RANDOM_AUGMENTING -> {
                    jobs.add(new Job(RANDOM_INIT_JOB, experiment.augmentingFolder(ablation).resolve(ModelFolder.PROVENANCE),
                            List.of("/models/a"), List.of(), (resume, manager) -> {
                                saveRandomAugmenting(manager);
                                return null;
                            }, Experiment.heads(experiment.augmentingFolder(ablation), config.models().a())));
                    yield RANDOM_INIT_JOB;
                }
                case ENCODER_AUGMENTING -> Experiment.pretrainJob(ModelRole.A);
            };
            jobs.add(new Job(ablation.job(), experiment.compositionFolder(ablation).resolve(CompositionFolder.PROVENANCE), depends,
                    List.of(augmenting, anchor), (resume, manager) -> compose(ablation, resume, manager)));
        }
        return jobs;
    }

    /**
     * Trains LoRA adapters on the pretrained m_B on D_C and saves them. With {@code loraRank: 0}
     * the rank is the one whose trainable parameter count is closest to the composition's.
     */
    public TrainingResult lora(boolean resume, NDManager manager) throws IOException {
        DecoderLM anchor = experiment.loadBase(ModelRole.B, manager);
        List<String> targets = config.baselines().loraTargets();
        int rank = config.baselines().loraRank();
        long calm;
        try (NDManager scratch = manager.newSubManager()) {
            CompositionSource augmenting = experiment.reading(experiment.modelFolder(ModelRole.A),
                    config.models().a().architecture().newModel(), config.models().a().training().predictTokens(), scratch);
            calm = config.composition().compose(config.models().b().architecture().newModel(), augmenting,
                    config.training().seed(), scratch).trainableParameterCount();
        }
        try {
            if (rank == 0) {
                rank = LoraModel.matchingRank(LoraModel.parametersPerRank(LoraModel.targeted(anchor, targets)), calm);
            }
        } catch (IllegalArgumentException e) {
            throw experiment.config().error("baselines.loraTargets", e.getMessage());
        }
        int chosenRank = rank;
        Function<NDManager, LoraModel> fresh = scope -> {
            try {
                DecoderLM base = experiment.loadBase(ModelRole.B, scope);
                Engine.getInstance().setRandomSeed(Seeds.engineSeed(config.training().seed(), 0));
                return LoraModel.attach(base, chosenRank, targets, scope);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Map<String, Object> provenance = experiment.provenance(LORA_JOB, config.training());
        Trained<LoraModel> trained = experiment.trainOnComposition(LORA_JOB, fresh, provenance, resume,
                manager);
        LoraModel lora = trained.model();
        LOG.info("{}: {} trainable parameters ({}); CALM trains {}", LORA_JOB,
                String.format("%,d", lora.trainableParameterCount()), lora.trainableParameterFormula(), String.format("%,d", calm));
        LoraFolder.save(lora, experiment.loraFolder(), experiment.modelFolder(ModelRole.B), trained.provenance(provenance));
        LOG.info("{}: saved the LoRA adapters to {}", LORA_JOB, experiment.loraFolder());
        return trained.result();
    }

    /**
     * Pretrains the vanilla m_A: m_A's architecture and pretraining settings on m_B's corpus, so that
     * it has m_A's size and training but none of the low-resource languages.
     */
    public TrainingResult pretrainVanillaAugmenting(boolean resume, NDManager manager) throws IOException {
        TrainingConfig training = config.models().a().training();
        DecoderLM model = initialisedAugmenting(manager);
        LOG.info("{}: m_A's architecture trained on {} (m_B's corpus)", VANILLA_PRETRAIN_JOB,
                experiment.trainSplit(ModelRole.B));
        Map<String, Object> provenance = experiment.provenance(VANILLA_PRETRAIN_JOB, training);
        TrainingResult result = experiment.train(VANILLA_PRETRAIN_JOB, model,
                experiment.examples(experiment.trainSplit(ModelRole.B)), experiment.watchSplit(ModelRole.B), training,
                provenance, resume, manager);
        ModelFolder.save(model, Experiment.trainedHeads(result, training, manager),
                experiment.augmentingFolder(Ablation.VANILLA_AUGMENTING), Experiment.withResult(provenance, result));
        return result;
    }

    /** Saves m_A's architecture at the initialisation m_A's pretraining starts from. */
    public void saveRandomAugmenting(NDManager manager) throws IOException {
        DecoderLM model = initialisedAugmenting(manager);
        int d = config.models().a().architecture().hiddenSize();
        List<NDArray> heads = new ArrayList<>();
        for (int k = 2; k <= config.models().a().training().predictTokens(); k++) {
            heads.add(manager.zeros(new Shape(d, d)));
        }
        ModelFolder.save(model, heads, experiment.augmentingFolder(Ablation.RANDOM_AUGMENTING),
                experiment.provenance(RANDOM_INIT_JOB, config.models().a().training()));
    }

    /**
     * Composes an ablation's augmenting model into the pretrained m_B with the config's composition
     * settings (encoder mode for {@link Ablation#ENCODER_AUGMENTING}), trains it on D_C and saves it.
     */
    public TrainingResult compose(Ablation ablation, boolean resume, NDManager manager) throws IOException {
        Path augmentingAt = experiment.augmentingFolder(ablation);
        if (!Files.isRegularFile(augmentingAt.resolve(ModelFolder.CONFIG))) {
            throw new IllegalStateException("no augmenting model for the " + ablation.description() + " ablation in "
                    + augmentingAt);
        }
        boolean anchorSettings = ablation == Ablation.VANILLA_AUGMENTING && experiment.anchorIsVanilla();
        Augmentation.Mode mode = ablation == Ablation.ENCODER_AUGMENTING ? Augmentation.Mode.ENCODER : config.composition().mode();
        Function<NDManager, ComposedModel> fresh = scope -> {
            try {
                CompositionSource augmenting = experiment.reading(augmentingAt, ModelFolder.load(augmentingAt, scope),
                        (anchorSettings ? config.models().b() : config.models().a()).training().predictTokens(), scope);
                DecoderLM anchor = experiment.loadBase(ModelRole.B, scope);
                return config.composition().compose(anchor, augmenting, mode, config.training().seed(), scope);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Map<String, Object> provenance = experiment.provenance(ablation.job(), config.training());
        Trained<ComposedModel> trained = experiment.trainOnComposition(ablation.job(), fresh,
                provenance, resume, manager);
        ComposedModel composed = trained.model();
        LOG.info("{}: CALM with {}, {} trainable parameters", ablation.job(), ablation.description(),
                String.format("%,d", composed.trainableParameterCount()));
        CompositionFolder.save(composed, experiment.compositionFolder(ablation), experiment.modelFolder(ModelRole.B),
                List.of(augmentingAt), trained.provenance(provenance));
        LOG.info("{}: saved the composition to {}", ablation.job(), experiment.compositionFolder(ablation));
        return trained.result();
    }

    private DecoderLM initialisedAugmenting(NDManager manager) {
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(config.models().a().training().seed(), 0));
        DecoderLM model = config.models().a().architecture().newModel();
        model.initialize(manager, DataType.FLOAT32);
        return model;
    }
}
