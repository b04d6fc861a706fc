/**
 * Evaluation runs: any system ({@link calm.eval.run.EvalSystem}: a single model, a composition, a
 * LoRA-adapted or fine-tuned model) on any {@link calm.eval.task.EvalTask}, by batched greedy
 * generation ({@link calm.eval.run.Evaluator}), with every output kept
 * ({@link calm.eval.run.OutputsFile}) and scored with intervals and paired tests
 * ({@link calm.eval.run.Scoring}). An experiment's kind says what is evaluated
 * ({@link calm.eval.run.ExperimentEvaluation}, found by {@link calm.eval.run.EvaluationKind});
 * {@link calm.eval.run.Evaluation} runs it and writes the report, and
 * {@link calm.eval.run.ExperimentRun} runs the whole experiment.
 */
package calm.eval.run;
