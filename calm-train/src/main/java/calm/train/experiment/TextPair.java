package calm.train.experiment;

/**
 * One example of a {@link TextPairExperiment}: text the model is given and the text it learns to
 * write after it. Monolingual text (a passage of prose, a method of code) has an empty prompt.
 */
public interface TextPair {

    /** @return what the model reads first; empty for monolingual text */
    String prompt();

    /** @return what the model learns to write after the prompt */
    String completion();
}
