package calm.merge;

import calm.merge.MergeMethod.Sparsification;
import java.io.IOException;

/**
 * Drops entries of one task vector and rescales the rest, the first step of TIES, DARE and
 * breadcrumbs. With n entries and density d (nothing is dropped when d = 1):
 * <ul>
 *   <li>magnitude (TIES' trim): keep the floor(d n) entries of largest |delta|;
 *   <li>random (DARE): keep each entry with probability d, independently; the draw for entry j is a
 *       hash of (seed, j), so it does not depend on how the tensor is split into blocks;
 *   <li>outliers (breadcrumbs): drop the floor(gamma n) entries of largest |delta| and then the
 *       smallest, keeping floor(d n) (fewer large ones are dropped when d + gamma exceeds 1).
 * </ul>
 * Ties in magnitude are broken by position: the earlier entry ranks lower.
 *
 * <p>With rescale, the kept entries are multiplied by 1/d (rescale_norm: density, what the DARE
 * paper does, which keeps each entry's expected value), or by sum |delta| / sum |kept| (rescale_norm:
 * l1, what mergekit does today, which keeps the vector's L1 norm). Both leave the vector as it was
 * when either sum is below 1e-7, as mergekit does.
 */
final class Sparsifier {

    private static final double L1_EPSILON = 1e-7;

    private final Sparsification kind;
    private final double density;
    private final long seed;
    private final MagnitudeRanks.Cutoff from;
    private final long fromRank;
    private final MagnitudeRanks.Cutoff to;
    private final long toRank;
    private final double scale;

    private Sparsifier(Sparsification kind, double density, long seed, MagnitudeRanks.Cutoff from, long fromRank,
            MagnitudeRanks.Cutoff to, long toRank, double scale) {
        this.kind = kind;
        this.density = density;
        this.seed = seed;
        this.from = from;
        this.fromRank = fromRank;
        this.to = to;
        this.toRank = toRank;
        this.scale = scale;
    }

    /**
     * Reads the task vector as often as the kind needs (twice per magnitude cutoff, once more for
     * an L1 rescale) and returns what drops its entries.
     *
     * @param rescale whether to rescale the kept entries
     * @param rescaleNorm "density" or "l1"
     */
    static Sparsifier of(Sparsification kind, FloatSource delta, double density, double gamma, long seed,
            boolean rescale, String rescaleNorm, int chunk) throws IOException {
        if (kind == Sparsification.NONE || density >= 1) {
            return new Sparsifier(Sparsification.NONE, 1, seed, null, 0, null, 0, 1);
        }
        long n = delta.size();
        long fromRank = 0;
        long toRank = n;
        if (kind == Sparsification.MAGNITUDE) {
            fromRank = n - (long) Math.floor(density * n);
        } else if (kind == Sparsification.OUTLIERS) {
            long kept = (long) Math.floor(density * n);
            long top = (long) Math.floor(gamma * n);
            long bottom = n - kept - top;
            if (bottom < 0) {
                top += bottom;
                bottom = 0;
            }
            fromRank = bottom;
            toRank = n - top;
        }
        MagnitudeRanks.Cutoff from = fromRank > 0 && fromRank < n ? MagnitudeRanks.select(delta, fromRank, chunk) : null;
        MagnitudeRanks.Cutoff to = toRank < n && toRank > 0 ? MagnitudeRanks.select(delta, toRank, chunk) : null;
        if (fromRank >= toRank) {
            // Nothing kept: an empty window.
            from = null;
            to = new MagnitudeRanks.Cutoff(-1, 0);
            toRank = 0;
        }
        Sparsifier unscaled = new Sparsifier(kind, density, seed, from, fromRank, to, toRank, 1);
        if (!rescale) {
            return unscaled;
        }
        double scale = rescaleNorm.equals("l1") ? unscaled.l1Scale(delta, chunk) : 1 / density;
        return new Sparsifier(kind, density, seed, from, fromRank, to, toRank, scale);
    }

    /** @return a pass that drops and rescales the entries of one read of the vector, block after block in order */
    Pass pass() {
        return new Pass();
    }

    /** sum |delta| / sum |kept delta|, or 1 when either is below 1e-7. */
    private double l1Scale(FloatSource delta, int chunk) throws IOException {
        long n = delta.size();
        int block = (int) Math.min(chunk, Math.max(1, n));
        float[] values = new float[block];
        double before = 0;
        double after = 0;
        Pass pass = pass();
        for (long first = 0; first < n; first += block) {
            int count = (int) Math.min(block, n - first);
            delta.read(first, values, count);
            for (int j = 0; j < count; j++) {
                before += Math.abs(values[j]);
            }
            pass.apply(first, values, count);
            for (int j = 0; j < count; j++) {
                after += Math.abs(values[j]);
            }
        }
        return before < L1_EPSILON || after < L1_EPSILON ? 1 : before / after;
    }

    /** One read of the vector, in order. */
    final class Pass {
        private final MagnitudeRanks.Keeper keeper = kind == Sparsification.MAGNITUDE || kind == Sparsification.OUTLIERS
                ? MagnitudeRanks.keeper(from, fromRank, to, toRank) : null;

        /** Zeroes the dropped entries of values[0 .. count), which hold entries first .. first + count - 1, and scales the rest. */
        void apply(long first, float[] values, int count) {
            if (kind == Sparsification.NONE) {
                return;
            }
            for (int j = 0; j < count; j++) {
                boolean keep = keeper != null ? keeper.keep(values[j]) : uniform(seed, first + j) < density;
                values[j] = keep ? (float) (values[j] * scale) : 0f;
            }
        }
    }

    /** @return a uniform draw in [0, 1) for entry j: SplitMix64's finaliser of the seed and the position */
    static double uniform(long seed, long j) {
        return (mix(seed + j * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser: a bijection on 64 bits that spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
