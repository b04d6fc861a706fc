package calm.eval.translation;

import ai.djl.ndarray.NDManager;
import calm.eval.run.EvalSystem;
import calm.eval.run.SavedSystems;
import calm.train.experiment.Ablation;
import calm.translation.TranslationExperiment;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The saved systems of a translation experiment, loaded for evaluation: m_A, m_B and CALM
 * (required), then each baseline and ablation the config enables and the output folder holds.
 */
public final class TranslationSystems {

    /** The augmenting model alone. */
    public static final String M_A = SavedSystems.M_A;
    /** The anchor alone. */
    public static final String M_B = SavedSystems.M_B;
    /** The composition. */
    public static final String CALM = SavedSystems.CALM;
    /** The anchor fine-tuned on D_C. */
    public static final String FINETUNED = SavedSystems.FINETUNED;
    /** LoRA on the anchor. */
    public static final String LORA = SavedSystems.LORA;

    private TranslationSystems() {}

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
    public static List<EvalSystem> load(TranslationExperiment experiment, NDManager manager, Consumer<String> warn)
            throws IOException {
        return SavedSystems.all(experiment, manager, warn);
    }
}
