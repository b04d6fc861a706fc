package calm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.testing.ModelFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code calm compose} refuses when a config names model folders: each a config error with
 * exit code 2, one line naming the config file, the line, the field and the folder or data file.
 * All of them are found before any weights are loaded.
 */
class ComposeFoldersErrorsTest {

    @TempDir
    Path folder;

    private Path config(Path a, Path b, String data) throws IOException {
        Path config = folder.resolve("bad.yaml");
        Files.writeString(config, """
                models:
                  a: {folder: %s}
                  b: {folder: %s}
                %soutput: %s
                """.formatted(a, b, data, folder.resolve("out")));
        return config;
    }

    private Path config(Path a, Path b) throws IOException {
        Path train = folder.resolve("train.jsonl");
        Files.writeString(train, "{\"prompt\": \"Hello\", \"completion\": \" world.\"}\n");
        return config(a, b, "data: {train: " + train + "}\n");
    }

    private void assertConfigError(Path config, String expected) {
        CalmRunner.Result result = CalmRunner.run("compose", config.toString());
        assertEquals(2, result.exitCode(), result.err());
        assertEquals("calm: config error: " + config + expected, result.err().strip());
        assertTrue(result.out().isEmpty(), result.out());
    }

    private Path llama(String name) throws IOException {
        return ModelFolders.copy(ModelFolders.fixture("llama-tiny"), folder.resolve(name));
    }

    @Test
    void modelsWithDifferentTokenizersAreRefusedNamingBothFolders() throws IOException {
        Path qwen2 = ModelFolders.copy(ModelFolders.fixture("qwen2-tiny"), folder.resolve("qwen2"));
        Path llama = llama("llama");
        assertConfigError(config(qwen2, llama), ":2: models.a.folder: the tokenizers of m_A and m_B differ: "
                + qwen2.resolve("tokenizer.json") + " and " + llama.resolve("tokenizer.json")
                + ": their vocabularies have 320 and 384 tokens; composed models must share one tokenizer");

        Path gpt2 = ModelFolders.copy(ModelFolders.fixture("gpt2-tiny"), folder.resolve("gpt2"));
        CalmRunner.Result sameSize = CalmRunner.run("compose", config(gpt2, qwen2).toString());
        assertEquals(2, sameSize.exitCode(), sameSize.err());
        String prefix = "calm: config error: " + folder.resolve("bad.yaml") + ":2: models.a.folder: the tokenizers of m_A and "
                + "m_B differ: " + gpt2.resolve("tokenizer.json") + " and " + qwen2.resolve("tokenizer.json") + ": the token \"";
        assertTrue(sameSize.err().startsWith(prefix), sameSize.err());
        assertTrue(sameSize.err().strip().endsWith(" in the second; composed models must share one tokenizer"), sameSize.err());
    }

    @Test
    void aFolderOfNeitherLayoutIsRefused() throws IOException {
        Path neither = folder.resolve("neither");
        Files.createDirectories(neither);
        Files.writeString(neither.resolve("config.json"), "{\"hidden_size\": 32}");
        assertConfigError(config(neither, llama("llama")), ":2: models.a.folder: " + neither.resolve("config.json")
                + " names neither \"family\" (this project's model folder) nor \"model_type\" (Hugging Face model folder), so "
                + neither + " is not a model folder of either layout");
        Path empty = folder.resolve("empty");
        Files.createDirectories(empty);
        assertConfigError(config(llama("llama2"), empty), ":3: models.b.folder: " + empty
                + " is not a saved model folder (it has no config.json)");
        Path missing = folder.resolve("missing");
        assertConfigError(config(missing, empty), ":2: models.a.folder: no such folder: " + missing);
    }

