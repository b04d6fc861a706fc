package calm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/** Cached incremental decoding of one decoder. */
final class SingleDecoding implements Decoding {

    private final DecoderLM model;
    private final NDManager manager;
    private final SequenceState sequence;
    private final KvCache cache;
    private NDArray last;

    SingleDecoding(DecoderLM model, NDArray tokens, NDArray mask, int capacity) {
        this.model = model;
        int batch = (int) tokens.getShape().get(0);
        manager = tokens.getManager().newSubManager();
        sequence = new SequenceState(manager, batch, capacity);
        cache = model.newCache(manager, batch, capacity);
        run(tokens, mask);
    }

    @Override
    public NDArray lastLogits() {
        return last;
    }

    @Override
    public void feed(NDArray tokens) {
        run(tokens, null);
    }

    @Override
    public int length() {
        return sequence.length();
    }

    private void run(NDArray tokens, NDArray mask) {
        Window window = sequence.advance(tokens, mask);
        NDArray logits = model.logits(window, cache, LayerHook.NONE);
        NDArray next = logits.get(new NDIndex(":, -1, :"));
        next.attach(manager);
        if (last != null) {
            last.close();
        }
        last = next;
    }

    @Override
    public void close() {
        manager.close();
    }
}
