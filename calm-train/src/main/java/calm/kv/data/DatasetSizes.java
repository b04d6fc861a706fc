package calm.kv.data;

/**
 * How many examples each split of the key-value arithmetic experiment has.
 *
 * @param substitutionTrain KV-Substitution examples to train m_A on
 * @param numericTrain Numeric-Arithmetic examples to train m_B on
 * @param compositionTrain KV-Arithmetic examples in D_C, to train the composition on
 * @param evalPerSplit examples in each evaluation split
 * @param compositionNumeric Numeric-Arithmetic examples added to D_C (none in the paper), so that
 *     training on it keeps the anchor's arithmetic; drawn from their own stream, never held out
 * @param lookupTrain KV-Lookup examples added to m_A's training set (none in the paper), so that m_A
 *     holds each key's value at the key's last letter, where a composition can read it; drawn from
 *     their own stream
 * @param compositionValidation KV-Arithmetic examples over D_C keys that neither D_C trains on nor
 *     any evaluation reads: D_C's validation split, from which a grid search ({@code selection})
 *     chooses each system's learning rate and number of updates; drawn last, from their own stream,
 *     so that no other split depends on it (0: none, and not written)
 */
public record DatasetSizes(int substitutionTrain, int numericTrain, int compositionTrain, int evalPerSplit,
        int compositionNumeric, int lookupTrain, int compositionValidation) {

    /** Upper bound on any one split. */
    public static final int MAX_SPLIT = 10_000_000;

    /**
     * Checks every size is in [0, {@value #MAX_SPLIT}], naming the one that is not.
     *
     * @param substitutionTrain KV-Substitution examples to train m_A on
     * @param numericTrain Numeric-Arithmetic examples to train m_B on
     * @param compositionTrain KV-Arithmetic examples in D_C, to train the composition on
     * @param evalPerSplit examples in each evaluation split
     * @param compositionNumeric Numeric-Arithmetic examples added to D_C
     * @param lookupTrain KV-Lookup examples added to m_A's training set
     * @param compositionValidation D_C's validation split
     */
    public DatasetSizes {
        check("substitutionTrain", substitutionTrain);
        check("numericTrain", numericTrain);
        check("compositionTrain", compositionTrain);
        check("evalPerSplit", evalPerSplit);
        check("compositionNumeric", compositionNumeric);
        check("lookupTrain", lookupTrain);
        check("compositionValidation", compositionValidation);
    }

    /** Sizes without a validation split of D_C. */
    public DatasetSizes(int substitutionTrain, int numericTrain, int compositionTrain, int evalPerSplit,
            int compositionNumeric, int lookupTrain) {
        this(substitutionTrain, numericTrain, compositionTrain, evalPerSplit, compositionNumeric, lookupTrain, 0);
    }

    /**
     * Sizes with no Numeric-Arithmetic in D_C and no KV-Lookup for m_A, as in the paper.
     *
     * @param substitutionTrain KV-Substitution examples to train m_A on
     * @param numericTrain Numeric-Arithmetic examples to train m_B on
     * @param compositionTrain KV-Arithmetic examples in D_C
     * @param evalPerSplit examples in each evaluation split
     */
    public DatasetSizes(int substitutionTrain, int numericTrain, int compositionTrain, int evalPerSplit) {
        this(substitutionTrain, numericTrain, compositionTrain, evalPerSplit, 0, 0, 0);
    }

    /**
     * Returns sizes for CPU-scale runs: 20,000 for each pretraining set, 2,000 in D_C, 500 per
     * evaluation split, no Numeric-Arithmetic in D_C, no KV-Lookup.
     *
     * @return the default sizes
     */
    public static DatasetSizes defaults() {
        return new DatasetSizes(20_000, 20_000, 2_000, 500);
    }

    private static void check(String field, int size) {
        if (size < 0 || size > MAX_SPLIT) {
            throw new IllegalArgumentException(field + " must be in [0, " + MAX_SPLIT + "], got " + size);
        }
    }
}
