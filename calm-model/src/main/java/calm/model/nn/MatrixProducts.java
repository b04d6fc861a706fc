package calm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The matrix products a piece of work performs, recorded as it runs, and their floor: the same
 * products at the same shapes, timed back to back with nothing else. Every product of the models
 * goes through {@link #linear} or {@link #batched}, which note it while a recording is open
 * ({@link #record}); outside a recording they cost one field read.
 *
 * <p>A product A B with A [m, k] and B [k, n] (a batch of {@code batch} such) costs 2 m k n FLOPs.
 * Inside a training step (the engine's gradient mode on), the backward pass adds dB = A^T dY when B
 * is a trained weight, and dA = dY B^T when A depends on one, each as many FLOPs again. Whether a
 * weight is trained the engine says; whether an activation depends on one it does not (its flag
 * reads false for every computed array), so the recording takes every activation after the first
 * use of a trained parameter in the step ({@link #uses}: an embedding, a norm's gain, a product's
 * weight) as depending on one. The models run in the order their data flows (a composition's
 * augmenting models and connections when the anchor first reads them), so this is exact for a
 * decoder trained whole and for the anchor's layers of a composition; it counts one product too
 * many per composition, the gradient of the lowest connection's queries with respect to the
 * anchor's state, which needs none.
 */
public final class MatrixProducts {

    /**
     * One batch of products A B.
     *
     * @param batch how many
     * @param m rows of A
     * @param k columns of A, rows of B
     * @param n columns of B
     */
    public record Product(long batch, long m, long k, long n) {
        /** @return 2 batch m k n */
        public double flops() {
            return 2.0 * batch * m * k * n;
        }
    }

    private static volatile List<Product> recording;
    private static boolean trainedSoFar;

    private MatrixProducts() {}

    /**
     * Runs the work and returns the products it performed, the backward pass's included.
     *
     * @param work one forward pass, or one training step (forward, backward, update)
     */
    public static synchronized List<Product> record(Runnable work) {
        List<Product> products = new ArrayList<>();
        trainedSoFar = false;
        recording = products;
        try {
            work.run();
        } finally {
            recording = null;
        }
        return List.copyOf(products);
    }

    /** Notes x W^T (torch.nn.Linear's layout: W is [out, in]) over the last axis of x. */
    public static void linear(NDArray x, NDArray weight) {
        List<Product> products = recording;
        if (products == null) {
            return;
        }
        Shape shape = x.getShape();
        long in = shape.get(shape.dimension() - 1);
        long rows = shape.size() / in;
        boolean gradients = JniUtils.isGradMode();
        boolean trainedWeight = gradients && weight.hasGradient();
        note(products, 1, rows, in, weight.getShape().get(0), gradients && trainedSoFar, trainedWeight);
        trainedSoFar |= trainedWeight;
    }

    /** Notes that a parameter is read outside a product (an embedding table, a norm's gain). */
    public static void uses(NDArray parameter) {
        if (recording != null && JniUtils.isGradMode() && parameter.hasGradient()) {
            trainedSoFar = true;
        }
    }

    /** Notes a batched a b, a [..., m, k] and b [..., k, n] with the same leading axes. */
    public static void batched(NDArray a, NDArray b) {
        List<Product> products = recording;
        if (products == null) {
            return;
        }
        Shape shape = a.getShape();
        int d = shape.dimension();
        long m = shape.get(d - 2);
        long k = shape.get(d - 1);
        long n = b.getShape().get(b.getShape().dimension() - 1);
        boolean flows = JniUtils.isGradMode() && trainedSoFar;
        note(products, shape.size() / (m * k), m, k, n, flows, flows);
    }

    private static synchronized void note(List<Product> products, long batch, long m, long k, long n, boolean aGrad,
            boolean bGrad) {
        products.add(new Product(batch, m, k, n));
        if (aGrad) {
            products.add(new Product(batch, m, n, k));
        }
        if (bGrad) {
            products.add(new Product(batch, k, m, n));
        }
    }

    /** @return the FLOPs of the products */
    public static double flops(List<Product> products) {
        return products.stream().mapToDouble(Product::flops).sum();
    }

    /**
     * Times the products back to back on random operands made once per shape.
     *
     * @param repeats timed runs after 2 warm-up runs
     * @return the median wall time of one run over all the products, in milliseconds
     */
    public static double floorMillis(List<Product> products, int repeats, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            Map<Product, NDArray[]> operands = new HashMap<>();
            for (Product product : products) {
                operands.computeIfAbsent(product, s -> new NDArray[] {
                    scope.randomNormal(s.batch() == 1 ? new Shape(s.m(), s.k()) : new Shape(s.batch(), s.m(), s.k())),
                    scope.randomNormal(s.batch() == 1 ? new Shape(s.k(), s.n()) : new Shape(s.batch(), s.k(), s.n()))
                });
            }
            double[] times = new double[repeats];
            for (int run = -2; run < repeats; run++) {
                long start = System.nanoTime();
                for (Product product : products) {
                    NDArray[] pair = operands.get(product);
                    try (NDArray result = pair[0].matMul(pair[1])) {
                        result.getShape();
                    }
                }
                // One read back, so that the timing waits for the last product as a step's loss does.
                operands.get(products.get(products.size() - 1))[0].getFloat(0, 0);
                if (run >= 0) {
                    times[run] = (System.nanoTime() - start) / 1e6;
                }
            }
            Arrays.sort(times);
            return times[repeats / 2];
        }
    }
}
