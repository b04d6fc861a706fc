package calm.train;

/**
 * What one update measured.
 *
 * @param step the update's number, from 1
 * @param steps the job's total number of updates
 * @param loss the mean cross-entropy per completion token of the update's sequences
 * @param meanLoss the mean of {@code loss} over the updates since the previous metrics line, this
 *     one included: the "loss" that metrics.jsonl, the console's lines and the report show
 * @param meanOver how many updates {@code meanLoss} averages
 * @param learningRate the learning rate it used
 * @param gradientNorm the global gradient norm before clipping
 * @param tokensPerSecond input tokens per second, averaged since the previous metrics line
 */
public record StepReport(int step, int steps, double loss, double meanLoss, int meanOver, double learningRate, double gradientNorm, double tokensPerSecond) {}
