// # 01 Compose two saved models and generate
//
// Open:   bin/calm-notebook 01             (stays in JShell afterwards: try the variables below)
// Batch:  bin/calm-notebook --batch 01     (what CI runs; about 20 s on 2 cores)
//
// CALM (arXiv 2401.02412) keeps two trained language models frozen and trains only
// cross-attention "connections" from the augmenting model m_A into the anchor m_B. On key-value
// arithmetic, m_A has memorised the value of each key ("kb=" -> "37") and m_B can add numbers;
// neither can add keys ("kb+xy="), the composition can. This notebook loads two saved models,
// composes them, generates from a prompt, and scores m_B alone against the composition.
//
// A JShell snippet ends where its line ends if it is complete, so a call chain that continues
// on the next line ends its lines with a dot, not starts them with one.

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import calm.compose.ComposedModel;
import calm.compose.Wiring;
import calm.data.CharVocabulary;
import calm.eval.metric.ExactMatch;
import calm.eval.stats.Bootstrap;
import calm.eval.stats.ConfidenceInterval;
import calm.eval.stats.IndexedMetric;
import calm.eval.stats.PairedComparison;
import calm.generate.DecodingConfig;
import calm.generate.Generator;
import calm.io.Folders;
import calm.io.ModelFolder;
import calm.kv.KvExperiment;
import calm.kv.data.KvDatasetFiles;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.model.DecoderLM;
import calm.model.LanguageModel;
import calm.train.config.ConfigLoader;
import calm.train.experiment.ModelRole;
import calm.train.io.CompositionFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

long started = System.nanoTime();
NDManager manager = NDManager.newBaseManager();

// ## 1. Two saved models
// `bin/calm demo` saves m_A and m_B to runs/demo/model-a and runs/demo/model-b, its datasets to
// runs/demo/data and the trained composition to runs/demo/composition. Without them (a fresh
// checkout, CI) the notebook pretrains two tiny models with the demo's config cut to a few
// steps, into a temporary folder: they will be poor, but they are saved models all the same.

Path root = Path.of(System.getProperty("calm.root", "."));
Path demo = root.resolve("runs/demo");
boolean fromDemo = Files.isRegularFile(demo.resolve("model-a").resolve(ModelFolder.CONFIG)) &&
    Files.isRegularFile(demo.resolve("model-b").resolve(ModelFolder.CONFIG)) &&
    Files.isDirectory(demo.resolve("data"));
Path temporary = fromDemo ? null : Files.createTempDirectory("calm-notebook-");
Path folder = fromDemo ? demo : temporary;

void pretrainTinyModels(Path output, int steps) throws Exception {
    var config = ConfigLoader.readResource("/calm/demo.yaml").withOutput(output.toString()).withMaxSteps(steps);
    var experiment = new KvExperiment(config);
    experiment.pretrain(ModelRole.A, false, manager);
    experiment.pretrain(ModelRole.B, false, manager);
}

if (fromDemo) {
    System.out.println("Using the models of `bin/calm demo` in " + demo);
} else {
    System.out.println("No runs/demo: pretraining two tiny models for 100 steps each into " + temporary);
    pretrainTinyModels(temporary, 100);
}

// What is on disk: config.json (the architecture), model.safetensors (the weights) and
// provenance.json (the config, seed, commit and library versions that made the model).
DecoderLM mA = ModelFolder.load(folder.resolve("model-a"), manager);
DecoderLM mB = ModelFolder.load(folder.resolve("model-b"), manager);
String describe(DecoderLM model) {
    return String.format("GPT d=%d, %d layers, %d heads, context %d, %,d parameters", model.hiddenSize(),
        model.numLayers(), model.numHeads(), model.contextLength(), model.parameterCount());
}
System.out.println("m_A (augmenting): " + describe(mA));
System.out.println("m_B (anchor):     " + describe(mB));

// ## 2. Compose them
// The default wiring connects every fourth layer of m_A to evenly spaced layers of m_B (a
// single connection for these 2-layer models). build() freezes both models: only the
// connections train. W_O starts at zero, so a new composition returns m_B's logits exactly.

Wiring wiring = Wiring.everyFourth(mA.numLayers(), mB.numLayers());
Engine.getInstance().setRandomSeed(1);
ComposedModel untrained = ComposedModel.builder(mB).augment(mA).build(manager);
System.out.println("connections (m_A layer, m_B layer): " + wiring.connections());
System.out.println("trainable parameters: " + untrained.trainableParameterFormula());

// A trained composition is a folder of its own: the connections' weights and pointers to the
// two base models, whose weights' SHA-256 it checks on loading.
Path trainedFolder = folder.resolve("composition");
boolean haveTrained = Files.isRegularFile(trainedFolder.resolve(CompositionFolder.SPEC));
ComposedModel calm = haveTrained ? CompositionFolder.load(trainedFolder, null, manager) : untrained;
System.out.println(haveTrained ?
    "Loaded the trained composition of " + trainedFolder :
    "No trained composition: CALM below is the untrained one, so it answers exactly as m_B (run `bin/calm demo` to train one)");

