package calm.train.config;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import calm.compose.Augmentation;
import calm.compose.ComposedModel;
import calm.compose.CompositionSource;
import calm.compose.LayerOutputs;
import calm.compose.PositionBias;
import calm.compose.Predictions;
import calm.compose.SourceLayers;
import calm.compose.Wiring;
import calm.data.Vocabulary;
import calm.model.DecoderLM;
import calm.train.Seeds;
import java.util.List;
import java.util.Objects;

/**
 * How m_A is composed into m_B.
 *
 * @param wiring which augmenting layers feed which anchor layers
 * @param heads cross-attention heads (0 = the anchor's number of heads)
 * @param mode lockstep (the paper's: m_A reads every token) or encoder (m_A reads the prompt only)
 * @param zeroInitOutput start W_O at zero, so the untrained composition equals the anchor
 * @param normalize standardise the augmenting state before f_proj and the anchor state before W_Q
 *     (not in the paper; no parameter is added)
 * @param positionBias the position term of the cross-attention scores ({@code NONE} in the paper)
 * @param reads what the connections read of m_A: its layer outputs (the paper's) or what it
 *     predicts, as its layer L + 1 ({@link Predictions}), which every connection of the wiring then
 *     names
 * @param predictionsFrom with {@link Reads#PREDICTIONS}, the character from whose first occurrence
 *     in a row on the predictions are read (zero before it); empty for every position
 */
public record CompositionConfig(WiringSpec wiring, int heads, Augmentation.Mode mode, boolean zeroInitOutput,
        boolean normalize, PositionBias positionBias, Reads reads, String predictionsFrom) {

    /** What the connections read of m_A. */
    public enum Reads {
        /** Its layer outputs, 0..L (the paper's). */
        STATES,
        /** What it predicts, as a layer L + 1 that every connection reads (not in the paper). */
        PREDICTIONS
    }

    /** Checks the fields. */
    public CompositionConfig {
        Objects.requireNonNull(wiring, "wiring");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(positionBias, "positionBias");
        Objects.requireNonNull(reads, "reads");
        Objects.requireNonNull(predictionsFrom, "predictionsFrom");
        if (heads < 0) {
            throw new IllegalArgumentException("heads must be >= 0 (0 = the anchor's), got " + heads);
        }
        if (predictionsFrom.length() > 1) {
            throw new IllegalArgumentException("predictionsFrom must be one character, or empty for every position, got \""
                    + predictionsFrom + "\"");
        }
    }

    /**
     * @return the paper's composition: the default wiring, the anchor's heads, lockstep,
     *     zero-initialised output, no normalisation, no position bias
     */
    public static CompositionConfig defaults() {
        return new CompositionConfig(WiringSpec.defaultWiring(), 0, Augmentation.Mode.LOCKSTEP, true, false,
                PositionBias.NONE, Reads.STATES, "=");
    }

    /**
     * @param vocabulary the models' vocabulary
     * @return the token id of {@link #predictionsFrom()} in the vocabulary, or -1 (every position)
     *     when it is empty
     * @throws IllegalArgumentException when the vocabulary has no such token
     */
    public int predictionsFromToken(Vocabulary vocabulary) {
        return predictionsFrom.isEmpty() ? -1 : vocabulary.id(predictionsFrom);
    }

    /**
     * @param model an augmenting model
     * @param heads its multi-token heads ({@link calm.io.ModelFolder#readHeads}); unused unless
     *     {@link #reads()} is {@link Reads#PREDICTIONS}
     * @param vocabulary the models' vocabulary, in which {@link #predictionsFrom()} is a token
     * @return the model as the connections read it: its {@link LayerOutputs}, or the
     *     {@link Predictions} view of it, whose layer L + 1 the wiring names
     */
    public CompositionSource reading(DecoderLM model, List<NDArray> heads, Vocabulary vocabulary) {
        return reads == Reads.STATES ? new LayerOutputs(model) : new Predictions(model, heads, predictionsFromToken(vocabulary));
    }

    /**
     * @param layerWiring the wiring of the paper's reading ({@code variants.layerOutputsWiring})
     * @return the same composition reading m_A's layer outputs with that wiring: the row "CALM,
     *     layer outputs" beside a composition that reads m_A's predictions
     */
    public CompositionConfig readingLayerOutputs(WiringSpec layerWiring) {
        return new CompositionConfig(layerWiring, heads, mode, zeroInitOutput, normalize, positionBias, Reads.STATES,
                predictionsFrom);
    }

    /**
     * @param augmentingLayers m_A's layers, N_A
     * @return the layers {@link #reading} offers the connections, from the architecture alone
     */
    public SourceLayers layers(int augmentingLayers) {
        return reads == Reads.STATES ? SourceLayers.outputs(augmentingLayers) : SourceLayers.predictions(augmentingLayers);
    }

    /**
     * Builds the untrained composition: the anchor, m_A with this wiring and mode, the connections
     * initialised from the engine's generator seeded from (seed, update 0).
     *
     * @param augmenting m_A as the connections read it ({@link #reading})
     * @param seed the composition's training seed
     */
    public ComposedModel compose(DecoderLM anchor, CompositionSource augmenting, long seed, NDManager manager) {
        return compose(anchor, augmenting, mode, seed, manager);
    }

    /**
     * Builds the untrained composition with every setting of this config but the mode: how the
     * ablations get the same connections as the composition they are compared with.
     *
     * @param mode how m_A reads the sequence, in place of {@link #mode()}
     * @param seed the composition's training seed
     */
    public ComposedModel compose(DecoderLM anchor, CompositionSource augmenting, Augmentation.Mode mode, long seed,
            NDManager manager) {
        Wiring resolved = wiring.resolve(augmenting.layers(), anchor.numLayers());
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(seed, 0));
        return ComposedModel.builder(anchor)
                .augment(augmenting, resolved, mode)
                .heads(heads == 0 ? anchor.numHeads() : heads)
                .zeroInitOutput(zeroInitOutput)
                .normalize(normalize)
                .positionBias(positionBias)
                .build(manager);
    }
}
