package calm.merge;

import calm.train.config.ConfigException;
import calm.train.config.YamlLines;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A merge config in mergekit's YAML schema, for the subset {@code calm merge} implements:
 *
 * <pre>
 * merge_method: ties            # one of MergeMethod's names
 * base_model: path/to/base      # for methods that need one
 * models:                       # or slices (below), not both
 *   - model: path/to/one
 *     parameters: {weight: 0.5, density: 0.5}
 * parameters: {normalize: true} # the whole merge's, and defaults for every model's
 * dtype: float32                # float32, float16 or bfloat16: the output's dtype when out_dtype is absent
 * out_dtype: bfloat16
 * tokenizer_source: base        # the only source supported: the base (or first) model's tokenizer files
 * random_seed: 0                # this project's addition: the seed of DARE's drops
 * </pre>
 *
 * or, to merge or stack ranges of layers:
 *
 * <pre>
 * slices:
 *   - sources:
 *       - {model: a, layer_range: [0, 2]}
 *       - {model: b, layer_range: [0, 2]}
 *     parameters: {t: [0, 1]}   # this slice's
 * </pre>
 *
 * A parameter may be a scalar, a gradient list or a filter list ({@link Setting}). A value is
 * looked up in the slice's source, then the slice, then the models entry, then the global
 * parameters, then the method's default, as mergekit does. Unknown fields, methods and parameters
 * are errors that name the file, the line, the field and what is supported.
 *
 * @param source the config's path, as given
 * @param text the config's exact text
 * @param method the merge method
 * @param baseModel the base model's folder, or null
 * @param slices the output's slices; the models form is one slice over every layer (layer ranges null)
 * @param modelsForm whether the config listed models rather than slices
 * @param parameters the global parameters
 * @param dtype the output dtype ("float32", "float16", "bfloat16"), or null to keep each tensor's
 * @param randomSeed the seed of random drops
 * @param lines the line of each field, for errors found later
 */
