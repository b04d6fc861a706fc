package calm.merge;

import calm.merge.ParameterDef.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The merge methods {@code calm merge} implements, under mergekit's names and with its parameters
 * and defaults. docs/merging.md gives each one's formula; the papers:
 * <ul>
 *   <li>linear: model soups, arXiv 2203.05482;
 *   <li>slerp: spherical linear interpolation (Shoemake 1985), as mergekit applies it to whole tensors;
 *   <li>task_arithmetic: arXiv 2212.04089;
 *   <li>ties: TIES-Merging, arXiv 2306.01708;
 *   <li>dare_linear, dare_ties: DARE, arXiv 2311.03099;
 *   <li>breadcrumbs, breadcrumbs_ties: Model Breadcrumbs, arXiv 2312.06795;
 *   <li>model_stock: Model Stock, arXiv 2403.19522;
 *   <li>passthrough: copies tensors, for stacking layers of models (slices).
 * </ul>
 */
public enum MergeMethod {

    /** Weighted mean of the models. */
    LINEAR("linear", BaseUse.NONE, Sparsification.NONE, false,
            ParameterDef.optional("normalize", Kind.BOOLEAN, true, false),
            ParameterDef.required("weight", Kind.NUMBER, true)),
    /** Spherical interpolation between the base model (t = 0) and one other (t = 1). */
    SLERP("slerp", BaseUse.REQUIRED, Sparsification.NONE, false,
            ParameterDef.required("t", Kind.NUMBER, false)),
    /** Base plus lambda times the weighted sum of the task vectors (model - base). */
    TASK_ARITHMETIC("task_arithmetic", BaseUse.REQUIRED, Sparsification.NONE, false,
            ParameterDef.optional("normalize", Kind.BOOLEAN, false, false),
            ParameterDef.optional("lambda", Kind.NUMBER, 1.0, false),
            ParameterDef.required("weight", Kind.NUMBER, true)),
    /** Trim each task vector to its largest entries, elect a sign per entry, average those that agree. */
    TIES("ties", BaseUse.REQUIRED, Sparsification.MAGNITUDE, true, withRescale(true, false)),
    /** Drop task-vector entries at random, rescale the rest, sum. */
    DARE_LINEAR("dare_linear", BaseUse.REQUIRED, Sparsification.RANDOM, false, withRescale(false, true)),
    /** Drop task-vector entries at random, rescale the rest, elect signs as TIES does. */
    DARE_TIES("dare_ties", BaseUse.REQUIRED, Sparsification.RANDOM, true, withRescale(false, true)),
    /** Drop the largest (gamma) and the smallest task-vector entries, sum. */
    BREADCRUMBS("breadcrumbs", BaseUse.REQUIRED, Sparsification.OUTLIERS, false, withRescale(false, false)),
    /** Breadcrumbs' sparsification with TIES' sign election. */
    BREADCRUMBS_TIES("breadcrumbs_ties", BaseUse.REQUIRED, Sparsification.OUTLIERS, true, withRescale(false, false)),
    /** Interpolates the models' mean toward the base by a ratio found from the angle between their task vectors. */
    MODEL_STOCK("model_stock", BaseUse.REQUIRED, Sparsification.NONE, false,
            ParameterDef.optional("filter_wise", Kind.BOOLEAN, false, false)),
    /** Copies one model's tensors (optionally scaled): stacks layers of models with slices. */
    PASSTHROUGH("passthrough", BaseUse.NONE, Sparsification.NONE, false,
            ParameterDef.optional("scale", Kind.NUMBER, 1.0, true));

    /** Whether a method needs a base model. */
    enum BaseUse {
        /** The base model's tensors are the origin of every task vector. */
        REQUIRED,
        /** No base: every listed model takes part alike. */
        NONE
    }

    /** How a method drops entries of each task vector before combining them. */
    enum Sparsification {
        /** Nothing is dropped. */
        NONE,
        /** Keep the density share of entries with the largest magnitude (TIES' trim). */
        MAGNITUDE,
        /** Keep each entry with probability density (DARE). */
        RANDOM,
        /** Drop the gamma share of largest entries, then the smallest, to keep the density share (breadcrumbs). */
        OUTLIERS
    }

    private final String configName;
    private final BaseUse base;
    private final Sparsification sparsification;
    private final boolean signConsensus;
    private final List<ParameterDef> parameters;

    MergeMethod(String configName, BaseUse base, Sparsification sparsification, boolean signConsensus, ParameterDef... parameters) {
        this.configName = configName;
        this.base = base;
        this.sparsification = sparsification;
        this.signConsensus = signConsensus;
        this.parameters = List.of(parameters);
    }

    /** The parameters of the task-arithmetic family with their normalize and rescale defaults. */
    private static ParameterDef[] withRescale(boolean normalize, boolean rescale) {
        ParameterDef[] common = {
            ParameterDef.optional("normalize", Kind.BOOLEAN, normalize, false),
            ParameterDef.optional("lambda", Kind.NUMBER, 1.0, false),
            ParameterDef.optional("rescale", Kind.BOOLEAN, rescale, false),
            ParameterDef.optional("rescale_norm", Kind.RESCALE_NORM, "density", false),
            ParameterDef.required("weight", Kind.NUMBER, true),
            ParameterDef.optional("density", Kind.FRACTION, 1.0, true),
        };
        return common;
    }

    /** @return the name a config writes, e.g. {@code dare_ties} */
    public String configName() {
        return configName;
    }

    /** @return the method a config names, or null */
    public static MergeMethod named(String name) {
        return Arrays.stream(values()).filter(m -> m.configName.equals(name)).findFirst().orElse(null);
    }

    /** @return every name a config may write */
    public static List<String> names() {
        return Arrays.stream(values()).map(MergeMethod::configName).toList();
    }

    /** @return whether the method needs base_model */
    public boolean needsBase() {
        return base == BaseUse.REQUIRED;
    }

    Sparsification sparsification() {
        return sparsification;
    }

    boolean signConsensus() {
        return signConsensus;
    }

    /** @return every parameter, the breadcrumbs' gamma included */
    List<ParameterDef> parameters() {
        if (sparsification == Sparsification.OUTLIERS) {
            return Stream.concat(parameters.stream(), Stream.of(ParameterDef.optional("gamma", Kind.SHARE, 0.01, true))).toList();
        }
        return parameters;
    }

    /** @return whether the method reads a parameter of that name (weight, density, t, lambda, ...) */
    public boolean reads(String parameter) {
        return parameter(parameter) != null;
    }

    /** @return the named parameter, or null when the method has none of that name */
    ParameterDef parameter(String name) {
        return parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** @return the names of its parameters, per model or for the whole merge */
    List<String> parameterNames(boolean perModel) {
        return parameters().stream().filter(p -> p.perModel() == perModel).map(ParameterDef::name).toList();
    }

    /** @return the code that merges one tensor by this method */
    TensorMerge tensorMerge() {
        return switch (this) {
            case LINEAR -> new LinearMerge();
            case SLERP -> new SlerpMerge();
            case MODEL_STOCK -> new ModelStockMerge();
            case PASSTHROUGH -> new PassthroughMerge();
            default -> new TaskArithmeticMerge(sparsification, signConsensus);
        };
    }
}
