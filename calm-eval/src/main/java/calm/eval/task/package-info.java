/**
 * Evaluation tasks: a named held-out split, how its examples become prompts and how outputs are
 * read back ({@link calm.eval.task.PromptFormat}), how to decode, and its metrics
 * ({@link calm.eval.task.EvalTask}, {@link calm.eval.task.TaskMetric}: exact-match
 * {@link calm.eval.task.Accuracy}, corpus chrF and BLEU as {@link calm.eval.task.CorpusMetric}).
 */
package calm.eval.task;
