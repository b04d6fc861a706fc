package calm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;

/**
 * What training, generation and evaluation need of any model: a single decoder or a composition.
 */
public interface LanguageModel {

    /** @return the number of token ids */
    int vocabSize();

    /** @return the longest sequence the model accepts */
    int contextLength();

    /**
     * A full forward pass with teacher forcing.
     *
     * @return next-token logits [B, T, V]; arrays attach to the manager of the batch's tokens
     */
    NDArray logits(Batch batch);

    /**
     * Runs a (possibly left-padded) prompt and returns a decoding whose caches hold it.
     *
     * @param tokens int64 prompt ids [B, T]
     * @param mask 1 real / 0 padding [B, T], or null
     * @param capacity the most columns (prompt plus new tokens) the decoding may reach
     */
    Decoding startDecoding(NDArray tokens, NDArray mask, int capacity);

    /** @return the parameters that training updates (everything else is frozen) */
    List<Parameter> trainableParameters();

    /**
     * @return the trainable parameters by stable names, the keys of checkpoints and of the
     *     optimizer's state; empty when the model has no names for them (they are then numbered)
     */
    default Map<String, Parameter> namedParameters() {
        return Map.of();
    }

    /** @return whether the model reads a batch's position offsets (a decoder pretrained whole); false by default */
    default boolean readsPositionOffsets() {
        return false;
    }

    /**
     * @param sequences the training sequences
     * @param longest the longest of them, in tokens
     * @return the bytes that {@link #holding} would keep for them: 0 when the model has no frozen
     *     part whose outputs are worth computing once
     */
    default long heldBytes(int sequences, int longest) {
        return 0;
    }

    /**
     * The same model reading the outputs of its frozen parts over {@code sequences} from a table
     * computed once, for every batch whose rows it holds. A model without such parts is itself.
     *
     * @param batchSize the rows of each forward pass that computes the table
     * @param padToken the id written into padding
     * @param manager where the table lives
     */
    default LanguageModel holding(List<int[]> sequences, int batchSize, int padToken, NDManager manager) {
        return this;
    }
}
