package calm.eval.run;

/**
 * What a system wrote for one example, as saved for inspection.
 *
 * @param index the example's position in its task
 * @param prompt the prompt's text
 * @param expected the expected answer
 * @param output the generated text, up to the stop token (special tokens shown as {@code <bos>} and
 *     the like)
 * @param stopped whether generation ended with the stop token
 * @param correct whether it scores: it stopped, and the output matches the expected answer
 *     ({@link calm.eval.metric.ExactMatch})
 */
public record ExampleOutput(int index, String prompt, String expected, String output, boolean stopped, boolean correct) {}
