package calm.eval.kv;

import ai.djl.ndarray.NDManager;
import calm.eval.run.EvalSystem;
import calm.eval.run.SavedSystems;
import calm.eval.task.EvalTask;
import calm.kv.CalmRow;
import calm.kv.KvExperiment;
import calm.train.TrainingLoop;
import calm.train.config.CompositionConfig;
import calm.train.config.ExperimentConfig;
import calm.train.experiment.Ablation;
import calm.train.experiment.ModelRole;
import calm.train.io.CompositionFolder;
import java.io.IOException;
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
    public static final String M_A = SavedSystems.M_A;
    /** The anchor alone. */
    public static final String M_B = SavedSystems.M_B;
    /** The composition. */
    public static final String CALM = SavedSystems.CALM;
    /** The composition reading m_A's predictions, beside the paper's reading ({@code variants.layerOutputs}). */
    public static final String CALM_PREDICTIONS = "CALM, predictions";
    /** The paper's reading trained beside one that reads predictions ({@code variants.layerOutputs}). */
    public static final String CALM_LAYER_OUTPUTS = "CALM, layer outputs";
    /** The same composition trained on D_C in the scratchpad format. */
    public static final String CALM_SCRATCHPAD = "CALM (scratchpad)";
    /** The anchor fine-tuned on D_C. */
    public static final String FINETUNED = SavedSystems.FINETUNED;
    /** LoRA on the anchor. */
    public static final String LORA = SavedSystems.LORA;

    private KvSystems() {}

    /**
     * @return the name of the composition the config trains: {@link #CALM_PREDICTIONS} beside the
     *     paper's reading ({@code variants.layerOutputs}), else {@link #CALM}
     */
    public static String calm(ExperimentConfig config) {
        return config.variants().layerOutputs() ? CALM_PREDICTIONS : CALM;
    }

    /**
     * @return the report name of a CALM row: the reading's ({@link #calm}, {@link #CALM_LAYER_OUTPUTS}),
     *     with its seed when it is not {@code training.seed}, e.g. {@code CALM, predictions (seed 4)}
     */
    public static String name(CalmRow row, ExperimentConfig config) {
        return (row.layerOutputs() ? CALM_LAYER_OUTPUTS : calm(config)) + (row.primary() ? "" : " (seed " + row.seed() + ")");
    }

    /** @return the id of a CALM row's outputs folder, e.g. {@code calm-layers-seed4} */
    static String id(CalmRow row) {
        return row.job().replaceFirst("^compose", "calm");
    }

    /** @return the report name of an ablation's system, e.g. {@code CALM (random m_A)} */
    public static String name(Ablation ablation) {
        return SavedSystems.name(ablation);
    }

    /**
     * Loads every system.
     *
     * @param warn told of each enabled baseline or ablation that has not been trained
     * @throws IllegalStateException when m_A, m_B or the composition has not been trained
     */
    public static List<EvalSystem> load(KvExperiment experiment, NDManager manager, Consumer<String> warn) throws IOException {
        List<EvalSystem> systems = new ArrayList<>();
        for (ModelRole role : ModelRole.values()) {
            systems.add(SavedSystems.base(experiment, role, stages(experiment, KvExperiment.pretrainJob(role)), manager));
        }
        ExperimentConfig config = experiment.config().config();
        for (CalmRow row : experiment.calmRows()) {
            String role = row.layerOutputs() ? "CALM reading m_A's layer outputs (the paper's reading)"
                    : config.composition().reads() == CompositionConfig.Reads.PREDICTIONS
                            ? "CALM reading m_A's predictions (not the paper's reading)" : "CALM";
            EvalSystem system = SavedSystems.composition(experiment, row.job(), id(row), name(row, config),
                    role + (row.primary() ? "" : ", seed " + row.seed()), manager);
            // A further seed adds to its row's mean; its training curve would only repeat the row's.
            systems.add(row.primary() ? system : system.withoutLogs());
        }
        Path scratchpad = experiment.scratchpadCompositionFolder();
        if (experiment.dataConfig().scratchpad()
                && SavedSystems.present(scratchpad.resolve(CompositionFolder.SPEC), CALM_SCRATCHPAD, warn)) {
            systems.add(SavedSystems.composition(experiment, KvExperiment.COMPOSE_SCRATCHPAD_JOB, "calm-scratchpad",
                    CALM_SCRATCHPAD, "CALM, scratchpad format", manager));
        }
        SavedSystems.finetuned(experiment, manager, warn).ifPresent(systems::add);
        SavedSystems.lora(experiment, manager, warn).ifPresent(systems::add);
        systems.addAll(SavedSystems.ablations(experiment, manager, warn));
        systems.addAll(KvMergingSystems.load(experiment, manager, warn));
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

    /** A base model's logs: its first stage's, then its prefix stage's (read only where it exists). */
    private static List<Path> stages(KvExperiment experiment, String job) {
        Path folder = experiment.jobFolder(job);
        return List.of(folder.resolve(TrainingLoop.METRICS), folder.resolve(KvExperiment.PREFIX_STAGE).resolve(TrainingLoop.METRICS));
    }

}
