/**
 * Training any {@link calm.model.LanguageModel}: {@link calm.train.TrainingLoop} (AdamW with a
 * warm-up and cosine schedule, gradient clipping and accumulation, next-token loss on completion
 * tokens only, periodic evaluation, checkpoints, exact resume), with its parts: {@link
 * calm.train.TrainingConfig}, {@link calm.train.AdamW}, {@link calm.train.LearningRateSchedule},
 * {@link calm.train.DataOrder}, {@link calm.train.TrainingBatch}, {@link calm.train.NextTokenLoss},
 * {@link calm.train.HeldOutEvaluation}, {@link calm.train.Progress}, {@link calm.train.MetricsLog}
 * and {@link calm.train.Provenance}. See {@code docs/training.md}.
 */
package calm.train;
