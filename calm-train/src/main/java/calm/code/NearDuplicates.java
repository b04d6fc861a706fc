package calm.code;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds, for a held-out method, the training method most like it: the Jaccard similarity of their
 * bodies' sets of token 5-grams (Java tokens as JavaParser reads them, white space and comments left
 * out; a body of fewer than five tokens is one shingle). Candidates come from an index of shingles,
 * so a query costs what its shingles' postings cost.
 */
public final class NearDuplicates {

    /** Tokens per shingle. */
    public static final int SHINGLE = 5;

    /**
     * The closest training method and how close it is.
     *
     * @param method the training method
     * @param jaccard their similarity, in [0, 1]
     */
    public record Match(JavaMethod method, double jaccard) {}

    private final List<JavaMethod> training;
    private final List<Set<String>> shingles = new ArrayList<>();
    private final Map<String, List<Integer>> postings = new HashMap<>();

    /** @param training the methods every training split is made of */
    public NearDuplicates(List<JavaMethod> training) {
        this.training = List.copyOf(training);
        for (int i = 0; i < this.training.size(); i++) {
            Set<String> set = shingles(this.training.get(i).tokens());
            shingles.add(set);
            for (String shingle : set) {
                postings.computeIfAbsent(shingle, key -> new ArrayList<>()).add(i);
            }
        }
    }

    /** @return the shingles of a token sequence */
    public static Set<String> shingles(List<String> tokens) {
        Set<String> set = new HashSet<>();
        if (tokens.size() <= SHINGLE) {
            set.add(String.join("\u0001", tokens));
            return set;
        }
        for (int i = 0; i + SHINGLE <= tokens.size(); i++) {
            set.add(String.join("\u0001", tokens.subList(i, i + SHINGLE)));
        }
        return set;
    }

    /** @return the Jaccard similarity of two sets */
    public static double jaccard(Set<String> a, Set<String> b) {
        int shared = 0;
        for (String shingle : a) {
            if (b.contains(shingle)) {
                shared++;
            }
        }
        return a.isEmpty() && b.isEmpty() ? 1 : (double) shared / (a.size() + b.size() - shared);
    }

    /**
     * @param method a held-out method
     * @return the training method with the highest similarity to it, or null when none shares a shingle
     */
    public Match closest(JavaMethod method) {
        Set<String> query = shingles(method.tokens());
        Map<Integer, Integer> shared = new HashMap<>();
        for (String shingle : query) {
            for (int index : postings.getOrDefault(shingle, List.of())) {
                shared.merge(index, 1, Integer::sum);
            }
        }
        Match best = null;
        for (Map.Entry<Integer, Integer> candidate : shared.entrySet()) {
            int common = candidate.getValue();
            double jaccard = (double) common / (query.size() + shingles.get(candidate.getKey()).size() - common);
            if (best == null || jaccard > best.jaccard()) {
                best = new Match(training.get(candidate.getKey()), jaccard);
            }
        }
        return best;
    }
}
