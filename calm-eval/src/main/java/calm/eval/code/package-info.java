/**
 * The evaluation of the code experiment: code completion, text to code and code to text on the
 * held-out library ({@link calm.eval.code.CodeEvaluation}), with the code metrics beside chrF, BLEU
 * and exact match ({@link calm.eval.code.CodeMetrics}) and the one-line answer format of code
 * completion ({@link calm.eval.code.LineFormat}).
 */
package calm.eval.code;
