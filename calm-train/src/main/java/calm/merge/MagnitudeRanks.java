package calm.merge;

import java.io.IOException;

/**
 * Finds which entries of a tensor lie in a window of magnitude ranks without sorting it or holding
 * it: entries are ranked by |x| ascending, ties by position, and the value at a rank is found by a
 * radix selection over the bits of |x| (two passes of 2^15 and 2^16 counters; for non-negative
 * floats, bit order is value order). {@link #keeper} then tells, one entry after another in order,
 * whether each is inside the window.
 */
final class MagnitudeRanks {

    /**
     * The entry at a rank.
     *
     * @param bits the raw bits of its |x|
     * @param below how many entries have a smaller |x|
     */
    record Cutoff(int bits, long below) {}

    private MagnitudeRanks() {}

    /**
     * @param rank an ascending rank, 0 to size - 1
     * @return the magnitude at that rank and how many entries lie below it
     */
    static Cutoff select(FloatSource source, long rank, int chunk) throws IOException {
        long size = source.size();
        if (rank < 0 || rank >= size) {
            throw new IllegalArgumentException("rank " + rank + " outside [0, " + size + ")");
        }
        int block = (int) Math.min(chunk, size);
        float[] values = new float[block];
        long[] high = new long[1 << 15];
        for (long first = 0; first < size; first += block) {
            int count = (int) Math.min(block, size - first);
            source.read(first, values, count);
            for (int j = 0; j < count; j++) {
                high[magnitudeBits(values[j]) >>> 16]++;
            }
        }
        long below = 0;
        int bucket = 0;
        while (below + high[bucket] <= rank) {
            below += high[bucket++];
        }
        long[] low = new long[1 << 16];
        for (long first = 0; first < size; first += block) {
            int count = (int) Math.min(block, size - first);
            source.read(first, values, count);
            for (int j = 0; j < count; j++) {
                int bits = magnitudeBits(values[j]);
                if (bits >>> 16 == bucket) {
                    low[bits & 0xFFFF]++;
                }
            }
        }
        int lowBits = 0;
        while (below + low[lowBits] <= rank) {
            below += low[lowBits++];
        }
        return new Cutoff((bucket << 16) | lowBits, below);
    }

    /** @return the bits of |x|: sign cleared, so that larger magnitudes have larger bits */
    static int magnitudeBits(float x) {
        return Float.floatToRawIntBits(x) & 0x7FFFFFFF;
    }

    /**
     * @param from the first rank kept; null keeps from rank 0
     * @param to the cutoff at the first rank no longer kept; null keeps to the last
     * @return a test that must see every entry once, in order
     */
    static Keeper keeper(Cutoff from, long fromRank, Cutoff to, long toRank) {
        return new Keeper(from, fromRank, to, toRank);
    }

    /** Tells, entry after entry in order, whether each one's rank is in [fromRank, toRank). */
    static final class Keeper {
        private final Cutoff from;
        private final long fromRank;
        private final Cutoff to;
        private final long toRank;
        private long equalFrom;
        private long equalTo;

        private Keeper(Cutoff from, long fromRank, Cutoff to, long toRank) {
            this.from = from;
            this.fromRank = fromRank;
            this.to = to;
            this.toRank = toRank;
        }

        /** @return whether the next entry, of value x, is kept */
        boolean keep(float x) {
            int bits = magnitudeBits(x);
            boolean atLeastFrom = true;
            if (from != null) {
                if (bits < from.bits()) {
                    atLeastFrom = false;
                } else if (bits == from.bits()) {
                    // Among equal magnitudes, the earlier entries have the lower ranks.
                    atLeastFrom = from.below() + equalFrom >= fromRank;
                    equalFrom++;
                }
            }
            boolean belowTo = true;
            if (to != null) {
                if (bits > to.bits()) {
                    belowTo = false;
                } else if (bits == to.bits()) {
                    belowTo = to.below() + equalTo < toRank;
                    equalTo++;
                }
            }
            return atLeastFrom && belowTo;
        }
    }
}
