package calm.model.gpt;

import calm.io.hf.HfWeights;
import calm.io.hf.TensorMapping;
import calm.model.DecoderLM;
import calm.model.ModelConfig;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Set;

/**
 * A GPT-2-style decoder: pre-LayerNorm blocks, causal multi-head self-attention with one fused
 * QKV projection, a GELU MLP, learned absolute positions and a tied or untied output embedding.
 *
 * @param vocabSize token ids in [0, vocabSize)
 * @param contextLength number of learned positions, the longest sequence the model reads
 * @param hiddenSize residual width D (a multiple of numHeads)
 * @param numLayers transformer blocks N
 * @param numHeads attention heads
 * @param mlpSize inner width of the MLP (GPT-2 uses 4 D)
 * @param tiedEmbeddings whether the output projection reuses the token embedding
 * @param activation the MLP non-linearity (default, when null: exact GELU)
 * @param layerNormEpsilon epsilon of every LayerNorm
 */
public record GptConfig(
        int vocabSize,
        int contextLength,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int mlpSize,
        boolean tiedEmbeddings,
        Activation activation,
        double layerNormEpsilon)
        implements ModelConfig {

    /** The MLP non-linearity: exact (erf) GELU, or GPT-2's tanh approximation. */
    public enum Activation {
        /** 0.5 x (1 + erf(x / sqrt 2)). */
        GELU,
        /** 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), GPT-2's "gelu_new". */
        GELU_TANH
    }

    /** Validates every field; an invalid value is an error naming the field and what is allowed. */
    public GptConfig {
        positive("vocabSize", vocabSize);
        positive("contextLength", contextLength);
        positive("hiddenSize", hiddenSize);
        positive("numLayers", numLayers);
        positive("numHeads", numHeads);
        positive("mlpSize", mlpSize);
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException(
                    "hiddenSize (" + hiddenSize + ") must be a multiple of numHeads (" + numHeads + ")");
        }
        if (activation == null) {
            activation = Activation.GELU;
        }
        if (!(layerNormEpsilon > 0 && layerNormEpsilon < 1)) {
            throw new IllegalArgumentException(
                    "layerNormEpsilon must be in (0, 1), got " + layerNormEpsilon);
        }
    }

    /**
     * A GPT-2-shaped config with the project's defaults: MLP 4 D, tied embeddings, exact GELU (one
     * fused kernel, faster on CPU than GPT-2's tanh approximation, which loaded GPT-2 checkpoints
     * use), epsilon 1e-5.
     */
    public static GptConfig of(int vocabSize, int contextLength, int hiddenSize, int numLayers, int numHeads) {
        return new GptConfig(vocabSize, contextLength, hiddenSize, numLayers, numHeads,
                4 * hiddenSize, true, Activation.GELU, 1e-5);
    }

    /** @return the width of one attention head */
    @JsonIgnore
    public int headSize() {
        return hiddenSize / numHeads;
    }

    @Override
    public List<TensorMapping> hfTensors(Set<String> names) {
        return HfWeights.gpt2(this, names);
    }

    @Override
    public boolean hfIgnorable(String name) {
        return HfWeights.gpt2Ignorable(this, name);
    }

    @Override
    @JsonIgnore
    public DecoderLM newModel() {
        return new Gpt(this);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be a positive integer, got " + value);
        }
    }
}
