// # 03 Code to text and text to code with m_B and with CALM
//
// Open:   bin/calm-notebook 03             (stays in JShell afterwards: try the variables below)
// Batch:  bin/calm-notebook --batch 03     (what CI runs; about a minute on 2 cores without a run)
//
// In the code experiment (CALM paper, section 4.3), m_A has read the methods of five Java
// libraries, each with its Javadoc's first sentence; m_B has read English prose and never code.
// CALM trains connections from m_A into m_B on 7% of m_A's methods as (documentation, code) pairs.
// This notebook loads a run's m_B and CALM, and for one method of the held-out library (a library
// no model has seen) asks both for its Javadoc's first sentence (code to text) and for its body
// (text to code); then scores a few held-out methods with chrF, sacrebleu's definition.
//
// It uses the run of configs/code.yaml (runs/code) when it is there, else the tiny run
// (runs/code-tiny), else it runs configs/code-tiny.yaml into a temporary folder: those models are
// far too small to write code, but they are saved models all the same.

import ai.djl.ndarray.NDManager;
import calm.code.CodeDatasets;
import calm.code.CodeExample;
import calm.code.CodeSplit;
import calm.compose.ComposedModel;
import calm.data.ByteVocabulary;
import calm.data.CharVocabulary;
import calm.eval.metric.Chrf;
import calm.eval.stats.Bootstrap;
import calm.eval.stats.ConfidenceInterval;
import calm.eval.stats.PairedComparison;
import calm.generate.DecodingConfig;
import calm.generate.Generator;
import calm.io.Folders;
import calm.io.ModelFolder;
import calm.model.DecoderLM;
import calm.model.LanguageModel;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.experiment.Experiment;
import calm.train.experiment.ExperimentKinds;
import calm.train.experiment.ModelRole;
import calm.train.io.CompositionFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

long started = System.nanoTime();
NDManager manager = NDManager.newBaseManager();

// ## 1. A run's saved models
Path root = Path.of(System.getProperty("calm.root", "."));
boolean done(Path run) {
    return Files.isRegularFile(run.resolve("composition").resolve(CompositionFolder.SPEC)) &&
        Files.isRegularFile(run.resolve("data").resolve(CodeDatasets.MANIFEST_FILE));
}
Path shipped = root.resolve("runs/code");
Path tiny = root.resolve("runs/code-tiny");
Path temporary = done(shipped) || done(tiny) ? null : Files.createTempDirectory("calm-notebook-");
Path run = done(shipped) ? shipped : done(tiny) ? tiny : temporary;
if (temporary != null) {
    System.out.println("No code run: running configs/code-tiny.yaml into " + temporary);
    // The config names the committed samples relative to the checkout, wherever JShell started.
    Path file = root.resolve("configs/code-tiny.yaml");
    String text = Files.readString(file).replace(": datasets/", ": " + root.toAbsolutePath() + "/datasets/");
    LoadedConfig config = ConfigLoader.parse(file.toString(), "code-tiny", text).withOutput(temporary.toString());
    Experiment experiment = ExperimentKinds.of(config.config().experiment()).open(config);
    experiment.prepare();
    experiment.pretrain(ModelRole.A, false, manager);
    experiment.pretrain(ModelRole.B, false, manager);
    experiment.compose(Experiment.COMPOSE_JOB, false, manager);
} else {
    System.out.println("Using the run in " + run);
}

DecoderLM mB = ModelFolder.load(run.resolve("model-b"), manager);
ComposedModel calm = CompositionFolder.load(run.resolve("composition"), null, manager);
System.out.printf("m_B: GPT d=%d, %d layers, %,d parameters; CALM trains %,d more%n", mB.hiddenSize(), mB.numLayers(),
    mB.parameterCount(), calm.trainableParameterCount());

