package calm.eval.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The mean over groups (languages, say) of a metric computed within each group: a macro average.
 * It is an {@link IndexedMetric} over the groups' examples laid end to end, so that the bootstrap
 * resamples sentences across every group at once, and a paired comparison of two systems resamples
 * the same sentences for both. A resample that draws no example of a group averages over the groups
 * it drew (with g groups of n examples each, a group is missed with probability about e^-n).
 */
public final class MacroAverage implements IndexedMetric {

    private final List<IndexedMetric> groups;
    private final int[] groupOf;
    private final int[] indexInGroup;

    /** @param groups each group's metric, in the order its examples are laid out */
    public MacroAverage(List<IndexedMetric> groups) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("a macro average needs at least one group");
        }
        this.groups = List.copyOf(groups);
        int size = groups.stream().mapToInt(IndexedMetric::size).sum();
        groupOf = new int[size];
        indexInGroup = new int[size];
        int at = 0;
        for (int g = 0; g < groups.size(); g++) {
            for (int i = 0; i < groups.get(g).size(); i++) {
                groupOf[at] = g;
                indexInGroup[at] = i;
                at++;
            }
        }
    }

    @Override
    public int size() {
        return groupOf.length;
    }

    @Override
    public double score(int[] exampleIndices) {
        List<List<Integer>> drawn = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            drawn.add(new ArrayList<>());
        }
        for (int index : exampleIndices) {
            drawn.get(groupOf[index]).add(indexInGroup[index]);
        }
        double sum = 0;
        int present = 0;
        for (int g = 0; g < groups.size(); g++) {
            List<Integer> indices = drawn.get(g);
            if (!indices.isEmpty()) {
                sum += groups.get(g).score(indices.stream().mapToInt(Integer::intValue).toArray());
                present++;
            }
        }
        return sum / present;
    }
}
