package calm.train.config;

import calm.compose.Augmentation;
import calm.compose.CrossAttention;
import calm.compose.SourceLayers;
import calm.model.gpt.GptConfig;
import calm.train.Provenance;
import calm.train.TrainingConfig;
import calm.train.experiment.ExperimentData;
import calm.train.experiment.ExperimentKind;
import calm.train.experiment.ExperimentKinds;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads an experiment's YAML file into an {@link ExperimentConfig}, or a composition of two
 * existing model folders into a {@link FolderCompositionConfig} ({@link #namesModelFolders} tells
 * the two apart; both share the composition and training sections).
 *
 * <p>The file's fields are laid over {@link ExperimentConfig#defaults}, so a file names only what it
 * changes, and the result is bound strictly: an unknown field, a value of the wrong type (no
 * quoted numbers, no 1.5 for an integer, no empty values), a value out of range or a wiring that
 * does not fit the models is a {@link ConfigException} naming the file, the line, the field and
 * what is allowed.
 */
public final class ConfigLoader {

    private static final YAMLMapper YAML = strictMapper();
    private static final Pattern LEADING_FIELD = Pattern.compile("^([a-zA-Z][a-zA-Z0-9]*)\\b");

    private ConfigLoader() {}

    /**
     * Reads a config file.
     *
     * @throws ConfigException when the file is missing or its content is not a valid config
     */
    public static LoadedConfig read(Path file) {
        return parse(file.toString(), nameOf(file.getFileName().toString()), readText(file));
    }

    /**
     * Refuses a config file with nothing in it but blank lines and comments: every field has a
     * default, so it would start the full default experiment (hours) into {@code runs/NAME} without
     * the user having chosen anything.
     */
    private static void requireContent(Path file, String text) {
        JsonNode written;
        try {
            written = YAML.readTree(text);
        } catch (IOException e) {
            return; // parse() names the syntax error with its line.
        }
        if (written == null || written.isMissingNode() || written.isNull() || (written.isObject() && written.isEmpty())) {
            throw new ConfigException(file + ": the config is empty (nothing but blank lines and comments); it must name "
                    + "at least its experiment, e.g. `experiment: kv-arithmetic` (configs/ has one per experiment; every "
                    + "field is in docs/configs.md)");
        }
    }

    /**
     * Reads the config of a composition of two existing model folders ({@code models.a.folder},
     * {@code models.b.folder}, JSON Lines data).
     *
     * @throws ConfigException when the file is missing or its content is not a valid config
     */
    public static LoadedFolderConfig readFolderComposition(Path file) {
        return parseFolderComposition(file.toString(), nameOf(file.getFileName().toString()), readText(file));
    }

    /**
     * @return whether a config names its base models by folder ({@code models.a.folder} or
     *     {@code models.b.folder}), so that {@link #readFolderComposition} reads it; false also when
     *     the file cannot be read or parsed (then {@link #read} reports why)
     */
    public static boolean namesModelFolders(Path file) {
        try {
            JsonNode models = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8)).path("models");
            return models.path("a").has("folder") || models.path("b").has("folder");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String readText(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": no such config file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException(file + ": not a config: the file is not UTF-8 text (a binary file?); a config is a "
                    + "YAML file such as configs/kv-arithmetic.yaml", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the config file: " + e.getMessage(), e);
        }
        requireContent(file, text);
        return text;
    }

    /**
     * Reads a config from the class path, e.g. the built-in demo.
     *
     * @param resource an absolute resource name such as {@code /calm/demo.yaml}
     */
    public static LoadedConfig readResource(String resource) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException(resource + ": no such resource");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parse("classpath:" + resource, nameOf(resource.substring(resource.lastIndexOf('/') + 1)), text);
        } catch (IOException e) {
            throw new ConfigException(resource + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a config's text.
     *
     * @param source named in error messages
     * @param name the experiment's name, giving the default output folder {@code runs/<name>}
     * @param text the YAML
     */
    public static LoadedConfig parse(String source, String name, String text) {
        Yaml yaml = parseYaml(source, text);
        for (String role : List.of("a", "b")) {
            if (yaml.written().path("models").path(role).has("folder")) {
                int line = yaml.lines().lineOf("/models/" + role + "/folder");
                throw new ConfigException(source + (line > 0 ? ":" + line : "") + ": models." + role + ".folder: names an "
                        + "existing model folder, which only `calm compose` reads; this command needs models.a and models.b "
                        + "as architecture and training");
            }
        }
        ExperimentKind kind = kindOf(source, yaml);
        ObjectNode defaults = YAML.valueToTree(kind.defaults(name));
        rejectUnknownFields(source, yaml.lines(), defaults, yaml.written(), "");
        ObjectNode merged = merge(defaults, yaml.written());
        defaultMlpSizes(merged, yaml.written());
        defaultEncoderAblation(merged, yaml.written());
        ExperimentConfig config = bind(source, yaml.lines(), merged, ExperimentConfig.class, kind.dataType());
        LoadedConfig loaded = new LoadedConfig(config, source, name, text, Provenance.sha256(text), yaml.lines());
        validate(loaded, kind);
        kind.validate(loaded);
        return loaded;
    }

    /**
     * Parses the text of a folder composition's config. Its composition and training sections are
     * those of {@link #parse} with the same defaults; {@code data} and {@code models} take file and
     * folder names.
     *
     * @param source named in error messages
     * @param name the configuration's name, giving the default output folder {@code runs/<name>}
     * @param text the YAML
     */
    public static LoadedFolderConfig parseFolderComposition(String source, String name, String text) {
        Yaml yaml = parseYaml(source, text);
        ObjectNode defaults = YAML.createObjectNode();
        defaults.putObject("data").putNull("train").putNull("validation");
        ObjectNode models = defaults.putObject("models");
        models.putObject("a").putNull("folder");
        models.putObject("b").putNull("folder");
        defaults.set("composition", YAML.valueToTree(CompositionConfig.defaults()));
        defaults.set("training", YAML.valueToTree(TrainingConfig.defaults()));
        defaults.put("output", "runs/" + name);
        rejectUnknownFields(source, yaml.lines(), defaults, yaml.written(), "");
        ObjectNode merged = merge(defaults, yaml.written());
        ObjectNode shared = YAML.createObjectNode();
        shared.set("composition", merged.get("composition"));
        shared.set("training", merged.get("training"));
        SharedSections sections = bind(source, yaml.lines(), shared, SharedSections.class);
        Map.Entry<String, String> pretrainingOnly = pretrainingOnly(sections.training());
        if (pretrainingOnly != null) {
            int line = yaml.lines().lineOf("/training/" + pretrainingOnly.getKey());
            throw new ConfigException(source + (line > 0 ? ":" + line : "") + ": training." + pretrainingOnly.getKey() + ": "
                    + pretrainingOnly.getValue());
        }
        String train = text(source, yaml.lines(), merged, "data.train", "the JSON Lines file of training examples");
        String validation = yaml.written().path("data").has("validation")
                ? text(source, yaml.lines(), merged, "data.validation", "a JSON Lines file, or leave the field out") : null;
        String a = text(source, yaml.lines(), merged, "models.a.folder", "the folder of m_A, the augmenting model");
        String b = text(source, yaml.lines(), merged, "models.b.folder", "the folder of m_B, the anchor");
        String output = text(source, yaml.lines(), merged, "output", "a folder");
        FolderCompositionConfig config = new FolderCompositionConfig(new FolderCompositionConfig.Data(train, validation),
                new FolderCompositionConfig.Models(new FolderCompositionConfig.Model(a), new FolderCompositionConfig.Model(b)),
                sections.composition(), sections.training(), output);
        return new LoadedFolderConfig(config, source, name, text, Provenance.sha256(text), yaml.lines());
    }

    /** The sections a folder composition shares with the key-value experiment, bound together. */
    record SharedSections(CompositionConfig composition, TrainingConfig training) {}

    /**
     * The top-level {@code training} section trains compositions and the baselines beside them,
     * which take no pretraining-only setting.
     *
     * @return the first such setting that is not its default and what is wrong, or null
     */
    private static Map.Entry<String, String> pretrainingOnly(TrainingConfig training) {
        if (training.predictTokens() != 1) {
            return Map.entry("predictTokens", "must be 1: this section trains compositions and the baselines beside them, "
                    + "which predict the next token only; multi-token prediction is for pretraining "
                    + "(models.a.training, models.b.training), got " + training.predictTokens());
        }
        if (training.positionShift() != 0) {
            return Map.entry("positionShift", "must be 0: this section trains compositions and the baselines beside them, "
                    + "which read every sequence from position 0; random start positions are for pretraining "
                    + "(models.a.training, models.b.training), got " + training.positionShift());
        }
        return null;
    }

    /** The kind of experiment a config names in its {@code experiment} field ({@link ExperimentKinds#DEFAULT} when none). */
    private static ExperimentKind kindOf(String source, Yaml yaml) {
        JsonNode written = yaml.written().get("experiment");
        if (written == null) {
            return ExperimentKinds.of(ExperimentKinds.DEFAULT);
        }
        int line = yaml.lines().lineOf("/experiment");
        String at = source + (line > 0 ? ":" + line : "") + ": experiment: ";
        if (!written.isTextual()) {
            throw new ConfigException(at + "expected the name of an experiment, got " + describe(written));
        }
        try {
            return ExperimentKinds.of(written.textValue());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + e.getMessage(), e);
        }
    }

    /** A config's text as a tree of written fields, and the line of each. */
    private record Yaml(ObjectNode written, YamlLines lines) {}

    private static Yaml parseYaml(String source, String text) {
        YamlLines lines;
        JsonNode written;
        try {
            lines = YamlLines.scan(text);
            written = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(YamlLines.syntaxError(source, e), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
        }
        if (written == null || written.isMissingNode() || written.isNull()) {
            written = YAML.createObjectNode();
        }
        if (!written.isObject()) {
            throw new ConfigException(source + ":1: the top level must be sections of key: value pairs "
                    + "(experiment, data, models, composition, training, selection, baselines, ablations, variants, merging, evaluation, "
                    + "execution, output)");
        }
        return new Yaml((ObjectNode) written, lines);
    }

    private static <T> T bind(String source, YamlLines lines, ObjectNode merged, Class<T> type) {
        return bind(source, lines, merged, type, null);
    }

    /** Binds a tree; {@code dataType} is the record an experiment's {@code data} section binds to. */
    private static <T> T bind(String source, YamlLines lines, ObjectNode merged, Class<T> type,
            Class<? extends ExperimentData> dataType) {
        try {
            return YAML.readerFor(type).withAttribute(ExperimentDataReader.TYPE, dataType).readValue(merged);
        } catch (JsonProcessingException e) {
            throw translate(source, lines, merged, e);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    /** Reads a field that names a file or folder: required, non-empty text. */
    private static String text(String source, YamlLines lines, JsonNode merged, String field, String what) {
        String pointer = "/" + field.replace('.', '/');
        JsonNode node = merged.at(pointer);
        int line = lines.lineOf(pointer);
        String at = source + (line > 0 ? ":" + line : "") + ": " + field + ": ";
        if (node.isMissingNode() || (node.isNull() && !lines.writes(pointer))) {
            throw new ConfigException(at + "required: " + what);
        }
        if (!node.isTextual()) {
            throw new ConfigException(at + "expected text (" + what + "), got " + describe(node));
        }
        if (node.textValue().isBlank()) {
            throw new ConfigException(at + "expected " + what + ", got empty text");
        }
        return node.textValue();
    }

    /** Checks what no single section can: vocabulary, wiring and heads against the models. */
    private static void validate(LoadedConfig loaded, ExperimentKind kind) {
        ExperimentConfig config = loaded.config();
        int vocabulary = kind.vocabulary().size();
        for (String role : List.of("a", "b")) {
            GptConfig architecture = (role.equals("a") ? config.models().a() : config.models().b()).architecture();
            if (architecture.vocabSize() != vocabulary) {
                throw loaded.error("models." + role + ".architecture.vocabSize",
                        "must be " + vocabulary + ", the size of the " + kind.name() + " experiment's vocabulary, got " + architecture.vocabSize());
            }
        }
        Map.Entry<String, String> pretrainingOnly = pretrainingOnly(config.training());
        if (pretrainingOnly != null) {
            throw loaded.error("training." + pretrainingOnly.getKey(), pretrainingOnly.getValue());
        }
        GptConfig a = config.models().a().architecture();
        GptConfig b = config.models().b().architecture();
        try {
            config.composition().predictionsFromToken(kind.vocabulary());
        } catch (IllegalArgumentException e) {
            throw loaded.error("composition.predictionsFrom", "'" + config.composition().predictionsFrom()
                    + "' is not a token of the " + kind.name() + " experiment's vocabulary");
        }
        // Reading predictions, m_A is seen as a model of one layer more, whose layer L + 1 is what it predicts.
        try {
            config.composition().wiring().resolve(config.composition().layers(a.numLayers()), b.numLayers());
        } catch (IllegalArgumentException e) {
            throw loaded.error("composition.wiring", e.getMessage() + " (m_A has " + a.numLayers()
                    + " layers, m_B " + b.numLayers() + "; layer 0 is the embeddings)");
        }
        int heads = config.composition().heads();
        if (heads > 0) {
            try {
                CrossAttention.checkHeads(heads, b.hiddenSize());
            } catch (IllegalArgumentException e) {
                throw loaded.error("composition.heads", e.getMessage() + " (or 0 for the anchor's " + b.numHeads() + " heads)");
            }
        }
        if (config.ablations().vanillaAugmenting() && config.ablations().vanillaData() == AblationsConfig.VanillaData.ANCHOR
                && !a.equals(b)) {
            throw loaded.error("ablations.vanillaData", "ANCHOR composes m_B as the vanilla m_A, so models.a.architecture "
                    + "and models.b.architecture must be equal; they are " + a + " and " + b
                    + " (or use OTHER_KEYS or NUMERIC_ARITHMETIC)");
        }
        if (config.composition().mode() == Augmentation.Mode.ENCODER && config.ablations().encoderAugmenting()) {
            throw loaded.error("ablations.encoderAugmenting", "must be false when composition.mode is ENCODER: the "
                    + "ablation composes m_A as an encoder, which is then CALM itself");
        }
        validateVariants(loaded, kind, a, b);
        if (config.merging().enabled() && !kind.trainsMerges()) {
            throw loaded.error("merging.enabled", "the " + kind.name() + " experiment has no merges or ensembles yet (the "
                    + "key-value experiment has); leave merging out");
        }
    }

    /** The further CALM rows: an experiment that trains them, a reading that differs from CALM's, new seeds. */
    private static void validateVariants(LoadedConfig loaded, ExperimentKind kind, GptConfig a, GptConfig b) {
        VariantsConfig variants = loaded.config().variants();
        if (!variants.any()) {
            return;
        }
        if (!kind.trainsVariants()) {
            throw loaded.error("variants", "the " + kind.name() + " experiment trains no further CALM rows yet (the "
                    + "key-value experiment does); leave layerOutputs and seeds out");
        }
        if (variants.layerOutputs()) {
            if (loaded.config().composition().reads() != CompositionConfig.Reads.PREDICTIONS) {
                throw loaded.error("variants.layerOutputs", "trains the paper's reading beside one that reads m_A's "
                        + "predictions; with composition.reads STATES it is CALM itself: leave it out");
            }
            try {
                variants.layerOutputsWiring().resolve(SourceLayers.outputs(a.numLayers()), b.numLayers());
            } catch (IllegalArgumentException e) {
                throw loaded.error("variants.layerOutputsWiring", e.getMessage() + " (m_A has " + a.numLayers()
                        + " layers, m_B " + b.numLayers() + "; layer 0 is the embeddings)");
            }
        }
        if (variants.seeds().contains(loaded.config().training().seed())) {
            throw loaded.error("variants.seeds", "must not repeat training.seed " + loaded.config().training().seed()
                    + ", the seed CALM itself trains with; got " + variants.seeds());
        }
    }

    private static ConfigException translate(String source, YamlLines lines, JsonNode merged, JsonProcessingException e) {
        List<JsonMappingException.Reference> path = e instanceof JsonMappingException mapping ? mapping.getPath() : List.of();
        String field = dotted(path);
        String problem;
        if (e instanceof UnrecognizedPropertyException unknown) {
            String section = dotted(path.subList(0, path.size() - 1));
            problem = "unknown field '" + unknown.getPropertyName() + "' in " + (section.isEmpty() ? "the top level" : section)
                    + "; allowed: " + unknown.getKnownPropertyIds().stream().map(Object::toString)
                            .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(", "));
        } else if (e instanceof InvalidTypeIdException typeId) {
            field = field.isEmpty() ? "family" : field + ".family";
            problem = "unknown model family '" + typeId.getTypeId() + "'; allowed: gpt";
        } else if (e instanceof ValueInstantiationException instantiation) {
            Throwable cause = instantiation.getCause() != null ? instantiation.getCause() : instantiation;
            problem = cause.getMessage();
            Matcher leading = LEADING_FIELD.matcher(problem == null ? "" : problem);
            JsonNode section = nodeAt(merged, path);
            if (leading.find() && section != null && section.has(leading.group(1))) {
                String culprit = leading.group(1);
                field = field.isEmpty() ? culprit : field + "." + culprit;
                if (!lines.writes("/" + pointerOf(path) + "/" + culprit)) {
                    problem += " (" + culprit + " is not in the file: " + section.get(culprit) + " is its default)";
                }
            }
        } else if (e instanceof MismatchedInputException mismatch) {
            problem = "expected " + expected(mismatch.getTargetType()) + ", got " + describe(nodeAt(merged, path));
        } else {
            problem = e.getOriginalMessage();
        }
        String pointer = "/" + pointerOf(path);
        int line = lines.lineOf(field.isEmpty() ? pointer : "/" + field.replace('.', '/').replaceAll("\\[(\\d+)]", "/$1"));
        return new ConfigException(source + (line > 0 ? ":" + line : "") + ": " + (field.isEmpty() ? "" : field + ": ") + problem, e);
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a section of key: value pairs";
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isNull()) {
            return "an empty value";
        }
        if (node.isTextual()) {
            return "the text \"" + node.asText() + "\"";
        }
        if (node.isNumber()) {
            return "the number " + node.asText();
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        if (node.isArray()) {
            return "a list";
        }
        return "a section";
    }

    private static JsonNode nodeAt(JsonNode root, List<JsonMappingException.Reference> path) {
        JsonNode node = root;
        for (JsonMappingException.Reference reference : path) {
            if (node == null) {
                return null;
            }
            node = reference.getFieldName() != null ? node.get(reference.getFieldName()) : node.get(reference.getIndex());
        }
        return node;
    }

    private static String dotted(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String pointerOf(List<JsonMappingException.Reference> path) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference reference : path) {
            parts.add(reference.getFieldName() != null ? reference.getFieldName() : String.valueOf(reference.getIndex()));
        }
        return String.join("/", parts);
    }

    /**
     * Every section's fields are those of its defaults. Checked before binding, because a record is
     * built (and range-checked) before its unknown fields are reported.
     */
    private static void rejectUnknownFields(String source, YamlLines lines, ObjectNode defaults, ObjectNode written, String path) {
        Iterator<Map.Entry<String, JsonNode>> fields = written.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode known = defaults.get(field.getKey());
            if (known == null) {
                List<String> allowed = new ArrayList<>();
                defaults.fieldNames().forEachRemaining(allowed::add);
                int line = lines.lineOf("/" + at.replace('.', '/'));
                throw new ConfigException(source + (line > 0 ? ":" + line : "") + ": " + at + ": unknown field '"
                        + field.getKey() + "' in " + (path.isEmpty() ? "the top level" : path) + "; allowed: "
                        + String.join(", ", allowed) + (path.isEmpty() && field.getKey().equals("merge_method")
                                ? " (this is a merge config: run it with `calm merge " + source + " --output FOLDER`)" : ""));
            }
            if (known instanceof ObjectNode section && field.getValue() instanceof ObjectNode nested) {
                rejectUnknownFields(source, lines, section, nested, at);
            }
        }
    }

    /** Lays the written fields over the defaults: sections merge, anything else replaces. */
    private static ObjectNode merge(ObjectNode defaults, ObjectNode written) {
        ObjectNode merged = defaults.deepCopy();
        written.fields().forEachRemaining(field -> {
            JsonNode current = merged.get(field.getKey());
            if (current instanceof ObjectNode section && field.getValue() instanceof ObjectNode overrides) {
                merged.set(field.getKey(), merge(section, overrides));
            } else {
                merged.set(field.getKey(), field.getValue());
            }
        });
        return merged;
    }

    /** An architecture that sets hiddenSize but not mlpSize gets mlpSize = 4 hiddenSize, GPT-2's ratio. */
    private static void defaultMlpSizes(ObjectNode merged, ObjectNode written) {
        for (String role : List.of("a", "b")) {
            JsonNode writtenArchitecture = written.path("models").path(role).path("architecture");
            JsonNode architecture = merged.path("models").path(role).path("architecture");
            if (writtenArchitecture.isObject() && !writtenArchitecture.has("mlpSize")
                    && architecture instanceof ObjectNode section && section.path("hiddenSize").isInt()) {
                section.put("mlpSize", 4 * section.get("hiddenSize").asInt());
            }
        }
    }

    /**
     * When CALM itself reads m_A as an encoder, the encoder ablation would be CALM again: unless the
     * file writes {@code ablations.encoderAugmenting}, it defaults to false then.
     */
    private static void defaultEncoderAblation(ObjectNode merged, ObjectNode written) {
        boolean encoder = merged.path("composition").path("mode").asText().equalsIgnoreCase(Augmentation.Mode.ENCODER.name());
        if (encoder && !written.path("ablations").has("encoderAugmenting")
                && merged.path("ablations") instanceof ObjectNode ablations) {
            ablations.put("encoderAugmenting", false);
        }
    }

    private static String nameOf(String fileName) {
        return fileName.replaceFirst("\\.(yaml|yml)$", "");
    }

    private static YAMLMapper strictMapper() {
        YAMLMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        for (LogicalType type : List.of(LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer || type == LogicalType.Float
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        return mapper;
    }
}
