package calm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;

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
}
