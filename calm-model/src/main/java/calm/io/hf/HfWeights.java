package calm.io.hf;

import ai.djl.ndarray.types.Shape;
import calm.model.gpt.GptConfig;
import calm.model.llama.LlamaConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The explicit maps from Hugging Face checkpoint tensors to this project's parameters, one function
 * per family, naming every tensor, its shape and every transpose.
 */
public final class HfWeights {

    /** GPT-2's causal-mask buffers, saved by some checkpoints; they are not parameters. */
    private static final Pattern GPT2_BUFFERS = Pattern.compile("(transformer\\.)?h\\.\\d+\\.attn\\.(bias|masked_bias)");
    /** Rotary inverse frequencies, saved by old Llama checkpoints; recomputed from rope_theta. */
    private static final Pattern LLAMA_BUFFERS = Pattern.compile("model\\.layers\\.\\d+\\.self_attn\\.rotary_emb\\.inv_freq");
    private static final String LM_HEAD = "lm_head.weight";

    private HfWeights() {}

    /**
     * GPT-2's mappings for a checkpoint.
     *
     * @param names the checkpoint's tensor names (GPT-2 checkpoints come with and without the
     *     {@code transformer.} prefix)
     */
    public static List<TensorMapping> gpt2(GptConfig config, Set<String> names) {
        return gpt2(config, names.contains("wte.weight") && !names.contains("transformer.wte.weight") ? "" : "transformer.");
    }

    /**
     * @return whether a GPT-2 checkpoint tensor that no mapping reads is a known non-parameter: a
     *     causal-mask buffer, or an lm_head.weight stored beside tied embeddings
     */
    public static boolean gpt2Ignorable(GptConfig config, String name) {
        return name.equals(LM_HEAD) ? config.tiedEmbeddings() : GPT2_BUFFERS.matcher(name).matches();
    }

    /**
     * @return whether a Llama checkpoint tensor that no mapping reads is a known non-parameter: a
     *     rotary buffer, or an lm_head.weight stored beside tied embeddings
     */
    public static boolean llamaIgnorable(LlamaConfig config, String name) {
        return name.equals(LM_HEAD) ? config.tiedEmbeddings() : LLAMA_BUFFERS.matcher(name).matches();
    }

    /**
     * GPT-2 ({@code GPT2LMHeadModel}). Its Conv1D layers store weights as [in, out] and compute
     * x W + b, so every projection is transposed into our [out, in]. c_attn's output columns are
     * Q, K, V in that order, the order of our fused qkv rows, so its transpose is our qkv as is.
     *
     * @param prefix "transformer." or "" (the original OpenAI checkpoints)
     */
    public static List<TensorMapping> gpt2(GptConfig config, String prefix) {
        long d = config.hiddenSize();
        long m = config.mlpSize();
        List<TensorMapping> maps = new ArrayList<>();
        maps.add(TensorMapping.copy(prefix + "wte.weight", new Shape(config.vocabSize(), d), "wte.weight"));
        maps.add(TensorMapping.copy(prefix + "wpe.weight", new Shape(config.contextLength(), d), "wpe.weight"));
        for (int i = 0; i < config.numLayers(); i++) {
            String hf = prefix + "h." + i + ".";
            String ours = "layers." + i + ".";
            maps.add(TensorMapping.copy(hf + "ln_1.weight", new Shape(d), ours + "ln1.weight"));
            maps.add(TensorMapping.copy(hf + "ln_1.bias", new Shape(d), ours + "ln1.bias"));
            maps.add(TensorMapping.transpose(hf + "attn.c_attn.weight", new Shape(d, 3 * d), ours + "attn.qkv.weight"));
            maps.add(TensorMapping.copy(hf + "attn.c_attn.bias", new Shape(3 * d), ours + "attn.qkv.bias"));
            maps.add(TensorMapping.transpose(hf + "attn.c_proj.weight", new Shape(d, d), ours + "attn.proj.weight"));
            maps.add(TensorMapping.copy(hf + "attn.c_proj.bias", new Shape(d), ours + "attn.proj.bias"));
            maps.add(TensorMapping.copy(hf + "ln_2.weight", new Shape(d), ours + "ln2.weight"));
            maps.add(TensorMapping.copy(hf + "ln_2.bias", new Shape(d), ours + "ln2.bias"));
            maps.add(TensorMapping.transpose(hf + "mlp.c_fc.weight", new Shape(d, m), ours + "mlp.fc.weight"));
            maps.add(TensorMapping.copy(hf + "mlp.c_fc.bias", new Shape(m), ours + "mlp.fc.bias"));
            maps.add(TensorMapping.transpose(hf + "mlp.c_proj.weight", new Shape(m, d), ours + "mlp.proj.weight"));
            maps.add(TensorMapping.copy(hf + "mlp.c_proj.bias", new Shape(d), ours + "mlp.proj.bias"));
        }
        maps.add(TensorMapping.copy(prefix + "ln_f.weight", new Shape(d), "lnf.weight"));
        maps.add(TensorMapping.copy(prefix + "ln_f.bias", new Shape(d), "lnf.bias"));
        if (!config.tiedEmbeddings()) {
            maps.add(TensorMapping.copy(LM_HEAD, new Shape(config.vocabSize(), d), "head.weight"));
        }
        return maps;
    }

