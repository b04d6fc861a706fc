package calm.translation;

import java.util.Arrays;

/** The splits of the translation experiment, each written to {@code <id>.jsonl}. */
public enum TranslationSplit {
    /** m_A's pretraining: every language's text and its pairs to English, held-out articles excepted. */
    PRETRAIN_A("pretrain-a", true),
    /** m_B's pretraining: English prose, English UDHR paragraphs and Spanish-English verse pairs. */
    PRETRAIN_B("pretrain-b", true),
    /** Held-out Spanish-English verse pairs: m_B's own translation skill. */
    EVAL_B("eval-b", false),
    /** D_C: pairs of the composition languages, neither held-out nor validation articles. */
    TRAIN_COMPOSITION("train-composition", true),
    /** Pairs of the composition languages' validation articles, for choosing the composition checkpoint. */
    VALIDATION_COMPOSITION("validation-composition", true),
    /** Pairs of the held-out articles of every language: the experiment's measure. */
    EVAL("eval", false);

    private final String id;
    private final boolean training;

    TranslationSplit(String id, boolean training) {
        this.id = id;
        this.training = training;
    }

    /** @return the split's name in files and configs, such as {@code train-composition} */
    public String id() {
        return id;
    }

    /**
     * @return whether a model sees this split while it is trained or selected, so that no held-out
     *     text may occur in it
     */
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
    public static TranslationSplit fromId(String id) {
        return Arrays.stream(values()).filter(split -> split.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no translation split '" + id + "'; known: "
                        + Arrays.stream(values()).map(TranslationSplit::id).toList()));
    }
}
