package calm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import calm.io.ModelFolder;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import calm.model.llama.LlamaConfig;
import calm.testing.ModelFolders;
import calm.train.io.CompositionFolder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calm compose} on two existing model folders of different widths and depths that share a
 * tokenizer, then {@code calm generate} with the composition.
 */
class ComposeFoldersTest {

    private static final String TRAIN = """
            {"prompt": "The quick brown fox jumps over the", "completion": " lazy dog."}
            {"prompt": "The cat sat on the mat, and the dog sat on the", "completion": " log."}
            {"prompt": "Hello world! Hello there,", "completion": " world."}
            {"prompt": "Keys and values: apple=3, banana=7, cherry=12. What is apple + cherry?", "completion": " 15."}

            {"prompt": "One, two, three,", "completion": " four, five.", "id": 5}
            {"prompt": "Translation: the house is red.", "completion": " La maison est rouge."}
            """;
    private static final String VALIDATION = """
            {"prompt": "Hello again and", "completion": " again."}
            {"prompt": "Numbers like 2024, 1999 and", "completion": " 42."}
            """;

    @TempDir
    Path folder;

    /** m_B: a copy of the llama-tiny fixture (2 layers, D 32, 4 heads), so that nothing can touch the original. */
    private Path anchor() throws IOException {
        return ModelFolders.copy(ModelFolders.fixture("llama-tiny"), folder.resolve("anchor"));
    }

