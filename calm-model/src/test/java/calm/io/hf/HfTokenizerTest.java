package calm.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.testing.Tiny;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tokenizers against the ids, tokens and texts the Hugging Face tokenizers library gave. */
class HfTokenizerTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny"})
    void encodingAndDecodingMatchTheReference(String name) throws Exception {
        Path folder = Tiny.fixture(name);
        JsonNode cases = new ObjectMapper().readTree(folder.resolve("tokenizer-reference.json").toFile());
        assertEquals(11, cases.size());
        try (HfTokenizer tokenizer = HfFolder.tokenizer(folder)) {
            for (JsonNode example : cases) {
                String text = example.get("text").textValue();
                int[] ids = ints(example.get("ids"));
                assertArrayEquals(ids, tokenizer.encode(text), name + ": " + text);
                assertArrayEquals(ints(example.get("ids_with_special_tokens")), tokenizer.encode(text, true), name + ": " + text);
                List<String> tokens = new ArrayList<>();
                example.get("tokens").forEach(token -> tokens.add(token.textValue()));
                assertEquals(tokens, tokenizer.tokens(text, false), name + ": " + text);
                assertEquals(example.get("decoded").textValue(), tokenizer.decode(ids), name + ": " + text);
            }
        }
    }

    @Test
    void longTextsAreNotTruncated() throws Exception {
        try (HfTokenizer tokenizer = HfFolder.tokenizer(Tiny.fixture("gpt2-tiny"))) {
            String text = "the quick brown fox ".repeat(300);
            int[] ids = tokenizer.encode(text);
            assertTrue(ids.length > 512, "only " + ids.length + " tokens");
            assertEquals(text, tokenizer.decode(ids));
        }
    }

    @Test
    void specialTokensAreKeptOrSkippedWhenDecoding() throws Exception {
        try (HfTokenizer tokenizer = HfFolder.tokenizer(Tiny.fixture("llama-tiny"))) {
            int[] ids = tokenizer.encode("Hello world!", true);
            assertEquals(1, ids[0]);
            assertEquals("<s> Hello world!", tokenizer.decode(ids));
            assertEquals("Hello world!", tokenizer.decode(ids, true));
        }
    }

    @Test
    void aMissingOrBrokenTokenizerNamesTheFile(@TempDir Path folder) throws Exception {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> HfFolder.tokenizer(folder));
        assertEquals(folder.resolve("tokenizer.json") + ": no such file", error.getMessage());
        Files.writeString(folder.resolve("tokenizer.json"), "{\"model\": 3}");
        error = assertThrows(IllegalArgumentException.class, () -> HfFolder.tokenizer(folder));
        assertTrue(error.getMessage().startsWith(folder.resolve("tokenizer.json") + ": not a readable tokenizer.json"), error.getMessage());
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).intValue();
        }
        return values;
    }
}
