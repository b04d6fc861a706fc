package calm.kv;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import calm.compose.Augmentation;
import calm.compose.ComposedModel;
import calm.compose.CompositionSource;
import calm.io.ModelFolder;
import calm.kv.data.KvArithmeticDatasets;
import calm.kv.data.KvDatasetFiles;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import calm.train.Seeds;
import calm.train.TrainingConfig;
import calm.train.TrainingResult;
import calm.train.config.AblationsConfig;
import calm.train.config.ExperimentConfig;
import calm.train.experiment.Ablation;
import calm.train.experiment.Experiment;
import calm.train.experiment.ModelRole;
import calm.train.experiment.Trained;
import calm.train.io.CompositionFolder;
import calm.train.lora.LoraFolder;
import calm.train.lora.LoraModel;
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
 * The jobs of the experiment's LoRA baseline and CALM's ablations, beside {@link KvExperiment}'s
 * pretraining, composition and fine-tuning. Each trains on D_C with the config's {@code training}
 * settings, as the composition does, and saves under the output folder:
 * <pre>
 *   lora-b/                   LoRA adapters on m_B (lora.json points at model-b)
 *   model-a-vanilla/          m_A's architecture pretrained on other data (ablations.vanillaData; none
 *                             for ANCHOR, where model-b is the vanilla m_A)
 *   model-a-random/           m_A's architecture at its initialisation, untrained
 *   composition-vanilla-a/, composition-random-a/, composition-encoder/   the ablations' compositions
 *   train/JOB/                lora-b, pretrain-a-vanilla, compose-vanilla-a, compose-random-a, compose-encoder
 * </pre>
 */
public final class KvBaselines {

    /** The job training LoRA on m_B. */
    public static final String LORA_JOB = Experiment.LORA_JOB;
    /** The job pretraining the vanilla m_A. */
    public static final String VANILLA_PRETRAIN_JOB = "pretrain-a-vanilla";
    /** What the random m_A's provenance names as its job (nothing trains it). */
    public static final String RANDOM_INIT_JOB = "init-a-random";

    private static final Logger LOG = LogManager.getLogger(KvBaselines.class);
    private static final List<KvSplit> COMPOSITION_EVAL = List.of(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS,
            KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS, KvSplit.EVAL_KV_ARITHMETIC_MIXED_KEYS);

    private final KvExperiment experiment;
    private final ExperimentConfig config;

    /** @param experiment the experiment whose base models and data these jobs use */
    public KvBaselines(KvExperiment experiment) {
        this.experiment = experiment;
        this.config = experiment.config().config();
    }

    /** @return where the LoRA baseline is saved */
    public Path loraFolder() {
        return experiment.loraFolder();
    }

    /** @return where an ablation's composition is saved */
    public Path compositionFolder(Ablation ablation) {
        return experiment.compositionFolder(ablation);
    }

    /** @return where an ablation's augmenting model is saved (m_B's folder for a vanilla m_A that is m_B) */
    public Path augmentingFolder(Ablation ablation) {
        return experiment.augmentingFolder(ablation);
    }

    /** @return whether the vanilla m_A is m_B itself ({@code ablations.vanillaData: ANCHOR}), which no job pretrains */
    public boolean anchorIsVanilla() {
        return experiment.anchorIsVanilla();
    }

