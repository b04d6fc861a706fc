package calm.train.config;

import calm.train.TrainingConfig;
import java.util.List;
import java.util.Objects;
import java.util.function.DoublePredicate;

/**
 * The training-free combinations a key-value experiment evaluates beside CALM: weight merges and an
 * output ensemble of two models fine-tuned from one base. Merging needs a shared base, which the
 * experiment's m_A and m_B are not, so these are models of their own:
 * <ol>
 *   <li>a base of m_B's architecture, pretrained on KV-Substitution and Numeric-Arithmetic mixed
 *       ({@code base});
 *   <li>two copies of it, one fine-tuned on KV-Substitution, one on Numeric-Arithmetic
 *       ({@code finetune}), the two skills CALM composes;
 *   <li>the copies merged by each of {@code methods} (with the base where the method needs one), and
 *       their next-token distributions averaged (the output ensemble).
 * </ol>
 * Each list of settings is a grid: every method takes the combination of the settings it reads
 * with the lowest loss on D_C's validation split (needs {@code data.sizes.compositionValidation});
 * with one value each there is nothing to choose.
 *
 * @param enabled whether the experiment trains and evaluates these systems
 * @param base the shared base's pretraining
 * @param finetune each copy's fine-tuning (every parameter)
 * @param methods the merge methods, by their names in {@code calm merge} configs
 * @param weights the weights of the KV-Substitution and the Numeric-Arithmetic copy (linear, the
 *     task-arithmetic family, the ensemble)
 * @param densities the share of each task vector kept (ties, dare_linear, dare_ties, breadcrumbs)
 * @param lambdas the scale of the merged task vector (task_arithmetic, ties, dare_*, breadcrumbs)
 * @param ts the interpolation point between the two copies (slerp)
 * @param gamma the share of largest entries breadcrumbs drops
 * @param seed the seed of DARE's random drops
 */
public record MergingConfig(boolean enabled, TrainingConfig base, TrainingConfig finetune, List<String> methods,
        List<Double> weights, List<Double> densities, List<Double> lambdas, List<Double> ts, double gamma, long seed) {

    /** Checks the fields. */
    public MergingConfig {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(finetune, "finetune");
        methods = List.copyOf(methods);
        weights = List.copyOf(weights);
        densities = List.copyOf(densities);
        lambdas = List.copyOf(lambdas);
        ts = List.copyOf(ts);
        if (methods.isEmpty() || methods.stream().distinct().count() != methods.size()) {
            throw new IllegalArgumentException("methods must name distinct merge methods, got " + methods);
        }
        if (weights.size() != 2 || weights.stream().anyMatch(w -> !(w >= 0)) || weights.get(0) + weights.get(1) <= 0) {
            throw new IllegalArgumentException("weights must be two non-negative numbers, not both 0 (the KV-Substitution "
                    + "and the Numeric-Arithmetic copy), got " + weights);
        }
        check("densities", densities, d -> d > 0 && d <= 1, "in (0, 1]");
        check("lambdas", lambdas, l -> l > 0 && l <= 10, "in (0, 10]");
        check("ts", ts, t -> t >= 0 && t <= 1, "in [0, 1]");
        if (!(gamma >= 0 && gamma < 1)) {
            throw new IllegalArgumentException("gamma must be in [0, 1), got " + gamma);
        }
    }

    /** The methods a default config merges by: every method for two fine-tuned models and their base. */
    public static final List<String> ALL_METHODS = List.of("linear", "slerp", "task_arithmetic", "ties", "dare_linear",
            "dare_ties", "breadcrumbs", "model_stock");

    /**
     * @param base the shared base's pretraining (m_B's, by default)
     * @return merging off; when turned on, every method with mergekit's usual settings
     */
    public static MergingConfig defaults(TrainingConfig base) {
        return new MergingConfig(false, base, base, ALL_METHODS, List.of(0.5, 0.5), List.of(0.5), List.of(1.0), List.of(0.5),
                0.01, 0);
    }

    private static void check(String name, List<Double> values, DoublePredicate valid, String range) {
        if (values.isEmpty() || values.stream().anyMatch(v -> v == null || !valid.test(v))) {
            throw new IllegalArgumentException(name + " must be a non-empty list of numbers " + range + ", got " + values);
        }
    }
}
