package calm.cli;

import ai.djl.ndarray.NDManager;
import calm.data.CharVocabulary;
import calm.generate.DecodingConfig;
import calm.generate.Generator;
import calm.io.ModelFolder;
import calm.model.LanguageModel;
import calm.train.experiment.KvExperiment;
import calm.train.io.CompositionFolder;
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
        description = {"Continues a prompt with a saved model, alone or as the anchor of a composition.",
            "Text is read and written with the key-value arithmetic vocabulary (0-9, a-z, + - = and space); "
            + "BOS is put before the prompt and generation stops at EOS.",
            "Prints the continuation."})
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_FOLDER", description = "a saved model, e.g. runs/kv-arithmetic/model-b")
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
        DecodingConfig decoding;
        int[] ids;
        try {
            decoding = new DecodingConfig(maxNewTokens, temperature, topK, topP, seed, CharVocabulary.EOS);
            ids = KvExperiment.VOCABULARY.encode(prompt);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        requireFolder(model, ModelFolder.CONFIG);
        if (composition != null) {
            requireFolder(composition, CompositionFolder.SPEC);
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = CharVocabulary.BOS;
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        try (NDManager manager = NDManager.newBaseManager()) {
            LanguageModel generator;
            try {
                generator = composition == null ? ModelFolder.load(model, manager) : CompositionFolder.load(composition, model, manager);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (generator.vocabSize() != KvExperiment.VOCABULARY.size()) {
                throw new ParameterException(spec.commandLine(), model + " has a vocabulary of " + generator.vocabSize()
                        + " tokens; calm generate reads text with the " + KvExperiment.VOCABULARY.size()
                        + "-token key-value arithmetic vocabulary");
            }
            int room = generator.contextLength() - withBos.length;
            if (room < 1) {
                throw new ParameterException(spec.commandLine(), "the prompt (" + withBos.length
                        + " tokens with BOS) leaves no room in the model's context of " + generator.contextLength());
            }
            if (decoding.maxNewTokens() > room) {
                decoding = new DecodingConfig(room, temperature, topK, topP, seed, CharVocabulary.EOS);
            }
            Generator.Output output = Generator.generate(generator, List.of(withBos), decoding, manager).get(0);
            spec.commandLine().getOut().println(KvExperiment.VOCABULARY.decode(printable(output.tokens())));
            spec.commandLine().getOut().flush();
        }
        return Calm.OK;
    }

    private void requireFolder(Path folder, String file) {
        if (!Files.isRegularFile(folder.resolve(file))) {
            throw new ParameterException(spec.commandLine(), folder + " is not a saved "
                    + (file.equals(ModelFolder.CONFIG) ? "model" : "composition") + " folder (it has no " + file + ")");
        }
    }

    /** Special tokens other than EOS (which ends generation) have no text; they are dropped. */
    private static int[] printable(int[] tokens) {
        return Arrays.stream(tokens).filter(id -> !KvExperiment.VOCABULARY.isSpecial(id)).toArray();
    }
}
