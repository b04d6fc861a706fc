package calm.eval.kv;

import calm.eval.run.EvalSystem;

import ai.djl.ndarray.NDManager;
import calm.compose.Augmentation;
import calm.compose.ComposedModel;
import calm.eval.task.EvalTask;
import calm.eval.kv.KvTasks;
import calm.io.ModelFolder;
import calm.model.DecoderLM;
import calm.train.TrainingLoop;
import calm.train.config.ExperimentConfig;
import calm.train.experiment.Ablation;
import calm.kv.KvBaselines;
import calm.kv.KvExperiment;
import calm.train.experiment.ModelRole;
import calm.train.io.CompositionFolder;
import calm.train.lora.LoraFolder;
import calm.train.lora.LoraModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The saved systems of a key-value arithmetic experiment, loaded for evaluation: m_A, m_B and CALM
 * (required), then each baseline and ablation the config enables and the output folder holds.
 */
public final class KvSystems {

    /** The augmenting model alone. */
    public static final String M_A = "m_A";
    /** The anchor alone. */
    public static final String M_B = "m_B";
    /** The composition. */
    public static final String CALM = "CALM";
    /** The same composition trained on D_C in the scratchpad format. */
    public static final String CALM_SCRATCHPAD = "CALM (scratchpad)";
    /** The anchor fine-tuned on D_C. */
    public static final String FINETUNED = "m_B fine-tuned";
    /** LoRA on the anchor. */
    public static final String LORA = "LoRA on m_B";

    private KvSystems() {}

    /** @return the report name of an ablation's system, e.g. {@code CALM (random m_A)} */
    public static String name(Ablation ablation) {
        return CALM + " (" + ablation.description() + ")";
    }

    /**
     * Loads every system.
     *
     * @param warn told of each enabled baseline or ablation that has not been trained
     * @throws IllegalStateException when m_A, m_B or the composition has not been trained
     */
    public static List<EvalSystem> load(KvExperiment experiment, NDManager manager, Consumer<String> warn) throws IOException {
        ExperimentConfig config = experiment.config().config();
        KvBaselines baselines = new KvBaselines(experiment);
        String source = experiment.config().source();
        List<EvalSystem> systems = new ArrayList<>();
        for (ModelRole role : ModelRole.values()) {
            Path folder = experiment.modelFolder(role);
            require(folder.resolve(ModelFolder.CONFIG), role.paperName(), "calm pretrain " + source + " --model " + role.key());
            DecoderLM model = ModelFolder.load(folder, manager);
            String name = role == ModelRole.A ? M_A : M_B;
            systems.add(new EvalSystem("m-" + role.key(), name, name, model, model.parameterCount(), 0, "",
                    stages(experiment, KvExperiment.pretrainJob(role))));
        }
        require(experiment.compositionFolder().resolve(CompositionFolder.SPEC), "composition", "calm compose " + source);
        systems.add(EvalSystem.composed("calm", CALM, "CALM", CompositionFolder.load(experiment.compositionFolder(), null, manager),
                metrics(experiment, KvExperiment.COMPOSE_JOB)));
        Path scratchpad = experiment.scratchpadCompositionFolder();
        if (experiment.dataConfig().scratchpad() && present(scratchpad.resolve(CompositionFolder.SPEC), CALM_SCRATCHPAD, warn)) {
            systems.add(EvalSystem.composed("calm-scratchpad", CALM_SCRATCHPAD, "CALM, scratchpad format",
                    CompositionFolder.load(scratchpad, null, manager), metrics(experiment, KvExperiment.COMPOSE_SCRATCHPAD_JOB)));
        }
        if (config.baselines().finetune()) {
            Path folder = experiment.finetunedFolder();
            if (present(folder.resolve(ModelFolder.CONFIG), FINETUNED, warn)) {
                DecoderLM model = ModelFolder.load(folder, manager);
                systems.add(new EvalSystem("finetune-b", FINETUNED, "fine-tuned anchor", model, model.parameterCount(),
                        model.parameterCount(), "every parameter of m_B", metrics(experiment, KvExperiment.FINETUNE_JOB)));
            }
        }
        if (config.baselines().lora() && present(baselines.loraFolder().resolve(LoraFolder.SPEC), LORA, warn)) {
            LoraModel lora = LoraFolder.load(baselines.loraFolder(), manager);
            systems.add(new EvalSystem("lora-b", LORA, "LoRA", lora, lora.base().parameterCount() + lora.trainableParameterCount(),
                    lora.trainableParameterCount(), lora.trainableParameterFormula(), metrics(experiment, KvBaselines.LORA_JOB)));
        }
        for (Ablation ablation : enabled(config)) {
            Path folder = baselines.compositionFolder(ablation);
            if (present(folder.resolve(CompositionFolder.SPEC), name(ablation), warn)) {
                systems.add(EvalSystem.composed(ablation.job().replaceFirst("^compose", "calm"), name(ablation),
                        "ablation: " + ablation.description(), CompositionFolder.load(folder, null, manager),
                        metrics(experiment, ablation.job())));
            }
        }
        return systems;
    }

    /**
     * Which tasks a system answers: m_A and m_B every task; the scratchpad composition the
     * scratchpad rows and Numeric-Arithmetic (whether the anchor kept its skill); every other
     * system, trained on the paper's format, the paper's tasks.
     */
    public static boolean answers(EvalSystem system, EvalTask task) {
        if (system.name().equals(M_A) || system.name().equals(M_B)) {
            return true;
        }
        if (system.name().equals(CALM_SCRATCHPAD)) {
            return KvTasks.scratchpad(task) || task == KvTasks.NUMERIC_ARITHMETIC;
        }
        return !KvTasks.scratchpad(task);
    }

    /** @return the ablations the config enables, in report order */
    public static List<Ablation> enabled(ExperimentConfig config) {
        return Ablation.enabled(config.ablations());
    }


    private static List<Path> metrics(KvExperiment experiment, String job) {
        return List.of(experiment.jobFolder(job).resolve(TrainingLoop.METRICS));
    }

    /** A base model's logs: its first stage's, then its prefix stage's (read only where it exists). */
    private static List<Path> stages(KvExperiment experiment, String job) {
        Path folder = experiment.jobFolder(job);
        return List.of(folder.resolve(TrainingLoop.METRICS), folder.resolve(KvExperiment.PREFIX_STAGE).resolve(TrainingLoop.METRICS));
    }

    private static void require(Path file, String what, String command) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + what + " in " + file.getParent() + ": run `" + command
                    + "` (or `calm run`) first");
        }
    }

    private static boolean present(Path file, String what, Consumer<String> warn) {
        if (Files.isRegularFile(file)) {
            return true;
        }
        warn.accept(what + " is enabled in the config but has not been trained (no " + file + "); `calm run` trains it");
        return false;
    }
}
