package calm.cli;

import ai.djl.ndarray.NDManager;
import calm.compose.ComposedModel;
import calm.data.CharVocabulary;
import calm.generate.DecodingConfig;
import calm.generate.Generator;
import calm.io.Folders;
import calm.io.OutputLock;
import calm.kv.KvDataConfig;
import calm.kv.KvExperiment;
import calm.kv.data.KvArithmeticDatasets;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.model.DecoderLM;
import calm.model.LanguageModel;
import calm.model.gpt.GptConfig;
import calm.train.TrainingExample;
import calm.train.TrainingResult;
import calm.train.config.ConfigLoader;
import calm.train.config.ExperimentConfig;
import calm.train.config.LoadedConfig;
import calm.train.experiment.ModelRole;
import calm.train.io.CompositionFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code calm demo}: the built-in main job. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs CALM end to end at toy scale (about a minute on 2 cores): builds the key-value arithmetic "
            + "data, pretrains two tiny GPTs (m_A memorises keys, m_B does arithmetic), composes them, trains the "
            + "connections on D_C and generates with the result.",
            "Uses the built-in config calm-train/src/main/resources/calm/demo.yaml (a copy is configs/demo.yaml)."})
final class DemoCommand implements Callable<Integer> {

    /** Marks a folder the demo made, so that a rerun may replace it and nothing else. */
    static final String MARKER = ".calm-demo";
    private static final int SHOWN = 4;

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FOLDER", defaultValue = "runs/demo",
            description = "where everything goes; replaced on each run (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--max-steps", paramLabel = "N", description = "cap every training job at N steps, for a quick "
            + "smoke run (default: the config's steps)")
    Integer maxSteps;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (maxSteps != null && maxSteps < 1) {
            throw new ParameterException(spec.commandLine(), "--max-steps must be at least 1, got " + maxSteps);
        }
        try (OutputLock lock = prepare(output)) {
            return demo(out);
        }
    }

    private Integer demo(PrintWriter out) throws IOException {
        LoadedConfig loaded = ConfigLoader.readResource("/calm/demo.yaml").withOutput(output.toString());
        if (maxSteps != null) {
            loaded = loaded.withMaxSteps(maxSteps);
        }
        ExperimentConfig config = loaded.config();
        KvExperiment experiment = new KvExperiment(loaded);
        out.println("calm demo: CALM (arXiv 2401.02412) on key-value arithmetic, at toy scale. Output: " + output);
        out.println();
        KvArithmeticDatasets data = experiment.data();
        out.printf("1/5 data: %d keys with values 1..%d; %d%% of the keys (%d) are the only ones D_C uses.%n",
                data.store().size(), data.store().size(), Math.round(100 * ((KvDataConfig) config.data()).compositionFraction()),
                data.keySplit().compositionKeys().size());
        out.printf("    e.g. m_A's task %s -> %s, m_B's task %s -> %s, the composed task %s -> %s%n",
                quoted(data, KvSplit.TRAIN_KV_SUBSTITUTION, true), quoted(data, KvSplit.TRAIN_KV_SUBSTITUTION, false),
                quoted(data, KvSplit.TRAIN_NUMERIC_ARITHMETIC, true), quoted(data, KvSplit.TRAIN_NUMERIC_ARITHMETIC, false),
                quoted(data, KvSplit.TRAIN_COMPOSITION, true), quoted(data, KvSplit.TRAIN_COMPOSITION, false));
        out.printf("    (numbers are written %s)%n", ((KvDataConfig) config.data()).digitOrder().name().toLowerCase().replace('_', ' '));
        out.flush();
        try (NDManager manager = NDManager.newBaseManager()) {
            step(out, "2/5 m_A, the augmenting model", config.models().a().architecture(), config.models().a().training().steps(),
                    KvSplit.TRAIN_KV_SUBSTITUTION, experiment.pretrain(ModelRole.A, false, manager));
            step(out, "3/5 m_B, the anchor", config.models().b().architecture(), config.models().b().training().steps(),
                    KvSplit.TRAIN_NUMERIC_ARITHMETIC, experiment.pretrain(ModelRole.B, false, manager));
            TrainingResult composed = experiment.compose(false, manager);
            ComposedModel composition = CompositionFolder.load(experiment.compositionFolder(), null, manager);
            DecoderLM anchor = composition.anchor();
            out.printf("4/5 composition: both models frozen; %s%n", composition.trainableParameterFormula());
            out.printf("    trained %d steps on D_C (%s) -> %s%n", composed.steps(), KvSplit.TRAIN_COMPOSITION.id(),
                    metrics(composed.evaluation()));
            out.println("5/5 generate (greedy) on held-out expressions over D_C keys:");
            out.printf("    %-16s %-10s %-12s %s%n", "prompt", "expected", "m_B alone", "m_B + m_A (CALM)");
            List<KvExample> examples = data.get(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS).subList(0, SHOWN);
            for (KvExample example : examples) {
                out.printf("    %-16s %-10s %-12s %s%n", example.prompt(), example.target(),
                        generate(anchor, example, manager), generate(composition, example, manager));
            }
        }
        out.println();
        out.println("Done. At this scale the models are far from the paper's accuracy; configs/kv-arithmetic.yaml is the "
                + "real experiment (calm pretrain/compose, docs/configs.md). Try:");
        out.printf("    bin/calm generate %s --composition %s --prompt '%s'%n", experiment.modelFolder(ModelRole.B),
                experiment.compositionFolder(), data.get(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS).get(0).prompt());
        out.flush();
        return Calm.OK;
    }

    /** Empties the folder (one an earlier demo made) under its lock, which the demo then holds. */
    private OutputLock prepare(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            boolean empty;
            try (Stream<Path> entries = Files.list(folder)) {
                empty = entries.allMatch(entry -> entry.getFileName().toString().equals(OutputLock.FILE));
            }
            if (!empty && !Files.exists(folder.resolve(MARKER))) {
                throw new ParameterException(spec.commandLine(), folder + " exists and was not made by calm demo; "
                        + "choose another --output");
            }
        }
        OutputLock lock = OutputLock.acquire(folder, "calm demo");
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.filter(entry -> !entry.getFileName().toString().equals(OutputLock.FILE)).toList()) {
                Folders.deleteTree(entry);
            }
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        Files.writeString(folder.resolve(MARKER), "made by calm demo; replaced by the next run\n");
        return lock;
    }

    private static void step(PrintWriter out, String what, GptConfig architecture, int steps, KvSplit split,
            TrainingResult result) {
        out.printf("%s: GPT d=%d, %d layers, %d heads, trained %d steps on %s -> %s%n", what, architecture.hiddenSize(),
                architecture.numLayers(), architecture.numHeads(), steps, split.id(), metrics(result.evaluation()));
        out.flush();
    }

    private static String metrics(Map<String, Double> evaluation) {
        StringBuilder text = new StringBuilder();
        evaluation.forEach((name, value) -> {
            if (name.endsWith(".accuracy")) {
                text.append(text.length() == 0 ? "" : ", ").append(name.replace(".accuracy", "")).append(" accuracy ")
                        .append(String.format("%.0f%%", 100 * value));
            }
        });
        return text.toString();
    }

    private static String quoted(KvArithmeticDatasets data, KvSplit split, boolean prompt) {
        KvExample example = data.get(split).get(0);
        return prompt ? example.prompt() : example.target();
    }

    private static String generate(LanguageModel model, KvExample example, NDManager manager) {
        TrainingExample encoded = KvExperiment.encode(example);
        int room = Math.min(encoded.completion().length + 2, model.contextLength() - encoded.prompt().length);
        List<Generator.Output> outputs = Generator.generate(model, List.of(encoded.prompt()),
                DecodingConfig.greedy(room, CharVocabulary.EOS), manager);
        int[] tokens = Arrays.stream(outputs.get(0).tokens()).filter(id -> !KvExperiment.VOCABULARY.isSpecial(id)).toArray();
        return KvExperiment.VOCABULARY.decode(tokens);
    }
}
