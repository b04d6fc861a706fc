package calm.eval.report;

import calm.io.AtomicFiles;
import calm.io.TextFiles;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes and reads {@code results.json}, whose layout docs/results-schema.md describes.
 *
 * <p>Reading is strict, so that a hand-edited or truncated file fails at once with the field that
 * is wrong instead of showing wrong numbers later: every field is required (lists and maps may be
 * empty), unknown fields, nulls, duplicate keys and strings in number fields (or numbers in string
 * fields) are errors, and the records' own checks apply.
 */
public final class ResultsJson {

    /** The conventional file name. */
    public static final String FILE_NAME = "results.json";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, config -> config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private static final Pattern CREATOR_PROPERTY =
            Pattern.compile("(Missing|Null value for) (?:required )?creator property '([^']+)'");

    /** The JSON value Jackson found instead, as its messages name it, and its text if given. */
    private static final Pattern FOUND = Pattern.compile(
            "(String|Integer|Floating-point|Boolean|Array|Object) value( \\((?!token)[^)]*\\))?");
    private static final Map<String, String> FOUND_NAMES = Map.of("String", "a string",
            "Integer", "an integer", "Floating-point", "a fraction", "Boolean", "a boolean",
            "Array", "a list", "Object", "an object");

    private static final Pattern ENUM_CONSTANT =
            Pattern.compile("from String \"(.*)\": not one of the values accepted .*: (\\[.*\\])");

    private ResultsJson() {
    }

    /**
     * Returns the JSON text of results.
     *
     * @param results the results
     * @return indented JSON ending in a newline
     */
    public static String toJson(Results results) {
        try {
            return WRITER.writeValueAsString(results) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("results records always serialise", e);
        }
    }

    /**
     * Writes results atomically: a reader of {@code file} sees the old file or the new one.
     *
     * @param results the results
     * @param file the destination, conventionally {@value #FILE_NAME}; its folder is created
     */
    public static void write(Results results, Path file) throws IOException {
        AtomicFiles.writeString(file, toJson(results));
    }

    /**
     * Reads and validates a results file.
     *
     * @param file a file written by {@link #write}
     * @return the results
     * @throws MalformedResultsException if the file is not valid JSON or breaks the schema; the
     *     exception names the offending field
     */
    public static Results read(Path file) throws IOException {
        String text = TextFiles.read(file); // strict UTF-8: Jackson would guess UTF-32 from the first bytes
        try {
            checkVersion(file, MAPPER.readTree(text));
            return MAPPER.readValue(text, Results.class);
        } catch (JsonProcessingException e) {
            throw malformed(file, e);
        }
    }

    private static void checkVersion(Path file, JsonNode root) throws MalformedResultsException {
        if (root == null || !root.isObject()) {
            String found = root == null || root.isMissingNode()
                    ? "nothing" : root.getNodeType().toString().toLowerCase(Locale.ROOT);
            throw new MalformedResultsException(file, "", "must hold one JSON object, got " + found,
                    null);
        }
        JsonNode version = root.get("schemaVersion");
        if (version == null) {
            throw new MalformedResultsException(file, "schemaVersion", "is missing", null);
        }
        if (!version.isInt()) {
            throw new MalformedResultsException(file, "schemaVersion",
                    "must be an integer, got " + version, null);
        }
        if (version.intValue() != Results.SCHEMA_VERSION) {
            throw new MalformedResultsException(file, "schemaVersion", "is " + version.intValue()
                    + "; this reader reads schemaVersion " + Results.SCHEMA_VERSION, null);
        }
    }

    private static MalformedResultsException malformed(Path file, JsonProcessingException e) {
        String where = at(e.getLocation());
        if (!(e instanceof JsonMappingException mapping)) {
            return new MalformedResultsException(file, "",
                    "is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        String path = path(mapping);
        if (e instanceof ValueInstantiationException instantiation && e.getCause() != null) {
            return rejectedByRecord(file, path, instantiation, where);
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return new MalformedResultsException(file, path, "is not a field of the schema"
                    + where + "; expected one of " + unknown.getKnownPropertyIds(), e);
        }
        String message = e.getOriginalMessage();
        Matcher creator = CREATOR_PROPERTY.matcher(message);
        if (creator.lookingAt()) {
            String problem = creator.group(1).equals("Missing") ? "is missing" : "must not be null";
            // Jackson's path may or may not end at the property already.
            String field = path.equals(creator.group(2)) || path.endsWith("." + creator.group(2))
                    ? path : join(path, creator.group(2));
            return new MalformedResultsException(file, field, problem + where, e);
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = expected(mismatch.getTargetType());
            Matcher found = FOUND.matcher(message);
            if (expected != null && found.find()) {
                return new MalformedResultsException(file, path, "must be " + expected + ", got "
                        + FOUND_NAMES.get(found.group(1))
                        + (found.group(2) == null ? "" : found.group(2)) + where, e);
            }
            Matcher constant = ENUM_CONSTANT.matcher(message);
            if (mismatch.getTargetType().isEnum() && constant.find()) {
                return new MalformedResultsException(file, path, "must be one of "
                        + constant.group(2) + ", got \"" + constant.group(1) + "\"" + where, e);
            }
        }
        return new MalformedResultsException(file, path, message + where, e);
    }

    /**
     * A record's constructor refused a value. {@link InvalidFieldException} names the field; other
     * checks (such as {@link calm.eval.stats.Bootstrap}'s) start their message with it.
     */
    private static MalformedResultsException rejectedByRecord(Path file, String path,
            ValueInstantiationException e, String where) {
        Throwable cause = e.getCause();
        if (cause instanceof InvalidFieldException invalid) {
            return new MalformedResultsException(file, join(path, invalid.field()),
                    invalid.problem() + where, e);
        }
        String message = String.valueOf(cause.getMessage());
        RecordComponent[] components = e.getType().getRawClass().getRecordComponents();
        for (RecordComponent component : components == null ? new RecordComponent[0] : components) {
            if (message.startsWith(component.getName() + " ")) {
                return new MalformedResultsException(file, join(path, component.getName()),
                        message.substring(component.getName().length() + 1) + where, e);
            }
        }
        return new MalformedResultsException(file, path, message + where, e);
    }

    /** What a field of this Java type holds, in the schema document's words. */
    private static String expected(Class<?> type) {
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == int.class || type == long.class || type == Integer.class
                || type == Long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return null;
    }

    /** Renders Jackson's reference chain as {@code results[2].metrics.accuracy}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