public record MergeConfig(
        String source,
        String text,
        MergeMethod method,
        String baseModel,
        List<Slice> slices,
        boolean modelsForm,
        Map<String, Setting> parameters,
        String dtype,
        long randomSeed,
        YamlLines lines) {

    /**
     * One output slice: the same number of layers from each source.
     *
     * @param sources the models and their layer ranges
     * @param parameters this slice's parameters
     * @param pointer the slice's JSON pointer in the config, for errors
     */
    public record Slice(List<SliceSource> sources, Map<String, Setting> parameters, String pointer) {}

    /**
     * One model's layers in a slice.
     *
     * @param model the model's folder, as written
     * @param layerRange [first, end) of its layers; null for all of them (the models form)
     * @param parameters its per-model parameters
     * @param pointer its JSON pointer in the config, for errors
     */
    public record SliceSource(String model, int[] layerRange, Map<String, Setting> parameters, String pointer) {}

    /** The output dtypes a config may name, as torch names them. */
    public static final List<String> DTYPES = List.of("float32", "float16", "bfloat16");
    private static final List<String> FIELDS = List.of("merge_method", "base_model", "models", "slices", "parameters",
            "dtype", "out_dtype", "tokenizer_source", "random_seed");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Reads and checks a config file.
     *
     * @throws ConfigException naming the file, the line and the field
     */
    public static MergeConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such file (a merge config: docs/merging.md)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not a UTF-8 text file (a merge config is YAML)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    /** Parses a config's text; {@code source} names it in errors. */
    public static MergeConfig parse(String source, String text) {
        JsonNode root;
        YamlLines lines;
        try {
            lines = YamlLines.scan(text);
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(YamlLines.syntaxError(source, e), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
        }
        return new Parser(source, text, lines).config(root);
    }

    /** @return the line of a JSON pointer's field, as "file:line" */
    String at(String pointer) {
        return at(source, lines, pointer);
    }

    private static String at(String source, YamlLines lines, String pointer) {
        int line = lines.lineOf(pointer);
        return source + (line > 0 ? ":" + line : "");
    }

    /** Reads the tree into a config, failing at the first problem. */
    private record Parser(String source, String text, YamlLines lines) {

        MergeConfig config(JsonNode root) {
            if (root == null || root.isMissingNode() || root.isNull() || (root.isObject() && root.isEmpty())) {
                throw new ConfigException(source + ": the config is empty; a merge config needs merge_method and models "
                        + "(or slices), see docs/merging.md");
            }
            if (!root.isObject()) {
                throw new ConfigException(source + ":1: the top level must be key: value pairs (" + String.join(", ", FIELDS) + ")");
            }
            unknownFields(root, "", FIELDS, "");
            MergeMethod method = method(root);
            String base = optionalText(root, "/base_model");
            Map<String, Setting> parameters = parameters(root.get("parameters"), "/parameters", method, false);
            boolean hasModels = root.has("models");
            boolean hasSlices = root.has("slices");
            if (hasModels == hasSlices) {
                throw new ConfigException(at("") + ": write either models (merge whole models) or slices (merge or stack "
                        + "ranges of layers), " + (hasModels ? "not both" : "found neither"));
            }
            List<Slice> slices = hasModels ? List.of(modelsSlice(root.get("models"), method)) : slices(root.get("slices"), method);
            String dtype = dtype(root, "/out_dtype");
            if (dtype == null) {
                dtype = dtype(root, "/dtype");
            }
            String tokenizer = optionalText(root, "/tokenizer_source");
            if (tokenizer != null && !tokenizer.equals("base")) {
                throw new ConfigException(at("/tokenizer_source") + ": tokenizer_source: \"" + tokenizer + "\" is not supported; "
                        + "supported: base (the base model's tokenizer files, or the first model's without a base); "
                        + "models must share one vocabulary");
            }
            long seed = 0;
            JsonNode seedNode = root.get("random_seed");
            if (seedNode != null) {
                if (!seedNode.isIntegralNumber() || !seedNode.canConvertToLong()) {
                    throw new ConfigException(at("/random_seed") + ": random_seed must be an integer, got " + seedNode);
                }
                seed = seedNode.longValue();
            }
            return new MergeConfig(source, text, method, base, slices, hasModels, parameters, dtype, seed, lines);
        }

        private MergeMethod method(JsonNode root) {
            String name = optionalText(root, "/merge_method");
            if (name == null) {
                throw new ConfigException(at("") + ": merge_method is missing; supported: " + String.join(", ", MergeMethod.names()));
            }
            MergeMethod method = MergeMethod.named(name);
            if (method == null) {
                throw new ConfigException(at("/merge_method") + ": merge_method: \"" + name + "\" is not supported; supported: "
                        + String.join(", ", MergeMethod.names()));
            }
            return method;
        }

        private Slice modelsSlice(JsonNode models, MergeMethod method) {
            if (!models.isArray() || models.isEmpty()) {
                throw new ConfigException(at("/models") + ": models must be a list of {model, parameters}");
            }
            List<SliceSource> sources = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                String pointer = "/models/" + i;
                JsonNode entry = models.get(i);
                if (entry.isTextual()) {
                    sources.add(new SliceSource(entry.textValue(), null, Map.of(), pointer));
                    continue;
                }
                if (!entry.isObject()) {
                    throw new ConfigException(at(pointer) + ": models[" + i + "] must be {model: FOLDER, parameters: {...}}");
                }
                unknownFields(entry, pointer, List.of("model", "parameters"), "models[" + i + "].");
                String model = requiredText(entry, pointer + "/model", "models[" + i + "].model");
                sources.add(new SliceSource(model, null, parameters(entry.get("parameters"), pointer + "/parameters", method, true), pointer));
            }
            return new Slice(sources, Map.of(), "");
        }

        private List<Slice> slices(JsonNode slices, MergeMethod method) {
            if (!slices.isArray() || slices.isEmpty()) {
                throw new ConfigException(at("/slices") + ": slices must be a list of {sources: [...], parameters: {...}}");
            }
            List<Slice> result = new ArrayList<>();
            for (int s = 0; s < slices.size(); s++) {
                String pointer = "/slices/" + s;
                String name = "slices[" + s + "]";
                JsonNode slice = slices.get(s);
                if (!slice.isObject()) {
                    throw new ConfigException(at(pointer) + ": " + name + " must be {sources: [...], parameters: {...}}");
                }
                unknownFields(slice, pointer, List.of("sources", "parameters"), name + ".");
                JsonNode sources = slice.get("sources");
                if (sources == null || !sources.isArray() || sources.isEmpty()) {
                    throw new ConfigException(at(pointer) + ": " + name + ".sources must be a non-empty list of {model, layer_range}");
                }
                List<SliceSource> parsed = new ArrayList<>();
                for (int i = 0; i < sources.size(); i++) {
                    String at = pointer + "/sources/" + i;
                    String field = name + ".sources[" + i + "]";
                    JsonNode entry = sources.get(i);
                    if (!entry.isObject()) {
                        throw new ConfigException(at(at) + ": " + field + " must be {model: FOLDER, layer_range: [FIRST, END]}");
                    }
                    unknownFields(entry, at, List.of("model", "layer_range", "parameters"), field + ".");
                    String model = requiredText(entry, at + "/model", field + ".model");
                    parsed.add(new SliceSource(model, layerRange(entry.get("layer_range"), at + "/layer_range", field),
                            parameters(entry.get("parameters"), at + "/parameters", method, true), at));
                }
                result.add(new Slice(parsed, parameters(slice.get("parameters"), pointer + "/parameters", method, false), pointer));
            }
            return result;
        }

        private int[] layerRange(JsonNode node, String pointer, String field) {
            if (node == null || !node.isArray() || node.size() != 2 || !node.get(0).canConvertToInt() || !node.get(1).canConvertToInt()
                    || !node.get(0).isIntegralNumber() || !node.get(1).isIntegralNumber()
                    || node.get(0).intValue() < 0 || node.get(1).intValue() <= node.get(0).intValue()) {
                throw new ConfigException(at(pointer) + ": " + field + ".layer_range must be [FIRST, END] with 0 <= FIRST < END "
                        + "(END not included), got " + node);
            }
            return new int[] {node.get(0).intValue(), node.get(1).intValue()};
        }

        /**
         * @param perModel whether these are a model's parameters (only per-model names allowed) or
         *     a slice's or the whole merge's (both kinds: per-model ones are defaults for every model)
         */
        private Map<String, Setting> parameters(JsonNode node, String pointer, MergeMethod method, boolean perModel) {
            if (node == null || node.isNull()) {
                return Map.of();
            }
            if (!node.isObject()) {
                throw new ConfigException(at(pointer) + ": parameters must be name: value pairs");
            }
            Map<String, Setting> parameters = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                String at = pointer + "/" + name;
                ParameterDef def = method.parameter(name);
                if (def == null || (perModel && !def.perModel())) {
                    List<String> allowed = perModel ? method.parameterNames(true)
                            : method.parameters().stream().map(ParameterDef::name).toList();
                    String kind = perModel ? "per-model parameter" : "parameter";
                    throw new ConfigException(at(at) + ": " + name + " is not a " + kind + " of " + method.configName()
                            + (def != null ? " (it is one value for the whole merge: write it under the top-level parameters)" : "")
                            + "; supported: " + (allowed.isEmpty() ? "none" : String.join(", ", allowed)));
                }
                Setting setting = setting(field.getValue(), at, name);
                checkValues(setting, def, at, name);
                parameters.put(name, setting);
            }
            return parameters;
        }

        private Setting setting(JsonNode node, String pointer, String name) {
            if (node.isArray()) {
                if (node.isEmpty()) {
                    throw new ConfigException(at(pointer) + ": " + name + ": an empty list has no value");
                }
                if (node.get(0).isObject()) {
                    List<Setting.Conditional> entries = new ArrayList<>();
                    for (int i = 0; i < node.size(); i++) {
                        JsonNode entry = node.get(i);
                        String at = pointer + "/" + i;
                        if (!entry.isObject() || !entry.has("value")) {
                            throw new ConfigException(at(at) + ": " + name + "[" + i + "] must be {filter: NAME PART, value: VALUE} "
                                    + "(filter left out: every tensor)");
                        }
                        unknownFields(entry, at, List.of("filter", "value"), name + "[" + i + "].");
                        JsonNode filter = entry.get("filter");
                        if (filter != null && !filter.isTextual()) {
                            throw new ConfigException(at(at + "/filter") + ": " + name + "[" + i + "].filter must be text, got " + filter);
                        }
                        JsonNode value = entry.get("value");
                        if (value.isArray() && value.size() > 0 && value.get(0).isObject()) {
                            throw new ConfigException(at(at + "/value") + ": " + name + "[" + i + "].value must be a value or a gradient list");
                        }
                        entries.add(new Setting.Conditional(filter == null ? null : filter.textValue(), setting(value, at + "/value", name)));
                    }
                    return new Setting.Filtered(entries);
                }
                double[] values = new double[node.size()];
                for (int i = 0; i < node.size(); i++) {
                    if (!node.get(i).isNumber()) {
                        throw new ConfigException(at(pointer + "/" + i) + ": " + name + "[" + i + "]: a gradient holds numbers, got "
                                + node.get(i));
                    }
                    values[i] = node.get(i).doubleValue();
                }
                return new Setting.Gradient(values);
            }
            if (node.isNumber()) {
                return new Setting.Scalar(node.doubleValue());
            }
            if (node.isBoolean()) {
                return new Setting.Scalar(node.booleanValue());
            }
            if (node.isTextual()) {
                return new Setting.Scalar(node.textValue());
            }
            throw new ConfigException(at(pointer) + ": " + name + " must be a value, a gradient list or a filter list, got " + node);
        }

        /** Checks every value a setting can give, so that a bad density fails before any tensor is read. */
        private void checkValues(Setting setting, ParameterDef def, String pointer, String name) {
            if (setting instanceof Setting.Scalar scalar) {
                fail(def.problem(scalar.value()), pointer, name);
            } else if (setting instanceof Setting.Gradient gradient) {
                for (double value : gradient.values()) {
                    fail(def.problem(value), pointer, name);
                }
            } else if (setting instanceof Setting.Filtered filtered) {
                for (int i = 0; i < filtered.entries().size(); i++) {
                    checkValues(filtered.entries().get(i).value(), def, pointer + "/" + i + "/value", name);
                }
            }
        }

        private void fail(String problem, String pointer, String name) {
            if (problem != null) {
                throw new ConfigException(at(pointer) + ": " + name + " " + problem);
            }
        }

        private String dtype(JsonNode root, String pointer) {
            String dtype = optionalText(root, pointer);
            if (dtype != null && !DTYPES.contains(dtype)) {
                throw new ConfigException(at(pointer) + ": " + pointer.substring(1) + ": \"" + dtype + "\" is not supported; supported: "
                        + String.join(", ", DTYPES));
            }
            return dtype;
        }

        private void unknownFields(JsonNode node, String pointer, List<String> allowed, String prefix) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    throw new ConfigException(at(pointer + "/" + name) + ": " + prefix + name + " is not a field of a merge config here; "
                            + "supported: " + String.join(", ", allowed));
                }
            }
        }

        private String optionalText(JsonNode root, String pointer) {
            JsonNode node = root.at(pointer);
            if (node.isMissingNode() || node.isNull()) {
                return null;
            }
            if (!node.isTextual() || node.textValue().isBlank()) {
                throw new ConfigException(at(pointer) + ": " + pointer.substring(1) + " must be text, got " + node);
            }
            return node.textValue();
        }

        private String requiredText(JsonNode node, String pointer, String field) {
            JsonNode value = node.get(pointer.substring(pointer.lastIndexOf('/') + 1));
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                throw new ConfigException(at(pointer) + ": " + field + " must name a model folder");
            }
            return value.textValue();
        }

        private String at(String pointer) {
            return MergeConfig.at(source, lines, pointer);
        }
    }
}
