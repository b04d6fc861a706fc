package calm.eval.task;

/**
 * One example of a task, as text.
 *
 * @param prompt what the system is given, e.g. {@code ab+cd-ef=}
 * @param expected the exact continuation that scores, e.g. {@code 8}
 */
public record TaskExample(String prompt, String expected) {}
