package calm.merge;

import ai.djl.ndarray.types.Shape;
import calm.io.FolderLayout;
import calm.io.hf.Dtype;
import calm.io.hf.SafetensorsCheckpoint;
import calm.io.hf.TensorInfo;
import calm.merge.MergeConfig.Slice;
import calm.merge.MergeConfig.SliceSource;
import calm.train.config.ConfigException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every output tensor of a merge, worked out and checked before any byte is written: which input
 * tensors it reads, its shape and dtype, and every parameter's value for it. So a missing weight,
 * a mismatched shape or a model outside the vocabulary fails at once, naming the tensor, and
 * never half-way through the output.
 *
 * <p>Layer tensors are recognised by their names ({@code model.layers.3.}, {@code transformer.h.3.}
 * or this project's {@code layers.3.}). Tensors outside the layers (embeddings, final norm,
 * output head) are merged across the first slice's models (embeddings) or the last slice's (the
 * rest), with gradients read at position 0, as mergekit does.
 */
final class MergePlan implements AutoCloseable {

    /**
     * One input model.
     *
     * @param reference the folder as the config writes it
     * @param folder the folder
     * @param layout this project's or Hugging Face's
     * @param config its config.json
     * @param weights its safetensors
     * @param layers its number of layers
     */
    record Input(String reference, Path folder, FolderLayout layout, ObjectNode config, SafetensorsCheckpoint weights, int layers) {
        String architecture() {
            return config.path(layout == FolderLayout.PROJECT ? "family" : "model_type").asText("?");
        }

        long vocabulary() {
            return config.path(layout == FolderLayout.PROJECT ? "vocabSize" : "vocab_size").asLong(-1);
        }

        TensorInfo tensor(String name) {
            return weights.fileOf(name).tensor(name);
        }
    }

    /**
     * One output tensor.
     *
     * @param name its name in the output
     * @param shape its shape
     * @param dtype its dtype in the output
     * @param base the base model's input tensor, or null
     * @param models the other inputs, in config order
     * @param modelParameters each of those models' per-model parameters
     * @param parameters the whole merge's parameters for this tensor
     * @param seed the seed of random drops for this tensor
     */
    record Output(String name, Shape shape, Dtype dtype, Part base, List<Part> models, List<Map<String, Object>> modelParameters,
            Map<String, Object> parameters, long seed) {
        long bytes() {
            return shape.size() * dtype.size();
        }

        /** @return whether the tensor is copied byte for byte (integer buffers) rather than merged */
        boolean copied() {
            return !dtype.widensToFloat32();
        }
    }

    /** One input tensor: a model and the tensor's name there. */
    record Part(Input model, String tensor) {
        TensorInfo info() {
            return model.tensor(tensor);
        }
    }

    /** A layer tensor's name: prefix, layer index, rest. */
    private static final Pattern LAYER = Pattern.compile("^((?:.*\\.)?(?:h|layers)\\.)(\\d+)(\\..+)$");
    /** Tensors outside the layers that come before them: read from the first slice's models. */
    private static final Pattern EMBEDDING = Pattern.compile("(^|\\.)(wte|wpe|embed_tokens|embed_positions|word_embeddings|tok_embeddings)\\.");
    private static final List<String> LAYER_COUNTS = List.of("numLayers", "num_hidden_layers", "n_layer");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MergeConfig config;
    private final List<Input> inputs;
    private final List<Output> outputs;
    private final Input reference;
    private final int outputLayers;

    private MergePlan(MergeConfig config, List<Input> inputs, List<Output> outputs, Input reference, int outputLayers) {
        this.config = config;
        this.inputs = inputs;
        this.outputs = outputs;
        this.reference = reference;
        this.outputLayers = outputLayers;
    }

    /**
     * Opens every model the config names and plans the output.
     *
     * @param seed the seed of random drops (the config's random_seed unless the command line overrides it)
     * @throws ConfigException naming the file, line and field when the config does not fit the models
     * @throws IllegalArgumentException naming the tensor and both shapes when the models do not fit each other
     */
    static MergePlan of(MergeConfig config, long seed) throws IOException {
        Map<String, Input> opened = new LinkedHashMap<>();
        try {
            if (config.baseModel() != null) {
                open(config, config.baseModel(), "/base_model", opened);
            }
            for (Slice slice : config.slices()) {
                for (SliceSource source : slice.sources()) {
                    open(config, source.model(), source.pointer() + "/model", opened);
                }
            }
            List<Input> inputs = new ArrayList<>(opened.values());
            checkCompatible(inputs);
            return plan(config, opened, inputs, seed);
        } catch (RuntimeException | IOException e) {
            for (Input input : opened.values()) {
                input.weights().close();
            }
            throw e;
        }
    }

