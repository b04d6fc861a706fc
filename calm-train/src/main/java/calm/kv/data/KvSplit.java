package calm.kv.data;

/**
 * The splits of the key-value arithmetic experiment. "D_C keys" are the composition keys of the
 * {@link KeySplit}; "other keys" are all the rest.
 */
public enum KvSplit {
    /** KV-Substitution over all keys, and {@link DatasetSizes#lookupTrain} KV-Lookup examples: m_A's training data. */
    TRAIN_KV_SUBSTITUTION("train-kv-substitution", KvTask.KV_SUBSTITUTION, true),
    /** Numeric-Arithmetic over [1, N]: m_B's training data. */
    TRAIN_NUMERIC_ARITHMETIC("train-numeric-arithmetic", KvTask.NUMERIC_ARITHMETIC, true),
    /** D_C: KV-Arithmetic whose keys are all D_C keys, and {@link DatasetSizes#compositionNumeric} Numeric-Arithmetic examples. */
    TRAIN_COMPOSITION("train-composition", KvTask.KV_ARITHMETIC, true),
    /** D_C in the scratchpad format: its expressions as scratchpads, and the same Numeric-Arithmetic examples. */
    TRAIN_COMPOSITION_SCRATCHPAD("train-composition-scratchpad", KvTask.KV_ARITHMETIC_SCRATCHPAD, true),
    /** Held-out KV-Substitution over all keys: how well m_A memorised the store. */
    /**
     * D_C's validation split: KV-Arithmetic over D_C keys, in neither D_C nor any evaluation split; a
     * grid search reads its loss, the evaluation never (written only when {@code sizes.compositionValidation} > 0).
     */
    VALIDATION_COMPOSITION("validation-composition", KvTask.KV_ARITHMETIC, false),
    EVAL_KV_SUBSTITUTION("eval-kv-substitution", KvTask.KV_SUBSTITUTION, false),
    /** Held-out Numeric-Arithmetic: how well m_B computes. */
    EVAL_NUMERIC_ARITHMETIC("eval-numeric-arithmetic", KvTask.NUMERIC_ARITHMETIC, false),
    /** Held-out KV-Arithmetic whose keys are all D_C keys (new expressions over seen keys). */
    EVAL_KV_ARITHMETIC_DC_KEYS("eval-kv-arithmetic-dc-keys", KvTask.KV_ARITHMETIC, false),
    /** Held-out KV-Arithmetic whose keys are all other keys: none of them occurs in D_C. */
    EVAL_KV_ARITHMETIC_OTHER_KEYS("eval-kv-arithmetic-other-keys", KvTask.KV_ARITHMETIC, false),
    /** Held-out KV-Arithmetic with at least one D_C key and at least one other key. */
    EVAL_KV_ARITHMETIC_MIXED_KEYS("eval-kv-arithmetic-mixed-keys", KvTask.KV_ARITHMETIC, false),
    /** {@link #EVAL_KV_ARITHMETIC_DC_KEYS}'s expressions in the scratchpad format. */
    EVAL_KV_ARITHMETIC_DC_KEYS_SCRATCHPAD("eval-kv-arithmetic-dc-keys-scratchpad",
            KvTask.KV_ARITHMETIC_SCRATCHPAD, false),
    /** {@link #EVAL_KV_ARITHMETIC_OTHER_KEYS}'s expressions in the scratchpad format. */
    EVAL_KV_ARITHMETIC_OTHER_KEYS_SCRATCHPAD("eval-kv-arithmetic-other-keys-scratchpad",
            KvTask.KV_ARITHMETIC_SCRATCHPAD, false),
    /** {@link #EVAL_KV_ARITHMETIC_MIXED_KEYS}'s expressions in the scratchpad format. */
    EVAL_KV_ARITHMETIC_MIXED_KEYS_SCRATCHPAD("eval-kv-arithmetic-mixed-keys-scratchpad",
            KvTask.KV_ARITHMETIC_SCRATCHPAD, false);

    private final String id;
    private final KvTask task;
    private final boolean training;

    KvSplit(String id, KvTask task, boolean training) {
        this.id = id;
        this.task = task;
        this.training = training;
    }

    /**
     * Returns the split's name in files and reports.
     *
     * @return e.g. {@code eval-kv-arithmetic-other-keys}
     */
    public String id() {
        return id;
    }

    /**
     * Returns the file the split is written to.
     *
     * @return {@code id() + ".jsonl"}
     */
    public String fileName() {
        return id + ".jsonl";
    }

    /**
     * Returns the task of every example in the split.
     *
     * @return the task
     */
    public KvTask task() {
        return task;
    }

    /**
     * Tells whether some model trains on this split; no evaluation expression occurs in one.
     *
     * @return true for training splits
     */
    public boolean training() {
        return training;
    }

    /**
     * Tells whether the split exists only when the scratchpad row is asked for.
     *
     * @return true for the scratchpad splits
     */
    public boolean scratchpad() {
        return task == KvTask.KV_ARITHMETIC_SCRATCHPAD;
    }
}