    @Test
    void anUnsupportedArchitectureIsRefused() throws IOException {
        Path neox = llama("neox");
        Files.writeString(neox.resolve("config.json"), Files.readString(neox.resolve("config.json"))
                .replace("\"model_type\": \"llama\"", "\"model_type\": \"gpt_neox\""));
        assertConfigError(config(llama("llama"), neox), ":3: models.b.folder: " + neox.resolve("config.json")
                + ": field \"model_type\" is \"gpt_neox\"; supported: [gpt2, llama, mistral, qwen2]");
        Path mamba = folder.resolve("mamba");
        Files.createDirectories(mamba);
        Files.writeString(mamba.resolve("config.json"), "{\"family\": \"mamba\", \"hiddenSize\": 32}");
        assertConfigError(config(mamba, llama("llama2")), ":2: models.a.folder: " + mamba.resolve("config.json")
                + ": field \"family\" is \"mamba\"; supported: [gpt, llama]");
    }

    @Test
    void aFolderWithoutTokenizerIsRefused() throws IOException {
        Path bare = llama("bare");
        Files.delete(bare.resolve("tokenizer.json"));
        assertConfigError(config(bare, llama("llama")), ":2: models.a.folder: " + bare + " has no tokenizer.json: it cannot "
                + "be checked that m_A reads the same tokens as m_B (a folder of this project's layout needs a copy of the "
                + "tokenizer.json its model was trained with)");
    }

    @Test
    void badDataNameTheirFileAndLine() throws IOException {
        Path a = llama("a");
        Path b = llama("b");
        assertConfigError(config(a, b, ""), ": data.train: required: the JSON Lines file of training examples");
        Path train = folder.resolve("train.jsonl");
        Files.writeString(train, "{\"prompt\": \"Hello\", \"completion\": \" world.\"}\n{\"prompt\": \"Hi\", \"completion\": 5}\n");
        assertConfigError(config(a, b, "data:\n  train: " + train + "\n"), ":5: data.train: " + train
                + ":2: field \"completion\" must be text, got 5");
        Files.writeString(train, "{\"prompt\": \"Hello\", \"completion\": \"" + " world".repeat(70) + "\"}\n");
        assertConfigError(config(a, b, "data:\n  train: " + train + "\n"), ":5: data.train: " + train
                + ":1: the example has 284 tokens (prompt 2, completion 282), more than the context of 64 the composition "
                + "allows (m_A's 64, m_B's 64)");
        Files.writeString(train, "{\"prompt\": \"Hello\", \"completion\": \" world.\"}\n");
        assertConfigError(config(a, b, "data:\n  train: " + train + "\n  validation: " + folder.resolve("none.jsonl") + "\n"),
                ":6: data.validation: " + folder.resolve("none.jsonl") + ": no such file");
    }

    @Test
    void readingPredictionsIsForTheKeyValueExperimentOnly() throws IOException {
        Path train = folder.resolve("train.jsonl");
        Files.writeString(train, "{\"prompt\": \"Hello\", \"completion\": \" world.\"}\n");
        assertConfigError(config(llama("a"), llama("b"), "data: {train: " + train + "}\ncomposition:\n  reads: predictions\n"),
                ":6: composition.reads: PREDICTIONS is for the key-value experiment (its character vocabulary and m_A's "
                        + "multi-token heads from calm pretrain); use STATES, m_A's layer outputs");
    }

    @Test
    void fieldsOfTheOtherKindOfConfigAreUnknownHere() throws IOException {
        Path config = folder.resolve("bad.yaml");
        Files.writeString(config, "models:\n  a: {folder: x}\n  b:\n    architecture: {hiddenSize: 16}\n");
        assertConfigError(config, ":4: models.b.architecture: unknown field 'architecture' in models.b; allowed: folder");
        CalmRunner.Result pretrain = CalmRunner.run("pretrain", config.toString(), "--model", "a");
        assertEquals(2, pretrain.exitCode());
        assertEquals("calm: config error: " + config + ":2: models.a.folder: names an existing model folder, which only "
                + "`calm compose` reads; this command needs models.a and models.b as architecture and training",
                pretrain.err().strip());
    }

    @Test
    void generateNeedsTheTokenizerOfAHuggingFaceFolder() throws IOException {
        Path bare = llama("bare");
        Files.delete(bare.resolve("tokenizer.json"));
        CalmRunner.Result result = CalmRunner.run("generate", bare.toString(), "--prompt", "Hello");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("calm: " + bare + " is a Hugging Face model folder without tokenizer.json, which calm generate "
                + "needs to read and write its text"), result.err());
    }
}
