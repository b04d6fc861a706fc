package calm.compose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import calm.io.ParameterNames;
import calm.model.AttentionMask;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.Decoding;
import calm.model.HiddenStates;
import calm.model.KvCache;
import calm.model.LanguageModel;
import calm.model.LayerHook;
import calm.model.Window;
import calm.model.nn.FixedShapeBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * CALM: a frozen anchor m_B augmented by one or more frozen models m_A through trainable
 * connections. For each connection (i, j): P = H_A[i] W_proj; H_B[j] += Attn(H_B[j] W_Q, P W_K,
 * P W_V) W_O, where anchor position t attends only to augmenting positions &lt;= t that are real
 * tokens. Only the connections train; {@link #trainableParameters()} returns nothing else.
 *
 * <p>Composition reaches into the models through their {@link LayerHook}s only.
 */
public final class ComposedModel implements LanguageModel {

    private final DecoderLM anchor;
    private final List<Augmentation> augmentations;
    private final Connections connections;
    private final AugmentingStates held;

    private ComposedModel(DecoderLM anchor, List<Augmentation> augmentations, Connections connections,
            AugmentingStates held) {
        this.anchor = anchor;
        this.augmentations = List.copyOf(augmentations);
        this.connections = connections;
        this.held = held;
    }

    /** @return a builder composing the given anchor */
    public static Builder builder(DecoderLM anchor) {
        return new Builder(anchor);
    }

    /** @return the anchor m_B */
    public DecoderLM anchor() {
        return anchor;
    }

    /** @return the augmenting models, in order */
    public List<Augmentation> augmentations() {
        return augmentations;
    }

    /**
     * @return the block holding every trainable parameter, named
     *     {@code connections.A.K.(proj|q|k|v|o).(weight|bias)} for augmenting model A, connection K
     */
    public FixedShapeBlock compositionBlock() {
        return connections;
    }

    /** @return the cross-attention of connection k of augmenting model a */
    public CrossAttention connection(int augmentation, int k) {
        return connections.get(augmentation, k);
    }

    @Override
    public int vocabSize() {
        return anchor.vocabSize();
    }

    @Override
    public int contextLength() {
        int shortest = anchor.contextLength();
        for (Augmentation augmentation : augmentations) {
            shortest = Math.min(shortest, augmentation.source().contextLength());
        }
        return shortest;
    }

    @Override
    public List<Parameter> trainableParameters() {
        return connections.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
    }

    /**
     * The same composition (the same connections, trained together) reading the augmenting models'
     * states from {@code states} for every batch of {@link #logits} whose rows it holds; decoding
     * and any other batch run the augmenting models as before.
     *
     * @throws IllegalArgumentException when the states were computed for other augmenting models or
     *     wirings
     */
    public ComposedModel reading(AugmentingStates states) {
        if (!states.belongsTo(augmentations)) {
            throw new IllegalArgumentException("these augmenting states were computed for other augmenting models or "
                    + "wirings than this composition's");
        }
        return new ComposedModel(anchor, augmentations, connections, states);
    }

    /** @return the connections' parameters by their names in {@link #compositionBlock()} */
    @Override
    public Map<String, Parameter> namedParameters() {
        return ParameterNames.of(connections);
    }

    /** @return {@link AugmentingStates#bytes} for the sequences */
    @Override
    public long heldBytes(int sequences, int longest) {
        return AugmentingStates.bytes(this, sequences, longest);
    }

    /** @return this composition reading the augmenting models' states over the sequences from {@link AugmentingStates} */
    @Override
    public ComposedModel holding(List<int[]> sequences, int batchSize, int padToken, NDManager manager) {
        return reading(AugmentingStates.compute(this, sequences, batchSize, padToken, manager));
    }

    /** @return the number of trainable scalars, as instantiated */
    public long trainableParameterCount() {
        return connections.getParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    /**
     * @return the count written as the formula it follows, e.g. {@code 2 x (128 x 256 + 256 + 4 x
     *     256^2) = 590336}
     */
    public String trainableParameterFormula() {
        List<String> terms = new ArrayList<>();
        long dB = anchor.hiddenSize();
        for (Augmentation augmentation : augmentations) {
            // Connections of one width are counted together: n x (D_A x D_B + ...).
            Map<Integer, Integer> byWidth = new LinkedHashMap<>();
            for (Connection pair : augmentation.wiring().connections()) {
                byWidth.merge(augmentation.source().width(pair.augmentingLayer()), 1, Integer::sum);
            }
            byWidth.forEach((dA, n) -> terms.add(n + " x (" + dA + " x " + dB + " + " + dB + " + 4 x " + dB + "^2)"));
        }
        return String.join(" + ", terms) + " = " + trainableParameterCount()
                + "   [per connection: D_A x D_B + D_B (f_proj, with bias) + 4 D_B^2 (W_Q, W_K, W_V, W_O)]";
    }

    @Override
    public NDArray logits(Batch batch) {
        return logits(batch, LayerHook.NONE);
    }

    /**
     * The same forward pass as {@link #logits(Batch)}, with {@code observer} called on the anchor's
     * residual stream after the connections of each layer have added to it: what anchor layer l + 1
     * reads. A {@link HiddenStates} records it; whatever the observer returns is what the next layer
     * reads.
     */
    public NDArray logits(Batch batch, LayerHook observer) {
        if (batch.positionOffsets() != null) {
            throw new IllegalArgumentException("a composition reads every model from position 0: position offsets are for "
                    + "pretraining a single decoder");
        }
        Window window = Window.full(batch.tokens(), batch.mask());
        long[] rows = held == null ? null : held.rowsOf(batch.tokens(), batch.mask());
        AugmentingReads[] reads = new AugmentingReads[augmentations.size()];
        IntFunction<AugmentingReads> read = a -> {
            if (reads[a] == null) {
                Augmentation augmentation = augmentations.get(a);
                HiddenStates states = rows == null
                        ? statesOf(a, window, null)
                        : held.states(a, rows, window.length(), batch.tokens().getManager());
                NDArray[][] keysValues = keysValues(a, states);
                NDArray keyMask = augmentation.mode() == Augmentation.Mode.LOCKSTEP
                        ? window.keyMask()
                        : promptMask(batch, window);
                reads[a] = new AugmentingReads(keysValues, scoreBias(a, AttentionMask.bias(window.queryMask(), keyMask, 0), 0));
            }
            return reads[a];
        };
        return anchor.logits(window, null, anchorHook(read).then(observer));
    }

    @Override
    public Decoding startDecoding(NDArray tokens, NDArray mask, int capacity) {
        return new CompositionDecoding(this, tokens, mask, capacity);
    }

    /** @return every connection's projected keys and values for the window: {@link #statesOf}, projected */
    NDArray[][] keysValues(int a, Window window, KvCache cache) {
        return keysValues(a, statesOf(a, window, cache));
    }

    /**
     * Runs augmenting model a over a window (with its cache when decoding) up to its highest
     * connected layer.
     *
     * @return its states at the connected layers
     */
    HiddenStates statesOf(int a, Window window, KvCache cache) {
        Augmentation augmentation = augmentations.get(a);
        HiddenStates states = new HiddenStates(augmentation.source().layers().numLayers(),
                augmentation.wiring().augmentingLayers());
        augmentation.source().hidden(window, cache, states, augmentation.wiring().highestAugmentingLayer());
        return states;
    }

    /** @return every connection's projected keys and values, given augmenting model a's states */
    private NDArray[][] keysValues(int a, HiddenStates states) {
        List<Connection> pairs = augmentations.get(a).wiring().connections();
        NDArray[][] keysValues = new NDArray[pairs.size()][];
        for (int k = 0; k < pairs.size(); k++) {
            keysValues[k] = connections.get(a, k).keysValues(states.get(pairs.get(k).augmentingLayer()));
        }
        return keysValues;
    }

    /**
     * The anchor's hook: after each connected anchor layer j, adds the cross-attention output of
     * every connection that writes j. All of them query the same H_B[j].
     *
     * @param reads what each augmenting model gives, asked for at the first anchor layer that reads
     *     it (so that a decoding step can compute it alongside the anchor's lower layers)
     */
    LayerHook anchorHook(IntFunction<AugmentingReads> reads) {
        return (layer, hidden, window) -> {
            NDArray sum = hidden;
            for (int a = 0; a < augmentations.size(); a++) {
                List<Connection> pairs = augmentations.get(a).wiring().connections();
                AugmentingReads read = null;
                for (int k = 0; k < pairs.size(); k++) {
                    if (pairs.get(k).anchorLayer() == layer) {
                        if (read == null) {
                            read = reads.apply(a);
                        }
                        NDArray[] kv = read.keysValues()[k];
                        sum = sum.add(connections.get(a, k).attend(hidden, kv[0], kv[1], read.bias()));
                    }
                }
            }
            return sum;
        };
    }

    private static NDArray promptMask(Batch batch, Window window) {
        NDArray prompt = batch.promptOrMask();
        return prompt == null ? window.keyMask() : prompt.toType(DataType.FLOAT32, false);
    }

    /** What the anchor reads from one augmenting model in one call. */
    record AugmentingReads(NDArray[][] keysValues, NDArray bias) {}

    /**
     * The attention scores' bias for augmenting model a's connections, computed once for all of
     * them (they share heads and position bias): the mask with the position term added.
     */
    NDArray scoreBias(int a, NDArray mask, long start) {
        CrossAttention first = connections.get(a, 0);
        return first.positionBias().add(mask, start, first.heads());
    }

    /** The trainable connections of every augmenting model. */
    private static final class Connections extends FixedShapeBlock {
        private final List<List<CrossAttention>> blocks = new ArrayList<>();

        CrossAttention get(int augmentation, int k) {
            return blocks.get(augmentation).get(k);
        }

        void add(int augmentation, List<CrossAttention> forModel) {
            for (int k = 0; k < forModel.size(); k++) {
                addChildBlock("connections." + augmentation + "." + k, forModel.get(k));
            }
            blocks.add(forModel);
        }
    }

    /** Builds a composition: the anchor, each augmenting model with its wiring, the options. */
    public static final class Builder {
        private final DecoderLM anchor;
        private final List<Augmentation> augmentations = new ArrayList<>();
        private int heads;
        private boolean zeroOutput = true;
        private boolean normalize;
        private PositionBias positionBias = PositionBias.NONE;

        private Builder(DecoderLM anchor) {
            this.anchor = anchor;
            this.heads = anchor.numHeads();
        }

        /** Adds an augmenting model read through its layer outputs, with the paper's default wiring, in lockstep. */
        public Builder augment(DecoderLM model) {
            return augment(model, Wiring.everyFourth(model.numLayers(), anchor.numLayers()), Augmentation.Mode.LOCKSTEP);
        }

        /** Adds an augmenting model read through its layer outputs ({@link LayerOutputs}). */
        public Builder augment(DecoderLM model, Wiring wiring, Augmentation.Mode mode) {
            return augment(new LayerOutputs(model), wiring, mode);
        }

        /**
         * Adds an augmenting model as its connections read it.
         *
         * @throws IllegalArgumentException when its vocabulary differs from the anchor's, or the
         *     wiring reads a layer the source does not offer or does not fit the anchor
         */
        public Builder augment(CompositionSource source, Wiring wiring, Augmentation.Mode mode) {
            int index = augmentations.size();
            if (source.vocabSize() != anchor.vocabSize()) {
                throw new IllegalArgumentException("augmenting model " + index + " has a vocabulary of "
                        + source.vocabSize() + " tokens, the anchor " + anchor.vocabSize()
                        + ": composed models must share one tokenizer");
            }
            Wiring checked;
            try {
                checked = Wiring.of(source.layers(), anchor.numLayers(), wiring.connections());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("augmenting model " + index + ": " + e.getMessage(), e);
            }
            augmentations.add(new Augmentation(source, checked, mode));
            return this;
        }

        /** Sets the cross-attention heads (default: the anchor's). */
        public Builder heads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Whether W_O starts at zero (default true: the untrained composition is the anchor). */
        public Builder zeroInitOutput(boolean zeroOutput) {
            this.zeroOutput = zeroOutput;
            return this;
        }

        /** Whether every connection standardises both states before projecting them (default false, the paper's). */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /** The position term of every connection's attention scores (default {@link PositionBias#NONE}, the paper's). */
        public Builder positionBias(PositionBias positionBias) {
            this.positionBias = Objects.requireNonNull(positionBias, "positionBias");
            return this;
        }

        /**
         * Freezes the anchor and every augmenting model and creates the connections on the
         * manager, initialised from the engine's random seed.
         */
        public ComposedModel build(NDManager manager) {
            if (augmentations.isEmpty()) {
                throw new IllegalStateException("a composition needs at least one augmenting model");
            }
            Connections connections = new Connections();
            for (int a = 0; a < augmentations.size(); a++) {
                Augmentation augmentation = augmentations.get(a);
                List<CrossAttention> blocks = new ArrayList<>();
                for (Connection pair : augmentation.wiring().connections()) {
                    blocks.add(new CrossAttention(augmentation.source().width(pair.augmentingLayer()), anchor.hiddenSize(),
                            heads, zeroOutput, normalize, positionBias));
                }
                connections.add(a, blocks);
            }
            connections.initialize(manager, DataType.FLOAT32);
            anchor.freeze();
            augmentations.forEach(augmentation -> augmentation.source().freeze());
            return new ComposedModel(anchor, augmentations, connections, null);
        }
    }
}
