/**
 * The evaluation of the translation experiment: a task per evaluated language scored with corpus
 * chrF and BLEU ({@link calm.eval.translation.TranslationEvaluation}), and its saved systems
 * ({@link calm.eval.translation.TranslationSystems}).
 */
package calm.eval.translation;
