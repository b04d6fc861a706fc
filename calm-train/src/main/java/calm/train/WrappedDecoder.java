package calm.train;

import ai.djl.ndarray.NDArray;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.Decoding;
import calm.model.LanguageModel;

/**
 * A model that trains something beside a decoder (adapters, extra heads) but reads, decodes and
 * scores exactly as the decoder does: everything but {@link #trainableParameters()} is the base's.
 */
public interface WrappedDecoder extends LanguageModel {

    /** @return the decoder every forward pass and decoding goes through */
    DecoderLM base();

    @Override
    default int vocabSize() {
        return base().vocabSize();
    }

    @Override
    default int contextLength() {
        return base().contextLength();
    }

    @Override
    default NDArray logits(Batch batch) {
        return base().logits(batch);
    }

    @Override
    default Decoding startDecoding(NDArray tokens, NDArray mask, int capacity) {
        return base().startDecoding(tokens, mask, capacity);
    }
}
