package calm.model;

import calm.io.hf.HfWeights;
import calm.io.hf.TensorMapping;
import calm.model.gpt.GptConfig;
import calm.model.llama.LlamaConfig;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Set;

/**
 * The architecture of a decoder-only language model. Each family has its own record; the JSON
 * form names it in a {@code "family"} field, so a saved model folder says which class reads it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "family")
@JsonSubTypes({
    @JsonSubTypes.Type(value = GptConfig.class, name = "gpt"),
    @JsonSubTypes.Type(value = LlamaConfig.class, name = "llama")
})
public interface ModelConfig {

    /** @return the number of token ids the model reads and predicts */
    int vocabSize();

    /** @return the width of the residual stream, D */
    int hiddenSize();

    /** @return the number of transformer layers, N */
    int numLayers();

    /** @return the number of attention heads */
    int numHeads();

    /** @return the longest sequence (prompt plus generated tokens) the model accepts */
    int contextLength();

    /** Builds an uninitialised model of this architecture. */
    DecoderLM newModel();

    /**
     * @param names the tensor names of a Hugging Face checkpoint of this family
     * @return every mapping from its tensors to this architecture's parameters ({@link HfWeights})
     */
    List<TensorMapping> hfTensors(Set<String> names);

    /**
     * @return whether a Hugging Face checkpoint tensor that no mapping reads is a known
     *     non-parameter (buffers, or an lm_head.weight stored beside tied embeddings) rather than an
     *     unexpected tensor
     */
    boolean hfIgnorable(String name);
}
