// # 02 Translate with m_B and with CALM
//
// Open:   bin/calm-notebook 02             (stays in JShell afterwards: try the variables below)
// Batch:  bin/calm-notebook --batch 02     (what CI runs; about a minute on 2 cores without a run)
//
// In the translation experiment (CALM paper, section 4.2), m_A has read the Universal Declaration
// of Human Rights in many low-resource languages and their translations into English; m_B writes
// English and translates Spanish but has never seen those languages. CALM trains connections from
// m_A into m_B on pairs of a few of the languages (D_C). This notebook loads a run's m_B and CALM,
// translates one held-out paragraph of a chosen language with both, and scores a few held-out
// paragraphs with chrF, sacrebleu's definition.
//
// It uses the run of configs/translation.yaml (runs/translation) when it is there, else the tiny
// run (runs/translation-tiny), else it runs configs/translation-tiny.yaml into a temporary
// folder: those models are far too small to translate, but they are saved models all the same.

import ai.djl.ndarray.NDManager;
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
import calm.translation.TranslationDatasets;
import calm.translation.TranslationExample;
import calm.translation.TranslationSplit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

long started = System.nanoTime();
NDManager manager = NDManager.newBaseManager();

// ## 1. A run's saved models
Path root = Path.of(System.getProperty("calm.root", "."));
boolean done(Path run) {
    return Files.isRegularFile(run.resolve("composition").resolve(CompositionFolder.SPEC)) &&
        Files.isRegularFile(run.resolve("data").resolve(TranslationDatasets.MANIFEST_FILE));
}
Path shipped = root.resolve("runs/translation");
Path tiny = root.resolve("runs/translation-tiny");
Path temporary = done(shipped) || done(tiny) ? null : Files.createTempDirectory("calm-notebook-");
Path run = done(shipped) ? shipped : done(tiny) ? tiny : temporary;
if (temporary != null) {
    System.out.println("No translation run: running configs/translation-tiny.yaml into " + temporary);
    // The config names the committed samples relative to the checkout, wherever JShell started.
    Path file = root.resolve("configs/translation-tiny.yaml");
    String text = Files.readString(file).replace("corpora: datasets/", "corpora: " + root.toAbsolutePath() + "/datasets/");
    LoadedConfig config = ConfigLoader.parse(file.toString(), "translation-tiny", text).withOutput(temporary.toString());
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

// ## 2. Translate one held-out paragraph
// Every model reads UTF-8 bytes (ids 4 to 259, after four special tokens). A prompt is BOS, the
// source paragraph and a line break; greedy decoding stops at EOS.
ByteVocabulary bytes = ByteVocabulary.utf8();
int[] encodePrompt(String text) {
    int[] ids = bytes.encode(text);
    int[] withBos = new int[ids.length + 1];
    withBos[0] = CharVocabulary.BOS;
    System.arraycopy(ids, 0, withBos, 1, ids.length);
    return withBos;
}
List<String> translate(LanguageModel model, List<String> prompts, int maxNewTokens) {
    List<int[]> ids = prompts.stream().map(p -> encodePrompt(p)).toList();
    List<String> texts = new ArrayList<>();
    for (Generator.Output output : Generator.generate(model, ids, DecodingConfig.greedy(maxNewTokens, CharVocabulary.EOS), manager)) {
        texts.add(bytes.decode(output.tokens()));
    }
    return texts;
}

TranslationDatasets data = TranslationDatasets.read(run.resolve("data"));
List<TranslationExample> heldOut = data.get(TranslationSplit.EVAL);
String language = heldOut.get(0).language();   // try another: any code of the run's data.languages
List<TranslationExample> ofLanguage = heldOut.stream().filter(e -> e.language().equals(language)).toList();
TranslationExample example = ofLanguage.get(0);
int budget = Math.min(mB.contextLength() - encodePrompt(example.prompt()).length, bytes.encode(example.completion()).length + 16);
System.out.println("\n" + language + ":    " + example.prompt().strip());
System.out.println("reference: " + example.completion());
System.out.println("m_B:       " + translate(mB, List.of(example.prompt()), budget).get(0));
System.out.println("CALM:      " + translate(calm, List.of(example.prompt()), budget).get(0));

// ## 3. Score a few held-out paragraphs with chrF
// Corpus chrF (character 6-grams, beta 2) over the language's held-out paragraphs, with the 95%
// bootstrap interval over paragraphs, and CALM against m_B by the paired bootstrap. With so few
// paragraphs the intervals are wide.
List<String> prompts = ofLanguage.stream().map(TranslationExample::prompt).toList();
List<List<String>> references = ofLanguage.stream().map(e -> List.of(e.completion())).toList();
int longest = ofLanguage.stream().mapToInt(e -> bytes.encode(e.completion()).length).max().getAsInt() + 16;
int room = mB.contextLength() - prompts.stream().mapToInt(p -> encodePrompt(p).length).max().getAsInt();
List<String> byAnchor = translate(mB, prompts, Math.min(room, longest));
List<String> byCalm = translate(calm, prompts, Math.min(room, longest));
var anchorChrf = Chrf.DEFAULT.corpus(byAnchor, references);
var calmChrf = Chrf.DEFAULT.corpus(byCalm, references);
System.out.printf("%nchrF on %d held-out %s paragraphs:%n", prompts.size(), language);
String chrf(ConfidenceInterval interval) {
    return String.format("%5.1f [%.1f, %.1f]", interval.estimate(), interval.lower(), interval.upper());
}
System.out.printf("  m_B   %s%n", chrf(Bootstrap.DEFAULT.interval(anchorChrf)));
System.out.printf("  CALM  %s%n", chrf(Bootstrap.DEFAULT.interval(calmChrf)));
PairedComparison difference = Bootstrap.DEFAULT.compare(calmChrf, anchorChrf);
System.out.printf("  CALM - m_B  %+.1f chrF, paired bootstrap p = %.3f%n", difference.observedDifference(), difference.pValue());

// ## 4. Clean up
if (temporary != null) {
    Folders.deleteTree(temporary);
}
System.out.printf("%nNotebook done in %.1f s.%n", (System.nanoTime() - started) / 1e9);
