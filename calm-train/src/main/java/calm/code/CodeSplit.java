package calm.code;

import java.util.Arrays;

/** The splits of the code experiment, each written to {@code <id>.jsonl}. */
public enum CodeSplit {
    /** m_A's pretraining: every method of the training libraries, with its Javadoc's first sentence. */
    PRETRAIN_A("pretrain-a", true),
    /** m_B's pretraining: English prose; no code. */
    PRETRAIN_B("pretrain-b", true),
    /** Held-out prose passages that m_B's pretraining is watched on. */
    EVAL_B("eval-b", false),
    /** D_C: a share of m_A's documented methods as (documentation, code) pairs in both directions. */
    TRAIN_COMPOSITION("train-composition", true),
    /** Further methods of m_A's corpus as pairs in both directions: D_C's validation split, never evaluated. */
    VALIDATION_COMPOSITION("validation-composition", true),
    /** The held-out library: a method's Javadoc, signature and first lines, then its next line. */
    EVAL_COMPLETION("eval-completion", false),
    /** The held-out library: a method's Javadoc first sentence and signature, then its body. */
    EVAL_TEXT_TO_CODE("eval-text-to-code", false),
    /** The held-out library: a method, then its Javadoc's first sentence. */
    EVAL_CODE_TO_TEXT("eval-code-to-text", false);

    private final String id;
    private final boolean training;

    CodeSplit(String id, boolean training) {
        this.id = id;
        this.training = training;
    }

    /** @return the split's name in files and configs, such as {@code train-composition} */
    public String id() {
        return id;
    }

    /** @return whether a model sees this split while it is trained or selected */
    public boolean training() {
        return training;
    }

    /** @return the split's file in a dataset folder */
    public String fileName() {
        return id + ".jsonl";
    }

    /**
     * @param id a split's id
     * @return the split
     * @throws IllegalArgumentException naming the known ids if there is no such split
     */
    public static CodeSplit fromId(String id) {
        return Arrays.stream(values()).filter(split -> split.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no code split '" + id + "'; known: "
                        + Arrays.stream(values()).map(CodeSplit::id).toList()));
    }
}