// ## 3. Generate from a prompt
// Models read the key-value vocabulary one character a token (0-9, a-z, + - = and space, after
// four special tokens). A prompt is BOS + text; greedy decoding stops at EOS.

CharVocabulary vocabulary = KvExperiment.VOCABULARY;

int[] encodePrompt(String text) {
    int[] ids = vocabulary.encode(text);
    int[] withBos = new int[ids.length + 1];
    withBos[0] = CharVocabulary.BOS;
    System.arraycopy(ids, 0, withBos, 1, ids.length);
    return withBos;
}

String text(Generator.Output output) {
    return vocabulary.decode(Arrays.stream(output.tokens()).filter(id -> !vocabulary.isSpecial(id)).toArray());
}

// Continues every prompt at once: prompts are left-padded into one batch.
List<String> generate(LanguageModel model, List<String> prompts, int maxNewTokens) {
    List<int[]> ids = prompts.stream().map(p -> encodePrompt(p)).toList();
    List<String> texts = new ArrayList<>();
    for (Generator.Output output : Generator.generate(model, ids, DecodingConfig.greedy(maxNewTokens, CharVocabulary.EOS), manager)) {
        texts.add(text(output));
    }
    return texts;
}

List<KvExample> heldOut = KvDatasetFiles.readExamples(folder.resolve("data").resolve(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS.fileName()));
String prompt = heldOut.get(0).prompt();
System.out.println("prompt " + prompt + " -> token ids " + Arrays.toString(encodePrompt(prompt)));
System.out.println("m_B alone: " + prompt + generate(mB, List.of(prompt), 4).get(0));
System.out.println("CALM:      " + prompt + generate(calm, List.of(prompt), 4).get(0) + "   (expected " + heldOut.get(0).target() + ")");

// ## 4. Score a handful of held-out examples
// New expressions over the keys the composition was trained on (the eval-kv-arithmetic-dc-keys
// split), greedy, exact match. With so few examples the 95% bootstrap intervals are wide, and
// models this small are far from the paper's accuracy: the numbers show the mechanics.

List<KvExample> examples = heldOut.subList(0, Math.min(8, heldOut.size()));
List<String> prompts = examples.stream().map(KvExample::prompt).toList();
List<String> expected = examples.stream().map(KvExample::target).toList();
int room = mB.contextLength() - prompts.stream().mapToInt(p -> encodePrompt(p).length).max().getAsInt();
int maxNewTokens = Math.min(room, expected.stream().mapToInt(String::length).max().getAsInt() + 1);
List<String> byAnchor = generate(mB, prompts, maxNewTokens);
List<String> byCalm = generate(calm, prompts, maxNewTokens);

String calmName = haveTrained ? "CALM" : "CALM (untrained)";
String cell(String answer, String target) {
    return (answer.isEmpty() ? "(empty)" : answer) + (ExactMatch.score(answer, target) == 1 ? " *" : "");
}
System.out.printf("%n%-16s %-9s %-12s %s%n", "prompt", "expected", "m_B alone", calmName);
for (int i = 0; i < examples.size(); i++) {
    System.out.printf("%-16s %-9s %-12s %s%n", prompts.get(i), expected.get(i),
        cell(byAnchor.get(i), expected.get(i)), cell(byCalm.get(i), expected.get(i)));
}
System.out.println("(* = exact match)");

IndexedMetric anchorAccuracy = ExactMatch.accuracy(byAnchor, expected);
IndexedMetric calmAccuracy = ExactMatch.accuracy(byCalm, expected);
String summary(ConfidenceInterval interval) {
    return String.format("%3.0f%% [%3.0f%%, %3.0f%%]", 100 * interval.estimate(), 100 * interval.lower(), 100 * interval.upper());
}
System.out.printf("%nexact match, %d examples, 95%% bootstrap interval%n", examples.size());
System.out.printf("  %-17s %s%n", "m_B alone", summary(Bootstrap.DEFAULT.interval(anchorAccuracy)));
System.out.printf("  %-17s %s%n", calmName, summary(Bootstrap.DEFAULT.interval(calmAccuracy)));
PairedComparison difference = Bootstrap.DEFAULT.compare(calmAccuracy, anchorAccuracy);
System.out.printf("  CALM - m_B        %+.0f points, paired bootstrap p = %.3f%n", 100 * difference.observedDifference(), difference.pValue());

// ## 5. Clean up
// The temporary models are in memory now and no longer needed on disk. Their arrays live in
// native memory owned by `manager`: in an interactive session, `manager.close()` frees them once
// you are done with the variables above.

if (!fromDemo) {
    Folders.deleteTree(temporary);
}
System.out.printf("%nNotebook done in %.1f s.%n", (System.nanoTime() - started) / 1e9);
