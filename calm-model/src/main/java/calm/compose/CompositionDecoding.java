package calm.compose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import calm.model.AttentionMask;
import calm.model.Decoding;
import calm.model.KvCache;
import calm.model.SequenceState;
import calm.model.Window;
import java.util.ArrayList;
import java.util.List;

/**
 * Cached decoding of a composition. The anchor and every lockstep augmenting model keep their own
 * key/value caches over one shared sequence, and every connection caches its projected keys and
 * values, so each new token costs one incremental step of each model and one projection per
 * connection. An encoder-only augmenting model runs once, on the prompt. Nothing is read back to
 * the host in a step.
 */
final class CompositionDecoding implements Decoding {

    private final ComposedModel model;
    private final NDManager manager;
    private final SequenceState sequence;
    private final KvCache anchorCache;
    private final KvCache[] augmentingCaches;
    private final KvCache[] connectionCaches;
    private NDArray promptMask;
    private int promptLength;
    private NDArray last;

    CompositionDecoding(ComposedModel model, NDArray tokens, NDArray mask, int capacity) {
        this.model = model;
        int batch = (int) tokens.getShape().get(0);
        manager = tokens.getManager().newSubManager();
        sequence = new SequenceState(manager, batch, capacity);
        anchorCache = model.anchor().newCache(manager, batch, capacity);
        List<Augmentation> augmentations = model.augmentations();
        augmentingCaches = new KvCache[augmentations.size()];
        connectionCaches = new KvCache[augmentations.size()];
        for (int a = 0; a < augmentations.size(); a++) {
            Augmentation augmentation = augmentations.get(a);
            boolean lockstep = augmentation.mode() == Augmentation.Mode.LOCKSTEP;
            augmentingCaches[a] = lockstep ? augmentation.source().newCache(manager, batch, capacity) : null;
            CrossAttention first = model.connection(a, 0);
            int heads = first.heads();
            connectionCaches[a] = new KvCache(manager, augmentation.wiring().size(), batch, heads,
                    capacity, model.anchor().hiddenSize() / heads, DataType.FLOAT32);
        }
        run(tokens, mask, true);
    }

    @Override
    public NDArray lastLogits() {
        return last;
    }

    @Override
    public void feed(NDArray tokens) {
        run(tokens, null, false);
    }

    @Override
    public int length() {
        return sequence.length();
    }

    private void run(NDArray tokens, NDArray mask, boolean prompt) {
        Window window = sequence.advance(tokens, mask);
        if (prompt) {
            promptMask = window.keyMask().duplicate();
            promptMask.attach(manager);
            promptLength = window.end();
        }
        List<ComposedModel.AugmentingReads> reads = new ArrayList<>();
        for (int a = 0; a < model.augmentations().size(); a++) {
            reads.add(read(a, window, prompt));
        }
        NDArray logits = model.anchor().logits(window, anchorCache, model.anchorHook(reads::get));
        NDArray next = logits.get(new NDIndex(":, -1, :"));
        next.attach(manager);
        if (last != null) {
            last.close();
        }
        last = next;
    }

    private ComposedModel.AugmentingReads read(int a, Window window, boolean prompt) {
        Augmentation augmentation = model.augmentations().get(a);
        int connections = augmentation.wiring().size();
        NDArray[][] keysValues = new NDArray[connections][];
        NDArray keyMask;
        if (augmentation.mode() == Augmentation.Mode.LOCKSTEP || prompt) {
            NDArray[][] fresh = model.keysValues(a, window, augmentingCaches[a]);
            for (int k = 0; k < connections; k++) {
                keysValues[k] = connectionCaches[a].append(k, fresh[k][0], fresh[k][1], window.start());
            }
            keyMask = window.keyMask();
        } else {
            for (int k = 0; k < connections; k++) {
                keysValues[k] = connectionCaches[a].read(k, promptLength, window.tokens());
            }
            keyMask = promptMask.get(new NDIndex(":, :{}", promptLength));
            keyMask.attach(window.tokens().getManager());
        }
        NDArray mask = AttentionMask.bias(window.queryMask(), keyMask, window.start());
        return new ComposedModel.AugmentingReads(keysValues, model.scoreBias(a, mask, window.start()));
    }

    @Override
    public void close() {
        manager.close();
    }
}