    /**
     * The number of parameters the config's composition trains, from the architectures alone
     * (no model is loaded).
     */
    public long compositionParameterCount(NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            GptConfig a = config.models().a().architecture();
            CompositionSource augmenting = config.composition().reading(a.newModel(), untrainedHeads(scratch), KvExperiment.VOCABULARY);
            DecoderLM anchor = config.models().b().architecture().newModel();
            return config.composition().compose(anchor, augmenting, config.training().seed(), scratch).trainableParameterCount();
        }
    }

    /**
     * Trains LoRA adapters on the pretrained m_B on D_C and saves them. With {@code loraRank: 0}
     * the rank is the one whose trainable parameter count is closest to the composition's.
     */
    public TrainingResult lora(boolean resume, NDManager manager) throws IOException {
        List<String> targets = config.baselines().loraTargets();
        long calm = compositionParameterCount(manager);
        int rank;
        try {
            rank = config.baselines().loraRank() > 0 ? config.baselines().loraRank() : LoraModel.matchingRank(
                    LoraModel.parametersPerRank(LoraModel.targeted(config.models().b().architecture().newModel(), targets)),
                    calm);
        } catch (IllegalArgumentException e) {
            throw experiment.config().error("baselines.loraTargets", e.getMessage());
        }
        Function<NDManager, LoraModel> fresh = scope -> {
            try {
                DecoderLM anchor = experiment.loadBase(ModelRole.B, scope);
                Engine.getInstance().setRandomSeed(Seeds.engineSeed(config.training().seed(), 0));
                LoraModel lora = LoraModel.attach(anchor, rank, targets, scope);
                LOG.info("{}: {} trainable parameters ({}); CALM trains {}", LORA_JOB,
                        String.format("%,d", lora.trainableParameterCount()), lora.trainableParameterFormula(),
                        String.format("%,d", calm));
                return lora;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Map<String, Object> provenance = experiment.provenance(LORA_JOB, config.training());
        Trained<LoraModel> trained = experiment.trainOnComposition(LORA_JOB, fresh, config.training(), provenance, resume,
                manager);
        LoraFolder.save(trained.model(), loraFolder(), experiment.modelFolder(ModelRole.B), trained.provenance(provenance));
        LOG.info("{}: saved the LoRA adapters to {}", LORA_JOB, loraFolder());
        return trained.result();
    }

    /**
     * Pretrains the vanilla m_A: m_A's architecture and pretraining settings on other data
     * ({@code ablations.vanillaData}), so that it has m_A's size and training but not its knowledge.
     */
    public TrainingResult pretrainVanillaAugmenting(boolean resume, NDManager manager) throws IOException {
        AblationsConfig.VanillaData source = config.ablations().vanillaData();
        if (anchorIsVanilla()) {
            throw new IllegalStateException("ablations.vanillaData is ANCHOR: m_B is the vanilla m_A, nothing to pretrain");
        }
        KvArithmeticDatasets data;
        KvSplit train;
        KvSplit held;
        if (source == AblationsConfig.VanillaData.OTHER_KEYS) {
            data = KvArithmeticDatasets.build(experiment.dataConfig().settings(), experiment.dataConfig().seed() + 1);
            KvDatasetFiles.writeDatasets(experiment.output().resolve("data-vanilla"), data);
            train = KvSplit.TRAIN_KV_SUBSTITUTION;
            held = KvSplit.EVAL_KV_SUBSTITUTION;
        } else {
            data = experiment.data();
            train = KvSplit.TRAIN_NUMERIC_ARITHMETIC;
            held = KvSplit.EVAL_NUMERIC_ARITHMETIC;
        }
        GptConfig architecture = config.models().a().architecture();
        TrainingConfig training = config.models().a().training();
        experiment.checkContext(data, List.of(train, held), architecture.contextLength(), training.positionShift(),
                "models.a.architecture.contextLength", "the vanilla m_A's ");
        DecoderLM model = initialisedAugmenting(manager);
        LOG.info("{}: m_A's architecture trained on {} ({})", VANILLA_PRETRAIN_JOB, train.id(),
                source == AblationsConfig.VanillaData.OTHER_KEYS ? "another key store, data seed " + data.seed() : "m_B's task");
        Map<String, Object> provenance = experiment.provenance(VANILLA_PRETRAIN_JOB, training);
        TrainingResult result = experiment.train(VANILLA_PRETRAIN_JOB, model, data.get(train), heldOut(data, List.of(held)),
                training, provenance, resume, manager);
        ModelFolder.save(model, Experiment.trainedHeads(result, training, manager),
                augmentingFolder(Ablation.VANILLA_AUGMENTING), KvExperiment.withResult(provenance, result));
        return result;
    }

    /**
     * Saves m_A's architecture at the initialisation m_A's pretraining starts from, with its
     * multi-token heads at theirs (zero) when m_A is pretrained with them.
     */
    public void saveRandomAugmenting(NDManager manager) throws IOException {
        DecoderLM model = initialisedAugmenting(manager);
        ModelFolder.save(model, untrainedHeads(manager), augmentingFolder(Ablation.RANDOM_AUGMENTING),
                experiment.provenance(RANDOM_INIT_JOB, config.models().a().training()));
    }

    /** @return m_A's multi-token heads as {@link calm.train.MultiTokenPrediction} initialises them: zero */
    private List<NDArray> untrainedHeads(NDManager manager) {
        int d = config.models().a().architecture().hiddenSize();
        List<NDArray> heads = new ArrayList<>();
        for (int k = 2; k <= config.models().a().training().predictTokens(); k++) {
            heads.add(manager.zeros(new Shape(d, d)));
        }
        return heads;
    }

    /**
     * Composes an ablation's augmenting model into the pretrained m_B with the config's composition
     * settings (encoder mode for {@link Ablation#ENCODER_AUGMENTING}), trains the connections on
     * D_C and saves the composition.
     */
    public TrainingResult compose(Ablation ablation, boolean resume, NDManager manager) throws IOException {
        Path augmentingAt = augmentingFolder(ablation);
        if (!Files.isRegularFile(augmentingAt.resolve(ModelFolder.CONFIG))) {
            throw new IllegalStateException("no augmenting model for the " + ablation.description() + " ablation in "
                    + augmentingAt);
        }
        // The vanilla m_A that is m_B was pretrained with m_B's settings; the others with m_A's.
        boolean anchorSettings = ablation == Ablation.VANILLA_AUGMENTING && anchorIsVanilla();
        Augmentation.Mode mode = ablation == Ablation.ENCODER_AUGMENTING ? Augmentation.Mode.ENCODER : config.composition().mode();
        Function<NDManager, ComposedModel> fresh = scope -> {
            try {
                DecoderLM augmentingModel = ModelFolder.load(augmentingAt, scope);
                if (!augmentingModel.config().equals(config.models().a().architecture())) {
                    throw new IllegalStateException(augmentingAt + " holds a model of architecture " + augmentingModel.config()
                            + ", not models.a.architecture " + config.models().a().architecture());
                }
                CompositionSource augmenting = experiment.reading(augmentingAt, augmentingModel,
                        (anchorSettings ? config.models().b() : config.models().a()).training().predictTokens(), scope);
                DecoderLM anchor = experiment.loadBase(ModelRole.B, scope);
                ComposedModel composed = config.composition().compose(anchor, augmenting, mode, config.training().seed(),
                        scope);
                LOG.info("{}: CALM with {}, {} trainable parameters", ablation.job(), ablation.description(),
                        String.format("%,d", composed.trainableParameterCount()));
                return composed;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        Map<String, Object> provenance = experiment.provenance(ablation.job(), config.training());
        Trained<ComposedModel> trained = experiment.trainOnComposition(ablation.job(), fresh, config.training(), provenance,
                resume, manager);
        CompositionFolder.save(trained.model(), compositionFolder(ablation), experiment.modelFolder(ModelRole.B),
                List.of(augmentingAt), trained.provenance(provenance));
        LOG.info("{}: saved the composition to {}", ablation.job(), compositionFolder(ablation));
        return trained.result();
    }

    /** m_A's architecture initialised as {@link KvExperiment#pretrain} initialises m_A. */
    private DecoderLM initialisedAugmenting(NDManager manager) {
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(config.models().a().training().seed(), 0));
        DecoderLM model = config.models().a().architecture().newModel();
        model.initialize(manager, DataType.FLOAT32);
        return model;
    }

    private static Map<String, List<KvExample>> heldOut(KvArithmeticDatasets data, List<KvSplit> splits) {
        Map<String, List<KvExample>> held = new LinkedHashMap<>();
        splits.forEach(split -> held.put(split.id(), data.get(split)));
        return held;
    }
}
