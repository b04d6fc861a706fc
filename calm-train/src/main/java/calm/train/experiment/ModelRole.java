package calm.train.experiment;

import calm.data.KvSplit;

/** The two base models of the key-value arithmetic experiment. */
public enum ModelRole {
    /** m_A, the augmenting model: learns the key-value store through KV-Substitution. */
    A("a", "m_A", KvSplit.TRAIN_KV_SUBSTITUTION, KvSplit.EVAL_KV_SUBSTITUTION),
    /** m_B, the anchor: learns arithmetic on numbers. */
    B("b", "m_B", KvSplit.TRAIN_NUMERIC_ARITHMETIC, KvSplit.EVAL_NUMERIC_ARITHMETIC);

    private final String key;
    private final String paperName;
    private final KvSplit trainSplit;
    private final KvSplit evalSplit;

    ModelRole(String key, String paperName, KvSplit trainSplit, KvSplit evalSplit) {
        this.key = key;
        this.paperName = paperName;
        this.trainSplit = trainSplit;
        this.evalSplit = evalSplit;
    }

    /** @return "a" or "b", as in the config's {@code models} section and on the command line */
    public String key() {
        return key;
    }

    /** @return "m_A" or "m_B" */
    public String paperName() {
        return paperName;
    }

    /** @return the split the model is pretrained on */
    public KvSplit trainSplit() {
        return trainSplit;
    }

    /** @return the held-out split of the same task */
    public KvSplit evalSplit() {
        return evalSplit;
    }
}
