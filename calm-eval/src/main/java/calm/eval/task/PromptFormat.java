package calm.eval.task;

/** How a task's text becomes the token ids a system reads, and how its output reads back. */
public interface PromptFormat {

    /** @return the prompt's token ids, special tokens included (e.g. BOS first) */
    int[] encode(String prompt);

    /** @return the text of generated ids; special tokens are shown, so that they never match text */
    String decode(int[] ids);

    /** @return the id that ends an answer (not part of the output) */
    int stopToken();

    /** @return the number of ids the text takes when generated, without the stop token */
    int length(String text);
}
