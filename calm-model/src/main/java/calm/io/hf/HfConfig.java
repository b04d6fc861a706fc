package calm.io.hf;

import calm.io.TextFiles;
import calm.model.ModelConfig;
import calm.model.gpt.GptConfig;
import calm.model.llama.LlamaConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a Hugging Face {@code config.json} into this project's config of the same architecture.
 *
 * <p>Supported {@code model_type}s: {@code gpt2} (to {@link GptConfig}) and {@code llama},
 * {@code mistral}, {@code qwen2} (to {@link LlamaConfig}). Both the transformers 4.x layout
 * (top-level {@code rope_theta}, optional {@code rope_scaling}, {@code torch_dtype}) and the 5.x
 * layout ({@code rope_parameters}, {@code dtype}) are read. The stored dtype does not matter here:
 * weights are widened to float32 whatever their dtype. Fields the models do not implement (scaled
 * RoPE, sliding-window attention that could take effect, biases other than Qwen2's q/k/v,
 * activations other than SiLU or GELU) are errors naming the file and the field, never silently
 * ignored.
 */
public final class HfConfig {

    /** The model types this reader maps. */
    public static final List<String> MODEL_TYPES = List.of("gpt2", "llama", "mistral", "qwen2");

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfConfig() {}

    /**
     * @param file a config.json
     * @return a {@link GptConfig} or a {@link LlamaConfig}
     * @throws IllegalArgumentException naming the file and field when the config is not supported
     */
    public static ModelConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file (a Hugging Face model folder holds config.json)");
        }
        JsonNode root;
        root = TextFiles.json(file, JSON);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": must be a JSON object");
        }
        Fields fields = new Fields(file, root);
        String modelType = fields.string("model_type");
        try {
            return switch (modelType) {
                case "gpt2" -> gpt2(fields);
                case "llama", "mistral", "qwen2" -> llama(fields, modelType);
                default -> throw new IllegalArgumentException(file + ": field \"model_type\" is \"" + modelType
                        + "\"; supported: " + MODEL_TYPES);
            };
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static GptConfig gpt2(Fields fields) {
        int hidden = fields.integer("n_embd");
        fields.require("scale_attn_weights", true, "attention scores are always scaled by 1/sqrt(head size)");
        fields.require("scale_attn_by_inverse_layer_idx", false, "per-layer score scaling is not implemented");
        fields.require("add_cross_attention", false, "GPT-2 with encoder cross-attention is not a decoder-only model");
        String activation = fields.stringOr("activation_function", "gelu_new");
        GptConfig.Activation mapped = switch (activation) {
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> GptConfig.Activation.GELU_TANH;
            case "gelu" -> GptConfig.Activation.GELU;
            default -> throw fields.unsupported("activation_function",
                    "supported: gelu_new, gelu_pytorch_tanh, gelu_fast (tanh GELU), gelu (exact GELU)");
        };
        return new GptConfig(
                fields.integer("vocab_size"),
                fields.integer("n_positions"),
                hidden,
                fields.integer("n_layer"),
                fields.integer("n_head"),
                fields.integerOr("n_inner", 4 * hidden),
                fields.booleanOr("tie_word_embeddings", true),
                mapped,
                fields.numberOr("layer_norm_epsilon", 1e-5));
    }

    private static LlamaConfig llama(Fields fields, String modelType) {
        String activation = fields.stringOr("hidden_act", "silu");
        if (!activation.equals("silu")) {
            throw fields.unsupported("hidden_act", "the gated MLP is implemented with silu only");
        }
        boolean qkvBias = modelType.equals("qwen2");
        if (!qkvBias) {
            fields.require("attention_bias", false, "biases on the q, k, v and o projections are not implemented");
        }
        fields.require("mlp_bias", false, "MLP biases are not implemented");
        int context = fields.integer("max_position_embeddings");
        if (modelType.equals("mistral")) {
            // Within the window, sliding-window attention is full causal attention: cap the context there.
            int window = fields.integerOr("sliding_window", context);
            context = Math.min(context, window);
        }
        if (modelType.equals("qwen2")) {
            fields.require("use_sliding_window", false, "sliding-window attention is not implemented");
            JsonNode layerTypes = fields.root.get("layer_types");
            if (layerTypes != null && !layerTypes.isNull()) {
                for (JsonNode type : layerTypes) {
                    if (!"full_attention".equals(type.asText())) {
                        throw fields.unsupported("layer_types", "every layer must be full_attention");
                    }
                }
            }
        }
        int hidden = fields.integer("hidden_size");
        int heads = fields.integer("num_attention_heads");
        if (heads <= 0) {
            throw fields.unsupported("num_attention_heads", "must be positive");
        }
        int headSize = fields.integerOr("head_dim", hidden / heads);
        return new LlamaConfig(
                fields.integer("vocab_size"),
                context,
                hidden,
                fields.integer("num_hidden_layers"),
                heads,
                fields.integerOr("num_key_value_heads", heads),
                headSize,
                fields.integer("intermediate_size"),
                ropeTheta(fields),
                fields.numberOr("rms_norm_eps", 1e-6),
                qkvBias,
                fields.booleanOr("tie_word_embeddings", false));
    }

    /** transformers 5: rope_parameters.rope_theta; 4.x: top-level rope_theta and rope_scaling. */
    private static double ropeTheta(Fields fields) {
        JsonNode parameters = fields.root.get("rope_parameters");
        if (parameters != null && !parameters.isNull()) {
            JsonNode type = parameters.get("rope_type");
            if (type != null && !type.isNull() && !type.asText().equals("default")) {
                throw fields.unsupported("rope_parameters", "only rope_type \"default\" (unscaled rotary positions) is implemented");
            }
            JsonNode theta = parameters.get("rope_theta");
            if (theta == null || !theta.isNumber()) {
                throw fields.unsupported("rope_parameters", "it must hold a number rope_theta");
            }
            return theta.doubleValue();
        }
        JsonNode scaling = fields.root.get("rope_scaling");
        if (scaling != null && !scaling.isNull()) {
            JsonNode type = scaling.has("rope_type") ? scaling.get("rope_type") : scaling.get("type");
            if (type == null || !type.asText().equals("default")) {
                throw fields.unsupported("rope_scaling", "only unscaled rotary positions are implemented");
            }
        }
        return fields.numberOr("rope_theta", 10000.0);
    }

    /** Typed access to config fields with errors naming the file and the field. */
    private static final class Fields {
        final Path file;
        final JsonNode root;

        Fields(Path file, JsonNode root) {
            this.file = file;
            this.root = root;
        }

        private JsonNode present(String name) {
            JsonNode node = root.get(name);
            return node == null || node.isNull() ? null : node;
        }

        String string(String name) {
            JsonNode node = present(name);
            if (node == null || !node.isTextual()) {
                throw new IllegalArgumentException(file + ": field \"" + name + "\" must be a string, got " + node);
            }
            return node.textValue();
        }

        String stringOr(String name, String fallback) {
            return present(name) == null ? fallback : string(name);
        }

        int integer(String name) {
            JsonNode node = present(name);
            if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
                throw new IllegalArgumentException(file + ": field \"" + name + "\" must be an integer, got " + node);
            }
            return node.intValue();
        }

        int integerOr(String name, int fallback) {
            return present(name) == null ? fallback : integer(name);
        }

        double numberOr(String name, double fallback) {
            JsonNode node = present(name);
            if (node == null) {
                return fallback;
            }
            if (!node.isNumber()) {
                throw new IllegalArgumentException(file + ": field \"" + name + "\" must be a number, got " + node);
            }
            return node.doubleValue();
        }

        boolean booleanOr(String name, boolean fallback) {
            JsonNode node = present(name);
            if (node == null) {
                return fallback;
            }
            if (!node.isBoolean()) {
                throw new IllegalArgumentException(file + ": field \"" + name + "\" must be true or false, got " + node);
            }
            return node.booleanValue();
        }

        /** Requires a boolean field to be absent or to have the one value the models implement. */
        void require(String name, boolean supported, String why) {
            if (booleanOr(name, supported) != supported) {
                throw unsupported(name, why);
            }
        }

        IllegalArgumentException unsupported(String name, String why) {
            return new IllegalArgumentException(file + ": field \"" + name + "\" = " + root.get(name) + " is not supported: " + why);
        }
    }
}
