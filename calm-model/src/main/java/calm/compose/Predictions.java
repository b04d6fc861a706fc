package calm.compose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import calm.model.DecoderLM;
import calm.model.KvCache;
import calm.model.LayerHook;
import calm.model.Window;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * An augmenting model read through what it predicts rather than how it computes it: a
 * {@link CompositionSource} of one layer more than the model, L + 1, whose state is at each position, the one-hot of the token its output layer
 * predicts next, followed by the one-hot of the token each of its multi-token heads predicts
 * (head k: token t + k), [B, T, K x V] for K predictions over a vocabulary of V. Layers 0..L are
 * the model's own.
 *
 * <p>Not in the paper, whose connections read layer outputs. A composition that reads this layer
 * sees what m_A would write (a value's digits) and nothing of which key it read it from: no
 * feature names the key, so connections cannot learn D_C's keys by heart through it. Before the
 * first {@code from} token of a row the state is zero: there (the prompt) m_A was never trained to
 * predict anything, and its guesses still name the key.
 *
 * <p>The view adds no parameter.
 */
public final class Predictions implements CompositionSource {

    private final DecoderLM model;
    private final List<NDArray> heads;
    private final int from;
    /** Per cached decoding, whether each row has reached the {@code from} token. */
    private final Map<KvCache, NDArray> reachedByCache = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param model the augmenting model
     * @param heads the multi-token heads, for tokens t + 2, t + 3, ... in order, each a [D, D]
     *     matrix W whose prediction is the model's output layer applied to h + h W^T (as its
     *     multi-token training learnt them); empty to read the next token only
     * @param from the token id from whose first occurrence on the predictions are read; -1 for
     *     every position
     * @throws IllegalArgumentException when a head is not [D, D] or {@code from} is not a token id
     */
    public Predictions(DecoderLM model, List<NDArray> heads, int from) {
        int d = model.hiddenSize();
        for (int i = 0; i < heads.size(); i++) {
            long[] shape = heads.get(i).getShape().getShape();
            if (shape.length != 2 || shape[0] != d || shape[1] != d) {
                throw new IllegalArgumentException("head t" + (i + 2) + " has shape " + heads.get(i).getShape()
                        + ", the model's hidden size needs (" + d + ", " + d + ")");
            }
        }
        if (from < -1 || from >= model.vocabSize()) {
            throw new IllegalArgumentException("from " + from + " is not a token id of the model's vocabulary of "
                    + model.vocabSize() + " (or -1)");
        }
        this.model = model;
        this.heads = List.copyOf(heads);
        this.from = from;
    }

    @Override
    public DecoderLM model() {
        return model;
    }

    /** @return the token id from whose first occurrence in a row on the predictions are read; -1 for every position */
    public int from() {
        return from;
    }

    /** @return the number of predictions per position, K: the next token and one per head */
    public int predictions() {
        return heads.size() + 1;
    }

    @Override
    public SourceLayers layers() {
        return SourceLayers.predictions(model.numLayers());
    }

    /** @return K x V for layer L + 1; D for the model's own layers, which no connection reads */
    @Override
    public int width(int layer) {
        return layer > model.numLayers() ? predictions() * model.vocabSize() : model.hiddenSize();
    }

    /** @return the start token and the number of heads ({@code from}, {@code heads}) */
    @Override
    public Map<String, Object> recorded() {
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("from", from);
        recorded.put("heads", heads.size());
        return recorded;
    }

    @Override
    public NDArray hidden(Window window, KvCache cache, LayerHook hook, int lastLayer) {
        int layers = model.numLayers();
        if (lastLayer < 0 || lastLayer > layers + 1) {
            throw new IllegalArgumentException("lastLayer " + lastLayer + " is out of range [0, " + (layers + 1) + "]");
        }
        if (lastLayer <= layers) {
            return model.hidden(window, cache, hook, lastLayer);
        }
        return hook.afterLayer(lastLayer, predict(model.hidden(window, cache, hook, layers), window, cache), window);
    }

    private NDArray predict(NDArray hidden, Window window, KvCache cache) {
        NDList parts = new NDList(heads.size() + 1);
        parts.add(oneHot(model.project(hidden)));
        for (NDArray head : heads) {
            parts.add(oneHot(model.projectAhead(hidden, head)));
        }
        NDArray predicted = NDArrays.concat(parts, 2);
        return from < 0 ? predicted : predicted.mul(reached(window, cache).toType(DataType.FLOAT32, false).expandDims(2));
    }

    /**
     * Whether each column of the window is at or after the first {@code from} token of its row,
     * [B, T]. A cached decoding's later windows carry on from what its earlier ones saw (kept on the
     * cache's manager, never read back to the host); a window that starts after column 0 with nothing
     * seen before (no cache) counts as past it.
     */
    private NDArray reached(Window window, KvCache cache) {
        NDArray tokens = window.tokens();
        NDArray count = tokens.eq(from).toType(DataType.INT32, false).cumSum(1);
        NDArray before = cache == null ? null : reachedByCache.get(cache);
        if (before != null) {
            count = count.add(before.toType(DataType.INT32, false).expandDims(1));
        } else if (window.start() > 0) {
            count = count.add(1);
        }
        NDArray reached = count.gt(0);
        if (cache != null) {
            NDArray last = reached.get(":, -1");
            cache.keep(last);
            NDArray old = reachedByCache.put(cache, last);
            if (old != null) {
                old.close();
            }
        }
        return reached;
    }

    private NDArray oneHot(NDArray logits) {
        return logits.argMax(2).oneHot(model.vocabSize()).toType(DataType.FLOAT32, false);
    }
}
