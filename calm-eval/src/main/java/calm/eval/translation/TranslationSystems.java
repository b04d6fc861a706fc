package calm.eval.translation;

import ai.djl.ndarray.NDManager;
import calm.eval.run.EvalSystem;
import calm.io.ModelFolder;
import calm.model.DecoderLM;
import calm.train.TrainingLoop;
import calm.train.config.ExperimentConfig;
import calm.train.experiment.Ablation;
import calm.train.experiment.Experiment;
import calm.train.experiment.ModelRole;
import calm.train.io.CompositionFolder;
import calm.train.lora.LoraFolder;
import calm.train.lora.LoraModel;
import calm.translation.TranslationBaselines;
import calm.translation.TranslationExperiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The saved systems of a translation experiment, loaded for evaluation: m_A, m_B and CALM
 * (required), then each baseline and ablation the config enables and the output folder holds.
 */
public final class TranslationSystems {

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

    private TranslationSystems() {}

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
    public static List<EvalSystem> load(TranslationExperiment experiment, NDManager manager, Consumer<String> warn)
            throws IOException {
        ExperimentConfig config = experiment.config().config();
        TranslationBaselines baselines = new TranslationBaselines(experiment);
        String source = experiment.config().source();
        List<EvalSystem> systems = new ArrayList<>();
        for (ModelRole role : ModelRole.values()) {
            Path folder = experiment.modelFolder(role);
            require(folder.resolve(ModelFolder.CONFIG), role.paperName(), "calm pretrain " + source + " --model " + role.key());
            DecoderLM model = ModelFolder.load(folder, manager);
            String name = role == ModelRole.A ? M_A : M_B;
            systems.add(new EvalSystem("m-" + role.key(), name, name, model, model.parameterCount(), 0, "",
                    metrics(experiment, Experiment.pretrainJob(role))));
        }
        Path composition = experiment.compositionFolder(Experiment.COMPOSE_JOB);
        require(composition.resolve(CompositionFolder.SPEC), "composition", "calm compose " + source);
        systems.add(EvalSystem.composed("calm", CALM, "CALM", CompositionFolder.load(composition, null, manager),
                metrics(experiment, Experiment.COMPOSE_JOB)));
        if (config.baselines().finetune() && present(experiment.finetunedFolder().resolve(ModelFolder.CONFIG), FINETUNED, warn)) {
            DecoderLM model = ModelFolder.load(experiment.finetunedFolder(), manager);
            systems.add(new EvalSystem("finetune-b", FINETUNED, "fine-tuned anchor", model, model.parameterCount(),
                    model.parameterCount(), "every parameter of m_B", metrics(experiment, Experiment.FINETUNE_JOB)));
        }
        if (config.baselines().lora() && present(baselines.loraFolder().resolve(LoraFolder.SPEC), LORA, warn)) {
            LoraModel lora = LoraFolder.load(baselines.loraFolder(), manager);
            systems.add(new EvalSystem("lora-b", LORA, "LoRA", lora, lora.base().parameterCount() + lora.trainableParameterCount(),
                    lora.trainableParameterCount(), lora.trainableParameterFormula(),
                    metrics(experiment, TranslationBaselines.LORA_JOB)));
        }
        for (Ablation ablation : Ablation.enabled(config.ablations())) {
            Path folder = baselines.compositionFolder(ablation);
            if (present(folder.resolve(CompositionFolder.SPEC), name(ablation), warn)) {
                systems.add(EvalSystem.composed(ablation.job().replaceFirst("^compose", "calm"), name(ablation),
                        "ablation: " + ablation.description(), CompositionFolder.load(folder, null, manager),
                        metrics(experiment, ablation.job())));
            }
        }
        return systems;
    }

    private static List<Path> metrics(Experiment experiment, String job) {
        return List.of(experiment.jobFolder(job).resolve(TrainingLoop.METRICS));
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
