package calm.train;

/**
 * What one update measured.
 *
 * @param step the update's number, from 1
 * @param steps the job's total number of updates
 * @param loss the mean cross-entropy per completion token of the update's sequences
 * @param learningRate the learning rate it used
 * @param gradientNorm the global gradient norm before clipping
 * @param tokensPerSecond input tokens per second, averaged since the previous metrics line
 */
public record StepReport(int step, int steps, double loss, double learningRate, double gradientNorm, double tokensPerSecond) {}