    /**
     * Llama, Mistral and Qwen2 ({@code *ForCausalLM}): nn.Linear weights [out, in] as ours. q_proj,
     * k_proj and v_proj (and Qwen2's biases) fill the rows of our fused qkv in that order.
     */
    public static List<TensorMapping> llama(LlamaConfig config) {
        long d = config.hiddenSize();
        long m = config.mlpSize();
        long q = (long) config.numHeads() * config.headSize();
        long kv = (long) config.numKeyValueHeads() * config.headSize();
        List<TensorMapping> maps = new ArrayList<>();
        maps.add(TensorMapping.copy("model.embed_tokens.weight", new Shape(config.vocabSize(), d), "embed.weight"));
        for (int i = 0; i < config.numLayers(); i++) {
            String hf = "model.layers." + i + ".";
            String ours = "layers." + i + ".";
            maps.add(TensorMapping.copy(hf + "input_layernorm.weight", new Shape(d), ours + "norm1.weight"));
            maps.add(TensorMapping.rows(hf + "self_attn.q_proj.weight", new Shape(q, d), ours + "attn.qkv.weight", 0));
            maps.add(TensorMapping.rows(hf + "self_attn.k_proj.weight", new Shape(kv, d), ours + "attn.qkv.weight", q));
            maps.add(TensorMapping.rows(hf + "self_attn.v_proj.weight", new Shape(kv, d), ours + "attn.qkv.weight", q + kv));
            if (config.qkvBias()) {
                maps.add(TensorMapping.rows(hf + "self_attn.q_proj.bias", new Shape(q), ours + "attn.qkv.bias", 0));
                maps.add(TensorMapping.rows(hf + "self_attn.k_proj.bias", new Shape(kv), ours + "attn.qkv.bias", q));
                maps.add(TensorMapping.rows(hf + "self_attn.v_proj.bias", new Shape(kv), ours + "attn.qkv.bias", q + kv));
            }
            maps.add(TensorMapping.copy(hf + "self_attn.o_proj.weight", new Shape(d, q), ours + "attn.proj.weight"));
            maps.add(TensorMapping.copy(hf + "post_attention_layernorm.weight", new Shape(d), ours + "norm2.weight"));
            maps.add(TensorMapping.copy(hf + "mlp.gate_proj.weight", new Shape(m, d), ours + "mlp.gate.weight"));
            maps.add(TensorMapping.copy(hf + "mlp.up_proj.weight", new Shape(m, d), ours + "mlp.up.weight"));
            maps.add(TensorMapping.copy(hf + "mlp.down_proj.weight", new Shape(d, m), ours + "mlp.down.weight"));
        }
        maps.add(TensorMapping.copy("model.norm.weight", new Shape(d), "norm.weight"));
        if (!config.tiedEmbeddings()) {
            maps.add(TensorMapping.copy(LM_HEAD, new Shape(config.vocabSize(), d), "head.weight"));
        }
        return maps;
    }
}
