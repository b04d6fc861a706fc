package calm.train.experiment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import calm.compose.CompositionSource;
import calm.compose.LayerOutputs;
import calm.data.Vocabulary;
import calm.io.ModelFolder;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import calm.train.TrainingConfig;
import calm.train.TrainingResult;
import calm.train.checkpoint.Checkpoint;
import calm.train.config.AblationsConfig;
import calm.train.config.CompositionConfig;
import calm.train.config.LoadedConfig;
import calm.train.config.ModelSpec;
import calm.train.config.ModelsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One experiment from one config ({@link ExperimentKind#open}): its data, its two base models, its
 * composition and the systems trained beside it, as a graph of jobs. Everything goes under the
 * config's output folder; the layout below is shared by every kind, which may add folders of its own:
 * <pre>
 *   data/                  the datasets
 *   model-a/, model-b/     the pretrained base models
 *   composition/           the trained composition
 *   model-b-finetuned/     the fine-tuning baseline
 *   train/JOB/             each job's metrics.jsonl and checkpoints/
 * </pre>
 */
public interface Experiment {

    /** The job training the composition. */
    String COMPOSE_JOB = "compose";
    /** The job fine-tuning the anchor on D_C. */
    String FINETUNE_JOB = "finetune-b";
    /** The job training LoRA adapters on the anchor on D_C. */
    String LORA_JOB = "lora-b";

    /** @return the name of the job pretraining a base model, e.g. {@code pretrain-a} */
    static String pretrainJob(ModelRole role) {
        return "pretrain-" + role.key();
    }

    /** @return the config */
    LoadedConfig config();

    /** @return the folder every result goes to */
    default Path output() {
        return Path.of(config().config().output());
    }

    /** @return a job's folder: metrics and checkpoints */
    default Path jobFolder(String job) {
        return output().resolve("train").resolve(job);
    }

    /** @return where a pretrained base model is saved */
    default Path modelFolder(ModelRole role) {
        return output().resolve("model-" + role.key());
    }

    /** @return where the composition of a composition job is saved ({@link #COMPOSE_JOB} or a variant) */
    default Path compositionFolder(String job) {
        return output().resolve(job.replaceFirst("^compose", "composition"));
    }

    /** @return where the fine-tuned anchor is saved */
    default Path finetunedFolder() {
        return output().resolve("model-b-finetuned");
    }

    /** @return where the LoRA baseline is saved */
    default Path loraFolder() {
        return output().resolve("lora-b");
    }

    /** @return where an ablation's composition is saved */
    default Path compositionFolder(Ablation ablation) {
        return output().resolve(ablation.folder());
    }

    /** @return whether m_B itself is the vanilla m_A ({@code ablations.vanillaData: ANCHOR}), which no job pretrains */
    default boolean anchorIsVanilla() {
        return config().config().ablations().vanillaData() == AblationsConfig.VanillaData.ANCHOR;
    }

    /** @return where an ablation's augmenting model is saved (m_B's folder for a vanilla m_A that is m_B) */
    default Path augmentingFolder(Ablation ablation) {
        if (ablation == Ablation.VANILLA_AUGMENTING && anchorIsVanilla()) {
            return modelFolder(ModelRole.B);
        }
        return output().resolve(ablation.augmentingFolder());
    }

    /** @return a base model's section of the config */
    default ModelSpec spec(ModelRole role) {
        ModelsConfig models = config().config().models();
        return role == ModelRole.A ? models.a() : models.b();
    }

    /**
     * Loads a pretrained base model.
     *
     * @throws IllegalStateException when it has not been trained, or was trained with another
     *     architecture than the config's
     */
    default DecoderLM loadBase(ModelRole role, NDManager manager) throws IOException {
        Path folder = modelFolder(role);
        if (!Files.isRegularFile(folder.resolve(ModelFolder.CONFIG))) {
            throw new IllegalStateException("no " + role.paperName() + " in " + folder + ": run `calm pretrain "
                    + config().source() + " --model " + role.key() + "` first");
        }
        DecoderLM model = ModelFolder.load(folder, manager);
        GptConfig expected = spec(role).architecture();
        if (!model.config().equals(expected)) {
            throw new IllegalStateException(folder + " holds a model of architecture " + model.config()
                    + ", but models." + role.key() + ".architecture of " + config().source() + " is " + expected
                    + ": pretrain it again");
        }
        return model;
    }

    /**
     * @param result a finished pretraining job
     * @param training its settings
     * @return the multi-token heads it trained with the model, from its newest checkpoint (written
     *     at its last update); none when it trained the next token only
     */
    static List<NDArray> trainedHeads(TrainingResult result, TrainingConfig training, NDManager manager) throws IOException {
        if (training.predictTokens() == 1) {
            return List.of();
        }
        return ModelFolder.readHeads(result.checkpoint().resolve(Checkpoint.PARAMETERS), manager);
    }

    /** @return the heads file a model pretrained with these settings is saved with, if any */
    static List<Path> heads(Path modelFolder, ModelSpec spec) {
        return spec.training().predictTokens() > 1 ? List.of(modelFolder.resolve(ModelFolder.HEADS)) : List.of();
    }

    /** @return the provenance with the job's steps and last evaluation added, for the saved model */
    static Map<String, Object> withResult(Map<String, Object> provenance, TrainingResult result) {
        Map<String, Object> saved = new LinkedHashMap<>(provenance);
        saved.put("steps", result.steps());
        saved.put("evaluation", result.evaluation());
        return saved;
    }

    /**
     * Builds the data (written to {@code output/data}) and runs every check the config's jobs need,
     * so that a config error surfaces before anything trains.
     *
     * @throws calm.train.config.ConfigException naming the field to change
     */
    void prepare() throws IOException;

    /** @return the jobs the config asks for, in an order that runs every input before its user */
    List<Job> jobs();

    /**
     * Pretrains a base model from scratch and saves it to {@link #modelFolder}.
     *
     * @param resume continue from the job's newest checkpoints
     */
    TrainingResult pretrain(ModelRole role, boolean resume, NDManager manager) throws IOException;

    /**
     * Composes the pretrained m_A into the pretrained m_B, trains the connections on D_C and saves
     * the composition to {@link #compositionFolder}.
     *
     * @param job {@link #COMPOSE_JOB}, or a variant the kind names among its {@link #jobs()}
     * @throws calm.train.config.ConfigException when the kind has no such composition or the config disables it
     */
    TrainingResult compose(String job, boolean resume, NDManager manager) throws IOException;

    /**
     * Checks that the config trains a composition job, before anything runs.
     *
     * @throws calm.train.config.ConfigException naming the field that would enable it
     * @throws IllegalArgumentException when the kind has no such job at all
     */
    default void checkComposition(String job) {
        if (jobs().stream().noneMatch(listed -> listed.name().equals(job))) {
            throw new IllegalArgumentException("a " + config().config().experiment() + " experiment has no composition job '"
                    + job + "'");
        }
    }

    /** Fine-tunes every parameter of the pretrained m_B on D_C (the paper's baseline) and saves it. */
    TrainingResult finetune(boolean resume, NDManager manager) throws IOException;

    /** @return builds the pretrained m_B with every parameter trainable, on a manager: what fine-tuning on D_C starts from */
    default Function<NDManager, DecoderLM> anchorToFineTune() {
        return scope -> {
            try {
                DecoderLM anchor = loadBase(ModelRole.B, scope);
                anchor.freezeParameters(false);
                return anchor;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** @return the tokenizer every model of the experiment reads */
    Vocabulary vocabulary();

    /**
     * An augmenting model as the config's composition reads it ({@link CompositionConfig#reading}):
     * its layer outputs, or with {@code composition.reads: PREDICTIONS} through what it predicts, with the
     * multi-token heads saved beside it ({@link ModelFolder#HEADS}).
     *
     * @param folder where the model is saved
     * @param model the model loaded from it
     * @param predictTokens the tokens it was pretrained to predict: with k > 1 its folder must hold k - 1 heads
     * @throws IllegalStateException when the folder lacks the heads or holds another number of them
     */
    default CompositionSource reading(Path folder, DecoderLM model, int predictTokens, NDManager manager) throws IOException {
        return reading(config().config().composition(), folder, model, predictTokens, manager);
    }

    /** The same, as another composition config reads the model (a further CALM row's, {@code variants}). */
    default CompositionSource reading(CompositionConfig composition, Path folder, DecoderLM model, int predictTokens,
            NDManager manager) throws IOException {
        if (composition.reads() == CompositionConfig.Reads.STATES) {
            return new LayerOutputs(model);
        }
        Path file = folder.resolve(ModelFolder.HEADS);
        List<NDArray> heads = Files.isRegularFile(file) ? ModelFolder.readHeads(file, manager) : List.of();
        if (heads.size() != predictTokens - 1) {
            throw new IllegalStateException(folder + " holds " + (heads.isEmpty() ? "no " + ModelFolder.HEADS
                    : heads.size() + " heads in " + ModelFolder.HEADS) + ", but the model was pretrained with predictTokens "
                    + predictTokens + " and composition.reads PREDICTIONS reads its " + (predictTokens - 1) + " heads: "
                    + "save it again with them (`calm run " + config().source() + "` does for a model saved without them; "
                    + "for m_A alone, `calm pretrain " + config().source() + " --model a`)");
        }
        return composition.reading(model, heads, vocabulary());
    }
}
