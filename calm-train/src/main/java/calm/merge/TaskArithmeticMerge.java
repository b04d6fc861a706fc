package calm.merge;

import calm.merge.MergeMethod.Sparsification;
import java.io.IOException;

/**
 * The task-arithmetic family (task_arithmetic, ties, dare_linear, dare_ties, breadcrumbs,
 * breadcrumbs_ties), as mergekit's generalised task arithmetic computes it. With base theta_0,
 * models theta_i, weights w_i and lambda:
 * <ol>
 *   <li>task vectors delta_i = theta_i - theta_0, each sparsified ({@link Sparsifier}) and weighted:
 *       tau_i = w_i * sparsify(delta_i);
 *   <li>with sign consensus (the *_ties methods), per entry: the elected sign is that of sum_i tau_i
 *       (+ when the sum is 0), and only the tau_i of that sign take part (TIES' disjoint merge);
 *   <li>tau = sum of the taking-part tau_i; with normalize, divided by the sum of their w_i (by 1
 *       where none takes part, or where the weights sum to less than 1e-8 in magnitude);
 *   <li>theta = theta_0 + lambda * tau.
 * </ol>
 */
final class TaskArithmeticMerge implements TensorMerge {

    private final Sparsification sparsification;
    private final boolean signConsensus;

    TaskArithmeticMerge(Sparsification sparsification, boolean signConsensus) {
        this.sparsification = sparsification;
        this.signConsensus = signConsensus;
    }

    @Override
    public void merge(MergeInputs inputs, FloatSink out) throws IOException {
        int n = inputs.models().size();
        long size = inputs.size();
        int block = (int) Math.min(inputs.chunk(), Math.max(1, size));
        double[] weights = new double[n];
        Sparsifier.Pass[] passes = new Sparsifier.Pass[n];
        for (int i = 0; i < n; i++) {
            weights[i] = inputs.number(i, "weight");
            FloatSource delta = new DeltaSource(inputs.models().get(i), inputs.base());
            double density = inputs.modelParameters().get(i).containsKey("density") ? inputs.number(i, "density") : 1;
            double gamma = inputs.modelParameters().get(i).containsKey("gamma") ? inputs.number(i, "gamma") : 0;
            boolean rescale = inputs.parameters().containsKey("rescale") && inputs.flag("rescale");
            String norm = (String) inputs.parameters().getOrDefault("rescale_norm", "density");
            long seed = Sparsifier.mix(inputs.seed() + 0x632BE59BD9B4E019L * (i + 1));
            passes[i] = Sparsifier.of(sparsification, delta, density, gamma, seed, rescale, norm, inputs.chunk()).pass();
        }
        boolean normalize = inputs.flag("normalize");
        double lambda = inputs.number("lambda");
        float[] base = new float[block];
        float[][] tau = new float[n][block];
        float[] result = new float[block];
        for (long first = 0; first < size; first += block) {
            int count = (int) Math.min(block, size - first);
            inputs.base().read(first, base, count);
            for (int i = 0; i < n; i++) {
                inputs.models().get(i).read(first, tau[i], count);
                for (int j = 0; j < count; j++) {
                    tau[i][j] -= base[j];
                }
                passes[i].apply(first, tau[i], count);
                for (int j = 0; j < count; j++) {
                    tau[i][j] = (float) (weights[i] * tau[i][j]);
                }
            }
            for (int j = 0; j < count; j++) {
                double mixed = 0;
                double divisor = 0;
                if (signConsensus) {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += tau[i][j];
                    }
                    float elected = sum >= 0 ? 1f : -1f;
                    for (int i = 0; i < n; i++) {
                        if (Math.signum(tau[i][j]) == elected) {
                            mixed += tau[i][j];
                            divisor += weights[i];
                        }
                    }
                    if (divisor == 0) {
                        divisor = 1;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        mixed += tau[i][j];
                        divisor += weights[i];
                    }
                    if (Math.abs(divisor) < 1e-8) {
                        divisor = 1;
                    }
                }
                if (normalize) {
                    mixed /= divisor;
                }
                result[j] = (float) (base[j] + lambda * mixed);
            }
            out.write(result, count);
        }
    }
}
