package calm.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import calm.testing.Tiny;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderTokenizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    @Test
    void theStopTokenComesFromTheFoldersConfigs() throws Exception {
        try (FolderTokenizer llama = FolderTokenizer.open(Tiny.fixture("llama-tiny"))) {
            assertEquals(2, llama.stopToken());
            assertEquals("config.json \"eos_token_id\"", llama.stopTokenSource());
            assertEquals(384, llama.size());
            int[] prompt = llama.prompt("Hello world");
            assertEquals(1, prompt[0], "the prompt starts with BOS");
            int[] completion = llama.completion(" again");
            assertEquals(2, completion[completion.length - 1], "the completion ends with EOS");
            try (HfTokenizer plain = HfFolder.tokenizer(Tiny.fixture("llama-tiny"))) {
                assertArrayEquals(plain.encode("Hello world", true), prompt);
            }
            int[] withEos = Arrays.copyOf(prompt, prompt.length + 1);
            withEos[prompt.length] = 2;
            assertEquals("Hello world", llama.decode(withEos), "special tokens are dropped");
        }
        try (FolderTokenizer gpt2 = FolderTokenizer.open(Tiny.fixture("gpt2-tiny"));
                FolderTokenizer qwen2 = FolderTokenizer.open(Tiny.fixture("qwen2-tiny"))) {
            assertEquals(319, gpt2.stopToken());
            assertEquals(317, qwen2.stopToken());
        }
        Path copy = copyOf("llama-tiny", "tokenizer.json", "tokenizer_config.json");
        try (FolderTokenizer fromTokenizerConfig = FolderTokenizer.open(copy)) {
            assertEquals(2, fromTokenizerConfig.stopToken());
            assertEquals("tokenizer_config.json \"eos_token\" \"</s>\"", fromTokenizerConfig.stopTokenSource());
        }
        Files.delete(copy.resolve("tokenizer_config.json"));
        try (FolderTokenizer none = FolderTokenizer.open(copy)) {
            assertEquals(-1, none.stopToken());
            assertArrayEquals(none.prompt(" again"), prefixBos(none.completion(" again")), "no stop token is appended");
        }
        Files.writeString(copy.resolve("config.json"), "{\"eos_token_id\": 999}");
        assertEquals(copy.resolve("config.json") + ": field \"eos_token_id\" = 999 is not a token id of "
                + copy.resolve("tokenizer.json") + " (0 to 383)",
                assertThrows(IllegalArgumentException.class, () -> FolderTokenizer.open(copy)).getMessage());
    }

    @Test
    void tokenizersAreComparedByWhatTheyDoToText() throws Exception {
        Path llama = Tiny.fixture("llama-tiny").resolve("tokenizer.json");
        assertEquals(Optional.empty(), FolderTokenizer.difference(llama, Tiny.fixture("llama-tiny-bf16").resolve("tokenizer.json")));
        ObjectNode json = (ObjectNode) JSON.readTree(llama.toFile());
        json.putObject("padding").put("pad_id", 0);
        json.put("truncation", "{}");
        Path reformatted = folder.resolve("reformatted.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(reformatted.toFile(), json);
        assertEquals(Optional.empty(), FolderTokenizer.difference(llama, reformatted), "padding and truncation are ignored");

        assertEquals(Optional.of("their vocabularies have 384 and 320 tokens"),
                FolderTokenizer.difference(llama, Tiny.fixture("qwen2-tiny").resolve("tokenizer.json")));
        ObjectNode swapped = json.deepCopy();
        ObjectNode vocab = (ObjectNode) swapped.path("model").path("vocab");
        vocab.put("<unk>", 1).put("<s>", 0);
        Path swappedFile = folder.resolve("swapped.json");
        JSON.writeValue(swappedFile.toFile(), swapped);
        assertEquals(Optional.of("the token \"<unk>\" has id 0 in the first and id 1 in the second"),
                FolderTokenizer.difference(llama, swappedFile));
        ObjectNode otherDecoder = json.deepCopy();
        otherDecoder.putNull("decoder");
        Path otherDecoderFile = folder.resolve("decoder.json");
        JSON.writeValue(otherDecoderFile.toFile(), otherDecoder);
        assertEquals(Optional.of("their \"decoder\" sections differ"), FolderTokenizer.difference(llama, otherDecoderFile));
    }

    private Path copyOf(String fixture, String... files) throws Exception {
        Path copy = folder.resolve(fixture);
        Files.createDirectories(copy);
        for (String file : files) {
            Files.copy(Tiny.fixture(fixture).resolve(file), copy.resolve(file));
        }
        return copy;
    }

    private static int[] prefixBos(int[] ids) {
        int[] withBos = new int[ids.length + 1];
        withBos[0] = 1;
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }
}
