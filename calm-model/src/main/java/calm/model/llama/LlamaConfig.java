package calm.model.llama;

import calm.io.hf.HfWeights;
import calm.io.hf.TensorMapping;
import calm.model.DecoderLM;
import calm.model.ModelConfig;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Set;

/**
 * A Llama-family decoder (Llama, Mistral, Qwen2): pre-RMSNorm blocks, rotary positions,
 * grouped-query attention and a SwiGLU MLP, with a tied or untied output embedding.
 *
 * @param vocabSize token ids in [0, vocabSize)
 * @param contextLength the longest sequence the model reads
 * @param hiddenSize residual width D
 * @param numLayers transformer blocks N
 * @param numHeads query heads H
 * @param numKeyValueHeads key/value heads (a divisor of H; H for plain multi-head attention): query
 *     head h reads key/value head h / (H / numKeyValueHeads)
 * @param headSize width of one head, even (usually D / H; Hugging Face's head_dim)
 * @param mlpSize inner width of the SwiGLU MLP
 * @param ropeTheta the base of the rotary frequencies, theta^(-2j / headSize)
 * @param rmsNormEpsilon epsilon of every RMSNorm
 * @param qkvBias whether the query, key and value projections have biases (Qwen2)
 * @param tiedEmbeddings whether the output projection reuses the token embedding
 */
public record LlamaConfig(
        int vocabSize,
        int contextLength,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKeyValueHeads,
        int headSize,
        int mlpSize,
        double ropeTheta,
        double rmsNormEpsilon,
        boolean qkvBias,
        boolean tiedEmbeddings)
        implements ModelConfig {

    /** Validates every field; an invalid value is an error naming the field and what is allowed. */
    public LlamaConfig {
        positive("vocabSize", vocabSize);
        positive("contextLength", contextLength);
        positive("hiddenSize", hiddenSize);
        positive("numLayers", numLayers);
        positive("numHeads", numHeads);
        positive("numKeyValueHeads", numKeyValueHeads);
        positive("headSize", headSize);
        positive("mlpSize", mlpSize);
        if (numHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException(
                    "numHeads (" + numHeads + ") must be a multiple of numKeyValueHeads (" + numKeyValueHeads + ")");
        }
        if (headSize % 2 != 0) {
            throw new IllegalArgumentException("headSize must be even (rotary positions rotate pairs), got " + headSize);
        }
        if (!(ropeTheta > 1) || Double.isInfinite(ropeTheta)) {
            throw new IllegalArgumentException("ropeTheta must be a finite number > 1, got " + ropeTheta);
        }
        if (!(rmsNormEpsilon > 0 && rmsNormEpsilon < 1)) {
            throw new IllegalArgumentException("rmsNormEpsilon must be in (0, 1), got " + rmsNormEpsilon);
        }
    }

    /**
     * A Llama-shaped config with the usual defaults: head size D / H, MLP 3 D, theta 10000,
     * epsilon 1e-6, no biases, untied output embedding.
     */
    public static LlamaConfig of(int vocabSize, int contextLength, int hiddenSize, int numLayers, int numHeads, int numKeyValueHeads) {
        if (numHeads <= 0 || hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException(
                    "hiddenSize (" + hiddenSize + ") must be a multiple of numHeads (" + numHeads + ")");
        }
        return new LlamaConfig(vocabSize, contextLength, hiddenSize, numLayers, numHeads, numKeyValueHeads,
                hiddenSize / numHeads, 3 * hiddenSize, 10000, 1e-6, false, false);
    }

    @Override
    public List<TensorMapping> hfTensors(Set<String> names) {
        return HfWeights.llama(this);
    }

    @Override
    public boolean hfIgnorable(String name) {
        return HfWeights.llamaIgnorable(this, name);
    }

    @Override
    @JsonIgnore
    public DecoderLM newModel() {
        return new Llama(this);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be a positive integer, got " + value);
        }
    }
}
