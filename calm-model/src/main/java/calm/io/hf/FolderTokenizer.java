package calm.io.hf;

import calm.io.TextFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text side of a model folder: its {@code tokenizer.json} and the stop token its configs name.
 * A prompt is encoded with the tokenizer's special tokens (for example Llama's BOS), a completion
 * without them and followed by the stop token, so that a model learns to end there and generation
 * stops there.
 *
 * <p>The stop token is the first of: {@code eos_token_id} of {@code config.json}, {@code eos_token_id}
 * of {@code generation_config.json}, the id of {@code eos_token} of {@code tokenizer_config.json}
 * (a list of ids counts by its first). A folder naming none has no stop token.
 */
public final class FolderTokenizer implements AutoCloseable {

    /** The generation settings file of a Hugging Face folder. */
    public static final String GENERATION_CONFIG = "generation_config.json";
    /** The tokenizer settings file of a Hugging Face folder. */
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Runtime settings of a tokenizer.json, not part of what it does to text (and turned off here). */
    private static final List<String> RUNTIME_SETTINGS = List.of("version", "truncation", "padding");

    private final Path file;
    private final HfTokenizer tokenizer;
    private final int size;
    private final int stopToken;
    private final String stopTokenSource;

    private FolderTokenizer(Path file, HfTokenizer tokenizer, int size, int stopToken, String stopTokenSource) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.size = size;
        this.stopToken = stopToken;
        this.stopTokenSource = stopTokenSource;
    }

    /** @return whether the folder has a tokenizer.json */
    public static boolean present(Path folder) {
        return Files.isRegularFile(folder.resolve(HfFolder.TOKENIZER));
    }

    /**
     * Reads a folder's tokenizer.json and finds its stop token.
     *
     * @throws IllegalArgumentException naming the file when tokenizer.json is absent or unreadable,
     *     or a config names a stop token the tokenizer does not have
     */
    public static FolderTokenizer open(Path folder) throws IOException {
        Path file = folder.resolve(HfFolder.TOKENIZER);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(folder + " has no " + HfFolder.TOKENIZER);
        }
        JsonNode json = readJson(file);
        int size = size(file, json);
        HfTokenizer tokenizer = HfTokenizer.load(file);
        try {
            int stop = -1;
            String source = "none";
            for (String config : List.of(HfFolder.CONFIG, GENERATION_CONFIG)) {
                Path path = folder.resolve(config);
                JsonNode id = Files.isRegularFile(path) ? firstOf(readJson(path).get("eos_token_id")) : null;
                if (id != null) {
                    if (!id.canConvertToInt() || !id.isIntegralNumber() || id.intValue() < 0 || id.intValue() >= size) {
                        throw new IllegalArgumentException(path + ": field \"eos_token_id\" = " + id + " is not a token id of "
                                + file + " (0 to " + (size - 1) + ")");
                    }
                    stop = id.intValue();
                    source = config + " \"eos_token_id\"";
                    break;
                }
            }
            Path tokenizerConfig = folder.resolve(TOKENIZER_CONFIG);
            if (stop < 0 && Files.isRegularFile(tokenizerConfig)) {
                JsonNode eos = readJson(tokenizerConfig).get("eos_token");
                String content = eos == null ? null : eos.isTextual() ? eos.textValue() : eos.path("content").textValue();
                if (content != null) {
                    stop = idOf(json, content).orElseThrow(() -> new IllegalArgumentException(tokenizerConfig
                            + ": field \"eos_token\" is \"" + content + "\", which " + file + " does not have"));
                    source = TOKENIZER_CONFIG + " \"eos_token\" \"" + content + "\"";
                }
            }
            return new FolderTokenizer(file, tokenizer, size, stop, source);
        } catch (RuntimeException | IOException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** @return the tokenizer.json read */
    public Path file() {
        return file;
    }

    /** @return one more than the highest id the tokenizer can produce */
    public int size() {
        return size;
    }

    /** @return the id generation stops at and every completion ends with; -1 when the folder names none */
    public int stopToken() {
        return stopToken;
    }

    /** @return where the stop token came from, e.g. {@code config.json "eos_token_id"}, or "none" */
    public String stopTokenSource() {
        return stopTokenSource;
    }

    /** @return the ids of a prompt, with the tokenizer's special tokens (e.g. BOS) */
    public int[] prompt(String text) {
        return tokenizer.encode(text, true);
    }

    /** @return the ids of a completion, without special tokens, followed by the stop token if there is one */
    public int[] completion(String text) {
        int[] ids = tokenizer.encode(text, false);
        if (stopToken < 0) {
            return ids;
        }
        int[] withStop = Arrays.copyOf(ids, ids.length + 1);
        withStop[ids.length] = stopToken;
        return withStop;
    }

    /** @return the text of generated ids, special tokens dropped */
    public String decode(int[] ids) {
        return tokenizer.decode(ids, true);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /**
     * Compares two tokenizer.json files by what they do to text: the model (vocabulary, merges),
     * the added tokens, the normalizer, pre-tokenizer, post-processor and decoder. The runtime
     * settings {@code truncation}, {@code padding} and the format {@code version} are ignored.
     *
     * @return what differs first, or empty when the two tokenize every text alike
     */
    public static Optional<String> difference(Path a, Path b) throws IOException {
        JsonNode first = readJson(a);
        JsonNode second = readJson(b);
        if (first.equals(second)) {
            return Optional.empty();
        }
        int sizeA = size(a, first);
        int sizeB = size(b, second);
        if (sizeA != sizeB) {
            return Optional.of("their vocabularies have " + sizeA + " and " + sizeB + " tokens");
        }
        JsonNode vocabA = first.path("model").path("vocab");
        JsonNode vocabB = second.path("model").path("vocab");
        if (!vocabA.equals(vocabB)) {
            if (vocabA.isObject() && vocabB.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> tokens = vocabA.fields(); tokens.hasNext(); ) {
                    Map.Entry<String, JsonNode> token = tokens.next();
                    if (!token.getValue().equals(vocabB.get(token.getKey()))) {
                        return Optional.of("the token \"" + token.getKey() + "\" has id " + token.getValue() + " in the first and "
                                + (vocabB.has(token.getKey()) ? "id " + vocabB.get(token.getKey()) : "none") + " in the second");
                    }
                }
            }
            return Optional.of("their vocabularies differ");
        }
        if (!first.path("added_tokens").equals(second.path("added_tokens"))) {
            return Optional.of("their added (special) tokens differ");
        }
        ObjectNode modelA = ((ObjectNode) first.path("model").deepCopy()).without("vocab");
        ObjectNode modelB = ((ObjectNode) second.path("model").deepCopy()).without("vocab");
        if (!modelA.equals(modelB)) {
            return Optional.of("their models differ beyond the vocabulary (type, merges or settings)");
        }
        ObjectNode restA = ((ObjectNode) first.deepCopy()).without(List.of("model", "added_tokens"));
        ObjectNode restB = ((ObjectNode) second.deepCopy()).without(List.of("model", "added_tokens"));
        restA.remove(RUNTIME_SETTINGS);
        restB.remove(RUNTIME_SETTINGS);
        for (Iterator<String> sections = restA.fieldNames(); sections.hasNext(); ) {
            String section = sections.next();
            if (!restA.get(section).equals(restB.get(section))) {
                return Optional.of("their \"" + section + "\" sections differ");
            }
        }
        for (Iterator<String> sections = restB.fieldNames(); sections.hasNext(); ) {
            String section = sections.next();
            if (!restA.has(section)) {
                return Optional.of("their \"" + section + "\" sections differ");
            }
        }
        return Optional.empty();
    }

    private static JsonNode readJson(Path file) throws IOException {
        JsonNode root = TextFiles.json(file, JSON);
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": must be a JSON object");
        }
        return root;
    }

    /** A list of ids (Llama 3 names several stop tokens) counts by its first. */
    private static JsonNode firstOf(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        return id.isArray() ? (id.isEmpty() ? null : id.get(0)) : id;
    }

    /** @return one more than the highest id of the vocabulary and the added tokens */
    private static int size(Path file, JsonNode json) {
        JsonNode vocab = json.path("model").path("vocab");
        int size;
        if (vocab.isObject()) {
            size = 0;
            for (JsonNode id : vocab) {
                size = Math.max(size, id.asInt() + 1);
            }
        } else if (vocab.isArray()) {
            size = vocab.size();
        } else {
            throw new IllegalArgumentException(file + ": no \"model\".\"vocab\": not a tokenizer.json of the tokenizers library");
        }
        for (JsonNode added : json.path("added_tokens")) {
            size = Math.max(size, added.path("id").asInt() + 1);
        }
        return size;
    }

    private static Optional<Integer> idOf(JsonNode json, String content) {
        for (JsonNode added : json.path("added_tokens")) {
            if (content.equals(added.path("content").textValue())) {
                return Optional.of(added.path("id").asInt());
            }
        }
        JsonNode vocab = json.path("model").path("vocab");
        if (vocab.isObject() && vocab.has(content)) {
            return Optional.of(vocab.get(content).asInt());
        }
        return Optional.empty();
    }
}
