package calm.train;

import java.util.SplittableRandom;

/**
 * The order in which training examples are read: epoch after epoch, each a permutation drawn from
 * the seed and the epoch number alone. Example k of the stream is therefore a function of (seed,
 * k), so a resumed job needs only the number of updates made to continue the same order.
 */
public final class DataOrder {

    private final int size;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] permutation;

    /**
     * @param size the number of examples (> 0)
     * @param seed the training seed
     */
    public DataOrder(int size, long seed) {
        if (size <= 0) {
            throw new IllegalArgumentException("there are no training examples");
        }
        this.size = size;
        this.seed = seed;
    }

    /**
     * @param position the index into the endless stream of examples, from 0
     * @param count how many consecutive entries to return
     * @return the example indices at positions [position, position + count)
     */
    public int[] indices(long position, int count) {
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            long at = position + i;
            indices[i] = permutation(at / size)[(int) (at % size)];
        }
        return indices;
    }

    /** @return the shuffled example indices of one epoch */
    public int[] permutation(long epoch) {
        if (epoch != cachedEpoch) {
            SplittableRandom random = new SplittableRandom(Seeds.derive(seed, "data-order", epoch));
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            permutation = order;
            cachedEpoch = epoch;
        }
        return permutation;
    }
}
