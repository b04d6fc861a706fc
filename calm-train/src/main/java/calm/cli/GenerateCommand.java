package calm.cli;

import ai.djl.ndarray.NDManager;
import calm.data.CharVocabulary;
import calm.generate.DecodingConfig;
import calm.generate.Generator;
import calm.io.DamagedFileException;
import calm.io.FolderLayout;
import calm.io.hf.FolderTokenizer;
import calm.io.hf.HfFolder;
import calm.kv.KvExperiment;
import calm.model.LanguageModel;
import calm.train.io.CompositionFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code calm generate MODEL_FOLDER --prompt TEXT}. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Continues a prompt with a saved model (this project's layout or a Hugging Face folder), alone or "
            + "as the anchor of a composition.",
            "Text is read and written with the folder's tokenizer.json when it has one: the prompt with its special "
            + "tokens (e.g. BOS), generation stopping at the eos_token_id the folder's configs name.",
            "Without one, with the key-value arithmetic vocabulary (0-9, a-z, + - = and space); "
            + "BOS is put before the prompt and generation stops at EOS.",
            "Prints the continuation."})
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_FOLDER", description = "a saved model, e.g. runs/kv-arithmetic/model-b or models/Qwen2-0.5B")
    Path model;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the text to continue, e.g. 'ab+cd='")
    String prompt;

    @Option(names = "--max-new-tokens", paramLabel = "N", defaultValue = "16", description = "the most tokens to generate (default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0", description = "0 for greedy decoding, else the sampling temperature (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "sample from the K most likely tokens only (0 = all; default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1", description = "sample from the smallest set of tokens whose probability reaches P (default: ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "seeds sampling: the same seed gives the same text (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--composition", paramLabel = "FOLDER", description = "a trained composition whose anchor is MODEL_FOLDER, e.g. runs/kv-arithmetic/composition")
    Path composition;

    @Override
    public Integer call() throws Exception {
        FolderLayout layout = layout();
        if (composition != null) {
            requireComposition(composition);
        }
        try (FolderTokenizer tokenizer = tokenizer(layout)) {
            int[] ids = promptIds(tokenizer);
            int stop = tokenizer != null ? tokenizer.stopToken() : CharVocabulary.EOS;
            decoding(maxNewTokens, stop); // checks the options before anything is loaded
            try (NDManager manager = NDManager.newBaseManager()) {
                LanguageModel generator = load(layout, manager);
                checkVocabulary(tokenizer, generator);
                int room = generator.contextLength() - ids.length;
                if (room < 1) {
                    throw new ParameterException(spec.commandLine(), "the prompt (" + ids.length
                            + " tokens" + (tokenizer == null ? " with BOS" : "") + ") leaves no room in the model's context of "
                            + generator.contextLength());
                }
                DecodingConfig decoding = decoding(Math.min(maxNewTokens, room), stop);
                int[] generated = Generator.generate(generator, List.of(ids), decoding, manager).get(0).tokens();
                spec.commandLine().getOut().println(tokenizer != null ? tokenizer.decode(generated)
                        : KvExperiment.VOCABULARY.decode(printable(generated)));
                spec.commandLine().getOut().flush();
            }
        }
        return Calm.OK;
    }

    private FolderLayout layout() throws IOException {
        try {
            return FolderLayout.detect(model);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** @return the folder's tokenizer.json, or null for the key-value vocabulary */
    private FolderTokenizer tokenizer(FolderLayout layout) throws IOException {
        if (!FolderTokenizer.present(model)) {
            if (layout == FolderLayout.HUGGING_FACE) {
                throw new ParameterException(spec.commandLine(), model + " is a " + layout.description() + " without "
                        + HfFolder.TOKENIZER + ", which calm generate needs to read and write its text");
            }
            return null;
        }
        try {
            return FolderTokenizer.open(model);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private int[] promptIds(FolderTokenizer tokenizer) {
        if (tokenizer == null) {
            try {
                return withBos(KvExperiment.VOCABULARY.encode(prompt));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        int[] ids = tokenizer.prompt(prompt);
        if (ids.length == 0) {
            throw new ParameterException(spec.commandLine(), "the prompt has no tokens (" + tokenizer.file()
                    + " adds no BOS); give a non-empty prompt");
        }
        return ids;
    }

    private DecodingConfig decoding(int tokens, int stop) {
        try {
            return new DecodingConfig(tokens, temperature, topK, topP, seed, stop);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private LanguageModel load(FolderLayout layout, NDManager manager) throws IOException {
        try {
            return composition == null ? layout.load(model, manager) : CompositionFolder.load(composition, model, manager);
        } catch (DamagedFileException e) {
            throw e; // a damaged saved file fails at run time (exit 1), as in every command
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The text's ids must be the model's. */
    private void checkVocabulary(FolderTokenizer tokenizer, LanguageModel generator) {
        if (tokenizer == null && generator.vocabSize() != KvExperiment.VOCABULARY.size()) {
            throw new ParameterException(spec.commandLine(), model + " has a vocabulary of " + generator.vocabSize()
                    + " tokens and no " + HfFolder.TOKENIZER + "; calm generate then reads text with the "
                    + KvExperiment.VOCABULARY.size() + "-token key-value arithmetic vocabulary");
        }
        if (tokenizer != null && tokenizer.size() > generator.vocabSize()) {
            throw new ParameterException(spec.commandLine(), tokenizer.file() + " has ids up to " + (tokenizer.size() - 1)
                    + ", beyond the model's vocabulary of " + generator.vocabSize() + " tokens");
        }
    }

    private static int[] withBos(int[] ids) {
        int[] withBos = new int[ids.length + 1];
        withBos[0] = CharVocabulary.BOS;
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    private void requireComposition(Path folder) {
        if (!Files.isRegularFile(folder.resolve(CompositionFolder.SPEC))) {
            throw new ParameterException(spec.commandLine(), folder + " is not a saved composition folder (it has no "
                    + CompositionFolder.SPEC + ")");
        }
    }

    /** Special tokens other than EOS (which ends generation) have no text; they are dropped. */
    private static int[] printable(int[] tokens) {
        return Arrays.stream(tokens).filter(id -> !KvExperiment.VOCABULARY.isSpecial(id)).toArray();
    }
}