    /** m_A: a smaller, deeper random Llama (3 layers, D 16, 2 heads) in Hugging Face layout with the anchor's tokenizer. */
    private Path smallerLlama() throws IOException {
        Path small = folder.resolve("small");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFolders.writeHfLlama(new LlamaConfig(384, 64, 16, 3, 2, 1, 8, 32, 10000, 1e-6, false, false), 2, 7, small,
                    manager);
        }
        Files.copy(ModelFolders.fixture("llama-tiny").resolve("tokenizer.json"), small.resolve("tokenizer.json"));
        return small;
    }

    private Path config(Path a, Path b, String extra) throws IOException {
        Files.writeString(folder.resolve("train.jsonl"), TRAIN);
        Files.writeString(folder.resolve("validation.jsonl"), VALIDATION);
        Path config = folder.resolve("compose.yaml");
        Files.writeString(config, """
                models:
                  a: {folder: %s}
                  b: {folder: %s}
                data:
                  train: %s
                  validation: %s
                training: {steps: 3, batchSize: 4, learningRate: 0.01, warmupSteps: 1, evalExamples: 2, logInterval: 1}
                output: %s
                %s""".formatted(a, b, folder.resolve("train.jsonl"), folder.resolve("validation.jsonl"), folder.resolve("out"),
                extra));
        return config;
    }

    @Test
    void twoHuggingFaceFoldersOfDifferentSizesComposeAndTheCompositionGenerates() throws IOException {
        Path anchor = anchor();
        Path small = smallerLlama();
        Map<String, String> anchorBefore = ModelFolders.hashes(anchor);
        Map<String, String> smallBefore = ModelFolders.hashes(small);
        Path config = config(small, anchor, "");

        CalmRunner.Result composed = CalmRunner.run("compose", config.toString());
        assertEquals(0, composed.exitCode(), composed.err());
        assertTrue(composed.out().startsWith("m_A: " + small + ": Hugging Face model folder, Llama, layers 3, hidden size 16, "
                + "heads 2, vocabulary 384, context 64\n"
                + "m_B: " + anchor + ": Hugging Face model folder, Llama, layers 2, hidden size 32, heads 4, vocabulary 384, "
                + "context 64\n"
                + "tokenizer: " + anchor.resolve("tokenizer.json") + " (the same in both folders); stop token 2 "
                + "(config.json \"eos_token_id\")\n"
                + "data: 6 training examples (" + folder.resolve("train.jsonl") + "), 2 validation examples ("
                + folder.resolve("validation.jsonl") + ")\n"
                + "composition: 3 steps (3 in this run"), composed.out());
        assertTrue(composed.out().contains("validation.accuracy"), composed.out());

        assertEquals(anchorBefore, ModelFolders.hashes(anchor), "m_B's folder is untouched");
        assertEquals(smallBefore, ModelFolders.hashes(small), "m_A's folder is untouched");
        Path composition = folder.resolve("out").resolve("composition");
        JsonNode spec = new ObjectMapper().readTree(composition.resolve(CompositionFolder.SPEC).toFile());
        assertEquals("HUGGING_FACE", spec.path("anchor").path("layout").asText());
        assertEquals("HUGGING_FACE", spec.path("augmenting").path(0).path("layout").asText());
        assertEquals("[[3,2]]", spec.path("augmenting").path(0).path("wiring").toString(), "the default wiring for N_A 3, N_B 2");
        assertEquals(anchorBefore.get("model.safetensors"), spec.path("anchor").path("weightsSha256").asText());
        try (NDManager manager = NDManager.newBaseManager();
                InputStream in = Files.newInputStream(composition.resolve(CompositionFolder.CONNECTIONS))) {
            Set<String> names = new TreeSet<>();
            float outputNorm = 0;
            for (NDArray array : NDList.decode(manager, in)) {
                names.add(array.getName());
                if (array.getName().equals("connections.0.0.o.weight")) {
                    outputNorm = array.abs().sum().getFloat();
                }
            }
            assertEquals(Set.of("connections.0.0.proj.weight", "connections.0.0.proj.bias", "connections.0.0.q.weight",
                    "connections.0.0.k.weight", "connections.0.0.v.weight", "connections.0.0.o.weight"), names,
                    "only the connections are saved: 16 -> 32 projection and 4 x 32^2 attention");
            assertTrue(outputNorm > 0, "W_O started at zero and was trained");
        }

        CalmRunner.Result alone = CalmRunner.run("generate", anchor.toString(), "--prompt", "The quick brown fox",
                "--max-new-tokens", "6");
        assertEquals(0, alone.exitCode(), alone.err());
        String[] args = {"generate", anchor.toString(), "--composition", composition.toString(), "--prompt",
            "The quick brown fox", "--max-new-tokens", "6"};
        CalmRunner.Result withComposition = CalmRunner.run(args);
        assertEquals(0, withComposition.exitCode(), withComposition.err());
        assertFalse(withComposition.out().isBlank(), "text comes back");
        assertEquals(withComposition.out(), CalmRunner.run(args).out(), "greedy decoding is deterministic");

        CalmRunner.Result wrongAnchor = CalmRunner.run("generate", small.toString(), "--composition", composition.toString(),
                "--prompt", "Hello");
        assertEquals(2, wrongAnchor.exitCode());
        assertTrue(wrongAnchor.err().contains("the anchor in " + small + " is not the model this composition was trained with"),
                wrongAnchor.err());
    }

    @Test
    void aProjectFolderComposesIntoAShardedHuggingFaceAnchor() throws IOException {
        Path anchor = ModelFolders.copy(ModelFolders.fixture("llama-tiny-sharded"), folder.resolve("sharded"));
        Path gpt = folder.resolve("gpt");
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM model = new GptConfig(384, 56, 24, 1, 3, 48, true, GptConfig.Activation.GELU, 1e-5).newModel();
            model.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32);
            ModelFolder.save(model, gpt, null);
        }
        Files.copy(anchor.resolve("tokenizer.json"), gpt.resolve("tokenizer.json"));
        Map<String, String> before = ModelFolders.hashes(anchor);
        // --output replaces the config's output here too.
        Path elsewhere = folder.resolve("elsewhere");
        CalmRunner.Result composed = CalmRunner.run("compose", config(gpt, anchor, "composition: {wiring: [[1, 1]], heads: 2}\n")
                .toString(), "--output", elsewhere.toString());
        assertEquals(0, composed.exitCode(), composed.err() + composed.out());
        assertTrue(composed.out().startsWith("m_A: " + gpt + ": this project's model folder, Gpt, layers 1, hidden size 24, "
                + "heads 3, vocabulary 384, context 56\n"
                + "m_B: " + anchor + ": Hugging Face model folder, Llama, layers 2, hidden size 32, heads 4"), composed.out());
        assertEquals(before, ModelFolders.hashes(anchor));
        assertTrue(Files.notExists(folder.resolve("out")), "nothing in the config's output");
        CalmRunner.Result generated = CalmRunner.run("generate", anchor.toString(), "--composition",
                elsewhere.resolve("composition").toString(), "--prompt", "Hello", "--max-new-tokens", "3");
        assertEquals(0, generated.exitCode(), generated.err());
    }
}