// ## 2. One held-out method, both ways
// Every model reads UTF-8 bytes (ids 4 to 259, after four special tokens). A prompt is BOS and the
// text; greedy decoding stops at EOS. Code to text gives the method and "\n/** "; text to code gives
// "/** sentence */", a line break and the signature.
ByteVocabulary bytes = ByteVocabulary.utf8();
int[] encodePrompt(String text) {
    int[] ids = bytes.encode(text);
    int[] withBos = new int[ids.length + 1];
    withBos[0] = CharVocabulary.BOS;
    System.arraycopy(ids, 0, withBos, 1, ids.length);
    return withBos;
}
List<String> complete(LanguageModel model, List<String> prompts, int maxNewTokens) {
    List<int[]> ids = prompts.stream().map(p -> encodePrompt(p)).toList();
    List<String> texts = new ArrayList<>();
    for (Generator.Output output : Generator.generate(model, ids, DecodingConfig.greedy(maxNewTokens, CharVocabulary.EOS), manager)) {
        texts.add(bytes.decode(output.tokens()));
    }
    return texts;
}
int budget(CodeExample example) {
    return Math.min(mB.contextLength() - encodePrompt(example.prompt()).length, bytes.encode(example.completion()).length + 16);
}

Map<CodeSplit, List<CodeExample>> data = CodeDatasets.readSplits(run.resolve("data"));
int which = 0;   // try another: any index of the held-out methods
CodeExample toText = data.get(CodeSplit.EVAL_CODE_TO_TEXT).get(which);
CodeExample toCode = data.get(CodeSplit.EVAL_TEXT_TO_CODE).stream().filter(e -> e.source().equals(toText.source())).findFirst().orElseThrow();
System.out.println("\nHeld-out method " + toText.source() + ":\n" + toText.prompt().strip());
System.out.println("\nCode to text, the reference: " + toText.completion());
System.out.println("m_B:  " + complete(mB, List.of(toText.prompt()), budget(toText)).get(0));
System.out.println("CALM: " + complete(calm, List.of(toText.prompt()), budget(toText)).get(0));
System.out.println("\nText to code, from:\n" + toCode.prompt());
System.out.println("m_B:\n" + complete(mB, List.of(toCode.prompt()), budget(toCode)).get(0));
System.out.println("CALM:\n" + complete(calm, List.of(toCode.prompt()), budget(toCode)).get(0));

// ## 3. Code to text on a few held-out methods, scored with chrF
// Corpus chrF (character 6-grams, beta 2) with the 95% bootstrap interval over methods, and CALM
// against m_B by the paired bootstrap. With so few methods the intervals are wide.
List<CodeExample> few = data.get(CodeSplit.EVAL_CODE_TO_TEXT).subList(0, Math.min(8, data.get(CodeSplit.EVAL_CODE_TO_TEXT).size()));
List<String> prompts = few.stream().map(CodeExample::prompt).toList();
List<List<String>> references = few.stream().map(e -> List.of(e.completion())).toList();
int longest = few.stream().mapToInt(e -> budget(e)).min().getAsInt();
var anchorChrf = Chrf.DEFAULT.corpus(complete(mB, prompts, longest), references);
var calmChrf = Chrf.DEFAULT.corpus(complete(calm, prompts, longest), references);
String chrf(ConfidenceInterval interval) {
    return String.format("%5.1f [%.1f, %.1f]", interval.estimate(), interval.lower(), interval.upper());
}
System.out.printf("%nchrF of code to text on %d held-out methods:%n", few.size());
System.out.printf("  m_B   %s%n", chrf(Bootstrap.DEFAULT.interval(anchorChrf)));
System.out.printf("  CALM  %s%n", chrf(Bootstrap.DEFAULT.interval(calmChrf)));
PairedComparison difference = Bootstrap.DEFAULT.compare(calmChrf, anchorChrf);
System.out.printf("  CALM - m_B  %+.1f chrF, paired bootstrap p = %.3f%n", difference.observedDifference(), difference.pValue());

// ## 4. Clean up
if (temporary != null) {
    Folders.deleteTree(temporary);
}
System.out.printf("%nNotebook done in %.1f s.%n", (System.nanoTime() - started) / 1e9);