    /** @return the output tensors, in the order they are written */
    List<Output> outputs() {
        return outputs;
    }

    /** @return every model read */
    List<Input> inputs() {
        return inputs;
    }

    /** @return the model whose config.json, layout and tokenizer the output takes: the base, or the first model */
    Input reference() {
        return reference;
    }

    /** @return the output's config.json: the reference's, with the output's layer count and dtype */
    ObjectNode outputConfig() {
        ObjectNode out = reference.config().deepCopy();
        for (String field : LAYER_COUNTS) {
            if (out.has(field)) {
                out.put(field, outputLayers);
            }
        }
        if (config.dtype() != null && reference.layout() == FolderLayout.HUGGING_FACE) {
            for (String field : List.of("torch_dtype", "dtype")) {
                if (out.has(field)) {
                    out.put(field, config.dtype());
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        for (Input input : inputs) {
            input.weights().close();
        }
    }

    private static void open(MergeConfig config, String reference, String pointer, Map<String, Input> opened) throws IOException {
        if (opened.containsKey(key(reference))) {
            return;
        }
        Path folder = Path.of(reference);
        if (!Files.isDirectory(folder)) {
            throw new ConfigException(config.at(pointer) + ": " + reference + " is not a folder (calm merge reads model folders "
                    + "on this machine: this project's or Hugging Face's layout)");
        }
        FolderLayout layout;
        try {
            layout = FolderLayout.detect(folder);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(config.at(pointer) + ": " + e.getMessage(), e);
        }
        ObjectNode json = (ObjectNode) JSON.readTree(folder.resolve("config.json").toFile());
        int layers = -1;
        for (String field : LAYER_COUNTS) {
            if (json.path(field).canConvertToInt() && json.path(field).isIntegralNumber()) {
                layers = json.get(field).intValue();
            }
        }
        if (layers < 1) {
            throw new ConfigException(config.at(pointer) + ": " + folder.resolve("config.json") + " gives no layer count (one of "
                    + LAYER_COUNTS + ")");
        }
        opened.put(key(reference), new Input(reference, folder, layout, json, SafetensorsCheckpoint.open(folder), layers));
    }

    /** @return a folder's key: "a/b/" and "a/./b" name one model */
    private static String key(String reference) {
        return Path.of(reference).normalize().toString();
    }

    private static void checkCompatible(List<Input> inputs) {
        Input first = inputs.get(0);
        for (Input other : inputs.subList(1, inputs.size())) {
            if (other.layout() != first.layout() || !other.architecture().equals(first.architecture())) {
                throw new IllegalArgumentException(first.reference() + " is a " + first.architecture() + " model ("
                        + first.layout().description() + ") but " + other.reference() + " is a " + other.architecture()
                        + " model (" + other.layout().description() + "): merging needs models of one architecture");
            }
            if (other.vocabulary() != first.vocabulary()) {
                throw new IllegalArgumentException("vocabularies differ: " + first.reference() + " has " + first.vocabulary()
                        + " tokens, " + other.reference() + " has " + other.vocabulary()
                        + "; merging needs models that share one tokenizer");
            }
        }
    }

    private static MergePlan plan(MergeConfig config, Map<String, Input> opened, List<Input> inputs, long seed) {
        MergeMethod method = config.method();
        Input base = config.baseModel() == null ? null : opened.get(key(config.baseModel()));
        if (method.needsBase() && base == null) {
            throw new ConfigException(config.at("") + ": merge_method " + method.configName() + " needs base_model (the model "
                    + "every task vector starts from)");
        }
        List<Slice> slices = config.slices();
        List<int[]> ranges = new ArrayList<>();
        for (Slice slice : slices) {
            ranges.add(checkSlice(config, slice, opened, base));
        }
        Input reference = base != null ? base : opened.get(key(slices.get(0).sources().get(0).model()));
        if (reference.layout() == FolderLayout.PROJECT && config.dtype() != null && !config.dtype().equals("float32")) {
            throw new ConfigException(config.at("/out_dtype") + ": this project's model folders hold float32 weights; "
                    + "out_dtype must be float32 (or left out) when merging them");
        }
        Set<String> layerNames = new TreeSet<>();
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        for (String name : reference.weights().names()) {
            Matcher layer = LAYER.matcher(name);
            if (layer.matches()) {
                layerNames.add(layer.group(1) + "{}" + layer.group(3));
            } else if (EMBEDDING.matcher(name).find()) {
                before.add(name);
            } else {
                after.add(name);
            }
        }
        checkSameTensors(reference, inputs);
        List<Output> outputs = new ArrayList<>();
        Planner planner = new Planner(config, opened, base, seed);
        for (String name : before) {
            outputs.add(planner.output(name, slices.get(0), null, 0, 0));
        }
        int offset = 0;
        for (int s = 0; s < slices.size(); s++) {
            int length = ranges.get(s)[1];
            for (int index = 0; index < length; index++) {
                double t = length > 1 ? (double) index / (length - 1) : 1;
                for (String pattern : layerNames) {
                    String outputName = pattern.replace("{}", Integer.toString(offset + index));
                    outputs.add(planner.output(outputName, slices.get(s), pattern, index, t));
                }
            }
            offset += length;
        }
        for (String name : after) {
            outputs.add(planner.output(name, slices.get(slices.size() - 1), null, 0, 0));
        }
        return new MergePlan(config, inputs, outputs, reference, offset);
    }

    /** @return {first layer of the first source, number of layers} after checking the slice */
    private static int[] checkSlice(MergeConfig config, Slice slice, Map<String, Input> opened, Input base) {
        MergeMethod method = config.method();
        String where = config.at(slice.pointer().isEmpty() ? "/models" : slice.pointer());
        List<SliceSource> sources = slice.sources();
        int length = -1;
        for (SliceSource source : sources) {
            Input model = opened.get(key(source.model()));
            int[] range = source.layerRange() == null ? new int[] {0, model.layers()} : source.layerRange();
            if (range[1] > model.layers()) {
                throw new ConfigException(config.at(source.pointer() + "/layer_range") + ": layer_range [" + range[0] + ", " + range[1]
                        + "] reaches past " + source.model() + ", which has " + model.layers() + " layers");
            }
            if (length >= 0 && range[1] - range[0] != length) {
                throw new ConfigException(where + ": " + (config.modelsForm()
                        ? "the models have different numbers of layers (" + describeLayers(sources, opened) + "); merge ranges of "
                                + "layers with slices"
                        : "every source of a slice must give as many layers; " + source.model() + " gives " + (range[1] - range[0])
                                + ", the first " + length));
            }
            length = range[1] - range[0];
        }
        long others = sources.stream().filter(s -> base == null || !opened.get(key(s.model())).equals(base)).count();
        boolean baseListed = base != null && sources.stream().anyMatch(s -> opened.get(key(s.model())).equals(base));
        switch (method) {
            case LINEAR -> {
                if (base != null && !baseListed) {
                    throw new ConfigException(where + ": linear averages the listed models; base_model " + base.reference()
                            + " is not among them: list it with a weight, or leave base_model out");
                }
            }
            case PASSTHROUGH -> {
                if (sources.size() != 1) {
                    throw new ConfigException(where + ": passthrough copies one model per slice; this one lists " + sources.size());
                }
            }
            case SLERP -> {
                requireBase(config, where, base, baseListed);
                if (others != 1) {
                    throw new ConfigException(where + ": slerp interpolates between base_model and exactly one other model; found "
                            + others + " others");
                }
            }
            case MODEL_STOCK -> {
                requireBase(config, where, base, baseListed);
                if (others < 2) {
                    throw new ConfigException(where + ": model_stock needs at least two models besides base_model; found " + others);
                }
            }
            default -> {
                requireBase(config, where, base, baseListed);
                if (others < 1) {
                    throw new ConfigException(where + ": " + method.configName() + " needs at least one model besides base_model");
                }
            }
        }
        return new int[] {0, length};
    }

    private static void requireBase(MergeConfig config, String where, Input base, boolean listed) {
        if (!config.modelsForm() && !listed) {
            throw new ConfigException(where + ": " + config.method().configName() + " needs base_model " + base.reference()
                    + " among this slice's sources");
        }
    }

    private static String describeLayers(List<SliceSource> sources, Map<String, Input> opened) {
        List<String> parts = new ArrayList<>();
        for (SliceSource source : sources) {
            parts.add(source.model() + ": " + opened.get(key(source.model())).layers());
        }
        return String.join(", ", parts);
    }

    /** Models of one architecture hold the same tensors outside the layers and the same per-layer ones. */
    private static void checkSameTensors(Input reference, List<Input> inputs) {
        Set<String> expected = kinds(reference);
        for (Input input : inputs) {
            Set<String> kinds = kinds(input);
            if (!kinds.equals(expected)) {
                Set<String> missing = new TreeSet<>(expected);
                missing.removeAll(kinds);
                Set<String> extra = new TreeSet<>(kinds);
                extra.removeAll(expected);
                throw new IllegalArgumentException(input.reference() + " does not hold the tensors " + reference.reference() + " holds"
                        + (missing.isEmpty() ? "" : "; missing: " + first(missing)) + (extra.isEmpty() ? "" : "; extra: " + first(extra))
                        + " (layer index written as {}): merging needs models of one architecture");
            }
        }
    }

    private static Set<String> kinds(Input input) {
        Set<String> kinds = new TreeSet<>();
        for (String name : input.weights().names()) {
            Matcher layer = LAYER.matcher(name);
            kinds.add(layer.matches() ? layer.group(1) + "{}" + layer.group(3) : name);
        }
        return kinds;
    }

    private static String first(Set<String> names) {
        List<String> shown = names.stream().limit(5).toList();
        return shown + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
    }

    /** Works out one output tensor: its inputs, shape, dtype and parameters. */
    private record Planner(MergeConfig config, Map<String, Input> opened, Input base, long seed) {

        Output output(String name, Slice slice, String layerPattern, int index, double t) {
            MergeMethod method = config.method();
            Part baseInput = null;
            List<Part> models = new ArrayList<>();
            List<SliceSource> modelSources = new ArrayList<>();
            for (SliceSource source : slice.sources()) {
                Input model = opened.get(key(source.model()));
                String tensor = layerPattern == null ? name
                        : layerPattern.replace("{}", Integer.toString((source.layerRange() == null ? 0 : source.layerRange()[0]) + index));
                Part part = new Part(model, tensor);
                if (method.needsBase() && model.equals(base)) {
                    baseInput = part;
                } else {
                    models.add(part);
                    modelSources.add(source);
                }
            }
            if (method.needsBase() && baseInput == null) {
                // The models form need not list the base: mergekit adds it.
                String tensor = layerPattern == null ? name : layerPattern.replace("{}", Integer.toString(index));
                baseInput = new Part(base, tensor);
            }
            Part reference = baseInput != null ? baseInput : models.get(0);
            TensorInfo info = reference.info();
            for (Part part : models) {
                TensorInfo other = part.info();
                if (!other.shape().equals(info.shape())) {
                    throw new IllegalArgumentException("tensor " + part.tensor() + ": shape " + info.shape() + " in "
                            + reference.model().reference() + " (" + reference.tensor() + ") but " + other.shape() + " in "
                            + part.model().reference() + ": the models do not have one architecture");
                }
                if (other.dtype().widensToFloat32() != info.dtype().widensToFloat32()) {
                    throw new IllegalArgumentException("tensor " + part.tensor() + ": dtype " + info.dtype() + " in "
                            + reference.model().reference() + " but " + other.dtype() + " in " + part.model().reference());
                }
            }
            Dtype dtype = !info.dtype().widensToFloat32() || config.dtype() == null ? info.dtype() : switch (config.dtype()) {
                case "float16" -> Dtype.F16;
                case "bfloat16" -> Dtype.BF16;
                default -> Dtype.F32;
            };
            Map<String, Object> parameters = new LinkedHashMap<>();
            for (ParameterDef def : method.parameters()) {
                if (!def.perModel()) {
                    parameters.put(def.name(), value(def, name, t, null, slice));
                }
            }
            List<Map<String, Object>> modelParameters = new ArrayList<>();
            for (SliceSource source : modelSources) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (ParameterDef def : method.parameters()) {
                    if (def.perModel()) {
                        values.put(def.name(), value(def, name, t, source, slice));
                    }
                }
                modelParameters.add(values);
            }
            if (method == MergeMethod.LINEAR && (Boolean) parameters.get("normalize")) {
                double sum = modelParameters.stream().mapToDouble(p -> (Double) p.get("weight")).sum();
                if (Math.abs(sum) < 1e-12) {
                    throw new ConfigException(config.at(slice.pointer()) + ": linear: the weights of tensor " + name
                            + " sum to 0, so normalize (the default) would divide by 0; change a weight or set normalize: false");
                }
            }
            long tensorSeed = Sparsifier.mix(seed * 0x9E3779B97F4A7C15L + name.hashCode());
            return new Output(name, info.shape(), dtype, baseInput, models, modelParameters, parameters, tensorSeed);
        }

        /** The value in the source, then the slice, then the global parameters, then the default. */
        private Object value(ParameterDef def, String tensor, double t, SliceSource source, Slice slice) {
            List<Map<String, Setting>> levels = new ArrayList<>();
            if (source != null) {
                levels.add(source.parameters());
            }
            levels.add(slice.parameters());
            levels.add(config.parameters());
            for (Map<String, Setting> level : levels) {
                Setting setting = level.get(def.name());
                Object value = setting == null ? null : setting.evaluate(tensor, t);
                if (value != null) {
                    return value;
                }
            }
            if (def.defaultValue() != null) {
                return def.defaultValue();
            }
            String who = source == null ? "" : " for " + source.model();
            throw new ConfigException(config.at(source == null ? slice.pointer() : source.pointer()) + ": " + config.method().configName()
                    + " needs " + def.name() + who + " at tensor " + tensor + "; write it under "
                    + (source == null ? "parameters" : "the model's parameters or the global parameters")
                    + " (a filter list that matches no tensor name gives no value)");
        }
    }
}
