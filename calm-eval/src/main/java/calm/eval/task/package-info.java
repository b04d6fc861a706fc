/**
 * Evaluation tasks: a named held-out split, how its examples become prompts and how outputs are
 * read back ({@link calm.eval.task.PromptFormat}), how to decode, and the metric
 * ({@link calm.eval.task.EvalTask}); {@link calm.eval.task.KvTasks} registers the key-value
 * arithmetic tasks.
 */
package calm.eval.task;
