package calm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import calm.model.Batch;
import java.util.Arrays;
import java.util.List;

/**
 * Examples collated for teacher forcing. Row r holds {@code prompt ++ completion} without its last
 * token as input, and the same sequence shifted by one as labels; rows are right-padded to the
 * longest. Column i of the loss mask is 1 when label i is a completion token, so the prompt and the
 * padding never enter the loss.
 *
 * @param batch the input tokens [B, T], the padding mask and the prompt mask (1 on prompt tokens)
 * @param labels the next token at every position [B, T], int64 (padding where there is none)
 * @param lossMask 1 where the label is a completion token, else 0 [B, T], float32
 * @param targetTokens the number of ones in the loss mask
 * @param inputTokens the number of real (non-padding) input tokens
 */
public record TrainingBatch(Batch batch, NDArray labels, NDArray lossMask, int targetTokens, int inputTokens) {

    /**
     * Collates examples onto a manager.
     *
     * @param examples at least one example
     * @param padToken the id written into padding
     * @param contextLength the longest input the model accepts
     * @throws IllegalArgumentException naming the example when one is longer than the context
     */
    public static TrainingBatch of(List<TrainingExample> examples, int padToken, int contextLength, NDManager manager) {
        int rows = examples.size();
        int columns = 0;
        for (TrainingExample example : examples) {
            if (example.inputLength() > contextLength) {
                throw new IllegalArgumentException("an example of " + example.length()
                        + " tokens needs an input of " + example.inputLength() + ", beyond the model's context length of "
                        + contextLength);
            }
            columns = Math.max(columns, example.inputLength());
        }
        long[] tokens = new long[rows * columns];
        long[] labels = new long[rows * columns];
        float[] real = new float[rows * columns];
        float[] prompt = new float[rows * columns];
        float[] loss = new float[rows * columns];
        Arrays.fill(tokens, padToken);
        Arrays.fill(labels, padToken);
        int targets = 0;
        int inputs = 0;
        for (int row = 0; row < rows; row++) {
            TrainingExample example = examples.get(row);
            int[] sequence = example.sequence();
            int offset = row * columns;
            for (int i = 0; i < example.inputLength(); i++) {
                tokens[offset + i] = sequence[i];
                labels[offset + i] = sequence[i + 1];
                real[offset + i] = 1;
                prompt[offset + i] = i < example.prompt().length ? 1 : 0;
                // Label i is token i + 1: a completion token from the prompt's last token on.
                loss[offset + i] = i + 1 >= example.prompt().length ? 1 : 0;
            }
            targets += example.completion().length;
            inputs += example.inputLength();
        }
        Shape shape = new Shape(rows, columns);
        Batch batch = new Batch(manager.create(tokens, shape), manager.create(real, shape), manager.create(prompt, shape));
        return new TrainingBatch(batch, manager.create(labels, shape), manager.create(loss, shape), targets, inputs);
    }

    /** @return the same batch read with each row's position ids starting at its offset, int64 [B, 1] */
    public TrainingBatch withPositionOffsets(NDArray offsets) {
        Batch shifted = new Batch(batch.tokens(), batch.mask(), batch.promptMask(), offsets);
        return new TrainingBatch(shifted, labels, lossMask, targetTokens, inputTokens);
    }
}
