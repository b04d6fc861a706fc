package calm.train.experiment;

/** The two base models of an experiment, as the paper names them. */
public enum ModelRole {
    /** m_A, the augmenting model: holds the knowledge or skill the anchor lacks. */
    A("a", "m_A"),
    /** m_B, the anchor: the general model the composition builds on. */
    B("b", "m_B");

    private final String key;
    private final String paperName;

    ModelRole(String key, String paperName) {
        this.key = key;
        this.paperName = paperName;
    }

    /** @return "a" or "b", as in the config's {@code models} section and on the command line */
    public String key() {
        return key;
    }

    /** @return "m_A" or "m_B" */
    public String paperName() {
        return paperName;
    }
}
