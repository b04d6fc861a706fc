package calm.io.hf;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A Hugging Face tokenizer read from a {@code tokenizer.json} through DJL's bindings of the Rust
 * {@code tokenizers} library. Truncation and padding are off: DJL would otherwise cut every text
 * at 512 tokens.
 */
public final class HfTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;

    private HfTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * @param file a tokenizer.json
     * @throws IllegalArgumentException naming the file when it is absent or not a tokenizer
     */
    public static HfTokenizer load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        try {
            return new HfTokenizer(HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optTruncation(false)
                    .optPadding(false)
                    .build());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a readable tokenizer.json: " + e.getMessage(), e);
        }
    }

    /** @return the ids of a text without special tokens (no BOS/EOS) */
    public int[] encode(String text) {
        return encode(text, false);
    }

    /** @return the ids of a text, with the tokenizer's post-processor (e.g. Llama's BOS) when asked */
    public int[] encode(String text, boolean addSpecialTokens) {
        return Arrays.stream(encoding(text, addSpecialTokens).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    /** @return the token strings of a text */
    public List<String> tokens(String text, boolean addSpecialTokens) {
        return List.of(encoding(text, addSpecialTokens).getTokens());
    }

    /** @return the text of some ids, special tokens included */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /** @return the text of some ids, dropping special tokens when asked */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), skipSpecialTokens);
    }

    private Encoding encoding(String text, boolean addSpecialTokens) {
        return tokenizer.encode(text, addSpecialTokens, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
