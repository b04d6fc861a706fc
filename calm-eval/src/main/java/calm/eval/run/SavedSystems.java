package calm.eval.run;

import ai.djl.ndarray.NDManager;
import calm.io.ModelFolder;
import calm.model.DecoderLM;
import calm.train.TrainingLoop;
import calm.train.experiment.Ablation;
import calm.train.experiment.Experiment;
import calm.train.experiment.ModelRole;
import calm.train.io.CompositionFolder;
import calm.train.lora.LoraFolder;
import calm.train.lora.LoraModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The saved systems every experiment has, loaded for evaluation from {@link Experiment}'s layout:
 * the base models, the composition, the fine-tuned anchor, LoRA and the ablations' compositions.
 * An experiment's evaluation picks the ones it reports and adds its own.
 */
public final class SavedSystems {

    /** The augmenting model alone. */
    public static final String M_A = "m_A";
    /** The anchor alone. */
    public static final String M_B = "m_B";
    /** The composition. */
    public static final String CALM = "CALM";
    /** The anchor fine-tuned on D_C. */
    public static final String FINETUNED = "m_B fine-tuned";
    /** LoRA on the anchor. */
    public static final String LORA = "LoRA on m_B";

    private SavedSystems() {}

    /** @return the report name of an ablation's system, e.g. {@code CALM (random m_A)} */
    public static String name(Ablation ablation) {
        return CALM + " (" + ablation.description() + ")";
    }

    /**
     * @param logs the metrics logs of its pretraining, one per stage
     * @throws IllegalStateException when it has not been trained
     */
    public static EvalSystem base(Experiment experiment, ModelRole role, List<Path> logs, NDManager manager)
            throws IOException {
        Path folder = experiment.modelFolder(role);
        require(folder.resolve(ModelFolder.CONFIG), role.paperName(), "calm pretrain " + experiment.config().source()
                + " --model " + role.key());
        DecoderLM model = ModelFolder.load(folder, manager);
        String name = role == ModelRole.A ? M_A : M_B;
        return new EvalSystem("m-" + role.key(), name, name, model, model.parameterCount(), 0, "", logs);
    }

    /**
     * @param job the composition's job ({@link Experiment#COMPOSE_JOB} or a variant)
     * @param id, name, role as {@link EvalSystem} has them
     * @throws IllegalStateException when it has not been trained
     */
    public static EvalSystem composition(Experiment experiment, String job, String id, String name, String role,
            NDManager manager) throws IOException {
        Path folder = experiment.compositionFolder(job);
        require(folder.resolve(CompositionFolder.SPEC), "composition", "calm compose " + experiment.config().source());
        return EvalSystem.composed(id, name, role, CompositionFolder.load(folder, null, manager), metrics(experiment, job));
    }

    /** @return the fine-tuned anchor, when the config enables it and it is saved */
    public static Optional<EvalSystem> finetuned(Experiment experiment, NDManager manager, Consumer<String> warn)
            throws IOException {
        Path folder = experiment.finetunedFolder();
        if (!experiment.config().config().baselines().finetune() || !present(folder.resolve(ModelFolder.CONFIG), FINETUNED, warn)) {
            return Optional.empty();
        }
        DecoderLM model = ModelFolder.load(folder, manager);
        return Optional.of(new EvalSystem("finetune-b", FINETUNED, "fine-tuned anchor", model, model.parameterCount(),
                model.parameterCount(), "every parameter of m_B", metrics(experiment, Experiment.FINETUNE_JOB)));
    }

    /** @return LoRA on the anchor, when the config enables it and it is saved */
    public static Optional<EvalSystem> lora(Experiment experiment, NDManager manager, Consumer<String> warn)
            throws IOException {
        Path folder = experiment.loraFolder();
        if (!experiment.config().config().baselines().lora() || !present(folder.resolve(LoraFolder.SPEC), LORA, warn)) {
            return Optional.empty();
        }
        LoraModel lora = LoraFolder.load(folder, manager);
        return Optional.of(new EvalSystem("lora-b", LORA, "LoRA", lora, lora.base().parameterCount()
                + lora.trainableParameterCount(), lora.trainableParameterCount(), lora.trainableParameterFormula(),
                metrics(experiment, Experiment.LORA_JOB)));
    }

    /**
     * Every system of an experiment whose jobs are {@link calm.train.experiment.TextPairExperiment}'s:
     * m_A, m_B and CALM (required), then each baseline and ablation the config enables and the
     * output folder holds.
     *
     * @param warn told of each enabled baseline or ablation that has not been trained
     * @throws IllegalStateException when m_A, m_B or the composition has not been trained
     */
    public static List<EvalSystem> all(Experiment experiment, NDManager manager, Consumer<String> warn) throws IOException {
        List<EvalSystem> systems = new java.util.ArrayList<>();
        for (ModelRole role : ModelRole.values()) {
            systems.add(base(experiment, role, metrics(experiment, Experiment.pretrainJob(role)), manager));
        }
        systems.add(composition(experiment, Experiment.COMPOSE_JOB, "calm", CALM, "CALM", manager));
        finetuned(experiment, manager, warn).ifPresent(systems::add);
        lora(experiment, manager, warn).ifPresent(systems::add);
        systems.addAll(ablations(experiment, manager, warn));
        return systems;
    }

    /** @return each ablation the config enables and the output folder holds, in report order */
    public static List<EvalSystem> ablations(Experiment experiment, NDManager manager, Consumer<String> warn)
            throws IOException {
        List<EvalSystem> systems = new java.util.ArrayList<>();
        for (Ablation ablation : Ablation.enabled(experiment.config().config().ablations())) {
            Path folder = experiment.compositionFolder(ablation);
            if (present(folder.resolve(CompositionFolder.SPEC), name(ablation), warn)) {
                systems.add(EvalSystem.composed(ablation.job().replaceFirst("^compose", "calm"), name(ablation),
                        "ablation: " + ablation.description(), CompositionFolder.load(folder, null, manager),
                        metrics(experiment, ablation.job())));
            }
        }
        return systems;
    }

    /**
     * @param file the file a saved system must have
     * @param what the system, e.g. {@code m_A}
     * @param command the command that trains it
     * @throws IllegalStateException naming the folder and the command when the file is missing
     */
    public static void require(Path file, String what, String command) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + what + " in " + file.getParent() + ": run `" + command
                    + "` (or `calm run`) first");
        }
    }

    /**
     * @param file the file an enabled baseline or ablation has once trained
     * @param warn told when it is missing
     * @return whether it is there
     */
    public static boolean present(Path file, String what, Consumer<String> warn) {
        if (Files.isRegularFile(file)) {
            return true;
        }
        warn.accept(what + " is enabled in the config but has not been trained (no " + file + "); `calm run` trains it");
        return false;
    }

    /** @return the metrics log of one of the experiment's jobs */
    public static List<Path> metrics(Experiment experiment, String job) {
        return List.of(experiment.jobFolder(job).resolve(TrainingLoop.METRICS));
    }
}
