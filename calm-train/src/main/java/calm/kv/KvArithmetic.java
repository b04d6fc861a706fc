package calm.kv;

import calm.data.CharVocabulary;
import calm.data.Vocabulary;
import calm.merge.MergeMethod;
import calm.train.config.ExperimentConfig;
import calm.train.config.LoadedConfig;
import calm.train.config.MergingConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.ExperimentData;
import calm.train.experiment.ExperimentKind;
import calm.train.experiment.ExperimentKinds;
import java.util.List;

/**
 * The key-value arithmetic experiment (the paper's section 4.1) as a kind of experiment:
 * {@code experiment: kv-arithmetic}, the default of a config that names none.
 */
public final class KvArithmetic implements ExperimentKind {

    /** The config's name for it. */
    public static final String NAME = ExperimentKinds.DEFAULT;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "key-value arithmetic, the paper's section 4.1";
    }

    @Override
    public Vocabulary vocabulary() {
        return CharVocabulary.standard();
    }

    @Override
    public Class<? extends ExperimentData> dataType() {
        return KvDataConfig.class;
    }

    @Override
    public ExperimentConfig defaults(String configName) {
        return ExperimentConfig.defaults(configName, NAME, KvDataConfig.defaults(), CharVocabulary.standard().size());
    }

    /**
     * A grid ({@code selection}, or several settings in {@code merging}) needs D_C's validation
     * split, whose loss it reads; merging names methods {@code calm merge} has, each of which
     * combines two fine-tuned copies.
     */
    @Override
    public void validate(LoadedConfig loaded) {
        int validation = ((KvDataConfig) loaded.config().data()).settings().sizes().compositionValidation();
        if (loaded.config().selection().searches() && validation == 0) {
            throw loaded.error("data.sizes.compositionValidation", "must be at least 1 with a grid (selection): the grid "
                    + "chooses by the loss on D_C's validation split, which this many examples make; got 0");
        }
        MergingConfig merging = loaded.config().merging();
        if (!merging.enabled()) {
            return;
        }
        for (String method : merging.methods()) {
            if (MergeMethod.named(method) == null || method.equals("passthrough")) {
                List<String> supported = MergeMethod.names().stream().filter(name -> !name.equals("passthrough")).toList();
                throw loaded.error("merging.methods", "\"" + method + "\" is not a method that merges two fine-tuned models; "
                        + "supported: " + String.join(", ", supported));
            }
        }
        boolean grid = merging.densities().size() > 1 || merging.lambdas().size() > 1 || merging.ts().size() > 1;
        if (grid && validation == 0) {
            throw loaded.error("data.sizes.compositionValidation", "must be at least 1 when merging lists several settings: "
                    + "each method takes those with the lowest loss on D_C's validation split; got 0");
        }
    }

    /** @return true: merges and an ensemble of two copies of one base, fine-tuned on each task */
    @Override
    public boolean trainsMerges() {
        return true;
    }

    /** @return true: the paper's reading beside the shipped one, and more seeds */
    @Override
    public boolean trainsVariants() {
        return true;
    }

    @Override
    public Experiment open(LoadedConfig loaded) {
        return new KvExperiment(loaded);
    }
}
