import ai.djl.ndarray.NDManager;
import calm.compose.ComposedModel;
import calm.compose.CompositionSource;
import calm.data.CharVocabulary;
import calm.generate.DecodingConfig;
import calm.generate.Generator;
import calm.io.ModelFolder;
import calm.kv.KvExperiment;
import calm.kv.data.KvArithmeticDatasets;
import calm.kv.data.KvArithmeticSettings;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.model.DecoderLM;
import calm.model.LanguageModel;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.experiment.ModelRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// Which half of KV-Arithmetic fails: relaying m_A or the anchor's arithmetic? Trains a fresh
// composition of a finished run's m_A and m_B (the config's composition and training sections) on
// D_C in the scratchpad format (`ab+cd=` -> `010+220=230`: the substituted expression, then the
// answer), where the anchor can do the arithmetic on digits it has written itself. Then, on 300
// held-out expressions over D_C keys and over other keys, it counts greedy outputs whose
// substitution is right, and outputs whose answer is right for the substitution they wrote. Last,
// m_B alone answers the right substitution, once on its own (`010+220=`, m_B's own prompt) and once
// after the KV prompt (`ab+cd=010+220=`, where the scratchpad puts it).
// CALM_ANCHOR: a model folder to use as m_B instead of the run's (for example the one
// scripts/anchor-positions/prefix.jsh saves). The job is written to
// OUTPUT/train/compose-scratchpad (compose-scratchpad-FOLDERNAME with CALM_ANCHOR); run again, it
// reuses the trained job. A config with data.scratchpad: true has `calm run` train that same job
// (the report's CALM (scratchpad)); the script then reuses it and only probes.
// Run from the repository root after `calm run` (or `calm pretrain` of both models):
//   CALM_CONFIG=configs/kv-arithmetic.yaml bin/calm-notebook --batch scripts/composition-scratchpad/scratchpad.jsh
LoadedConfig loaded = ConfigLoader.read(Path.of(System.getenv().getOrDefault("CALM_CONFIG", "configs/kv-arithmetic.yaml")));
KvExperiment experiment = new KvExperiment(loaded);
KvArithmeticSettings settings = loaded.config().data().settings();
KvArithmeticDatasets data = KvArithmeticDatasets.build(new KvArithmeticSettings(settings.numKeys(),
        settings.compositionFraction(), settings.expressions(), settings.digitOrder(), settings.sizes(), true,
        settings.numberWidth()), loaded.config().data().seed());
NDManager manager = NDManager.newBaseManager();
CompositionSource augmenting = experiment.loadAugmenting(manager);
String anchorFolder = System.getenv("CALM_ANCHOR");
DecoderLM anchor = experiment.loadBase(ModelRole.B, manager);
if (anchorFolder != null) anchor = ModelFolder.load(Path.of(anchorFolder), manager);
String job = anchorFolder == null ? "compose-scratchpad" : "compose-scratchpad-" + Path.of(anchorFolder).getFileName();
ComposedModel composed = experiment.newComposition(anchor, augmenting, manager);
Map<String, List<KvExample>> heldOut = new LinkedHashMap<>();
heldOut.put("scratchpad-dc-keys", data.get(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS_SCRATCHPAD));
heldOut.put("scratchpad-other-keys", data.get(KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS_SCRATCHPAD));
List<KvExample> train = data.get(KvSplit.TRAIN_COMPOSITION_SCRATCHPAD);
System.out.printf("training on %d D_C expressions in the scratchpad format, for example %s -> %s%n", train.size(),
        train.get(0).prompt(), train.get(0).target());
var result = experiment.train(job, composed, train, heldOut, loaded.config().training(),
        experiment.provenance(job, loaded.config().training()), true, manager);
System.out.println(job + ": " + result.steps() + " updates, m_B from " + (anchorFolder == null ? "the run" : anchorFolder));

CharVocabulary vocabulary = KvExperiment.VOCABULARY;

int[] withBos(String text) {
    int[] ids = vocabulary.encode(text);
    int[] tokens = new int[ids.length + 1];
    tokens[0] = CharVocabulary.BOS;
    System.arraycopy(ids, 0, tokens, 1, ids.length);
    return tokens;
}

List<String> generate(LanguageModel model, List<String> prompts, int maxNewTokens) {
    List<String> texts = new ArrayList<>();
    for (Generator.Output output : Generator.generate(model, prompts.stream().map(p -> withBos(p)).toList(),
            DecodingConfig.greedy(maxNewTokens, CharVocabulary.EOS), manager)) {
        texts.add(vocabulary.decode(Arrays.stream(output.tokens()).filter(id -> !vocabulary.isSpecial(id)).toArray()));
    }
    return texts;
}

int value(String digits) {
    String mostSignificantFirst = settings.digitOrder().name().startsWith("LEAST")
            ? new StringBuilder(digits).reverse().toString() : digits;
    return Integer.parseInt(mostSignificantFirst);
}

// True when the answer after the second '=' is the result of the expression before it (operands
// joined by + and -, evaluated left to right).
boolean answersItsOwnSubstitution(String output) {
    int equals = output.indexOf('=');
    if (equals < 0 || !output.substring(0, equals).matches("[0-9]+([+-][0-9]+)+")
            || !output.substring(equals + 1).matches("[0-9]+")) return false;
    String expression = output.substring(0, equals);
    String[] operands = expression.split("[+-]");
    String operators = expression.replaceAll("[0-9]", "");
    long result = value(operands[0]);
    for (int i = 1; i < operands.length; i++) {
        result += operators.charAt(i - 1) == '+' ? value(operands[i]) : -value(operands[i]);
    }
    return result >= 0 && value(output.substring(equals + 1)) == result;
}

System.out.println();
System.out.println("| held-out split | exact | substitution right | answer right for the substitution written | m_B alone on the right substitution | the same after the KV prompt |");
System.out.println("|---|---:|---:|---:|---:|---:|");
for (Map.Entry<String, List<KvExample>> split : heldOut.entrySet()) {
    List<KvExample> examples = split.getValue().subList(0, Math.min(300, split.getValue().size()));
    List<String> outputs = generate(composed, examples.stream().map(KvExample::prompt).toList(), 14);
    List<String> substitutions = examples.stream().map(e -> e.target().substring(0, e.target().indexOf('=') + 1)).toList();
    List<String> alone = generate(anchor, substitutions, 5);
    List<String> afterPrompt = generate(anchor, java.util.stream.IntStream.range(0, examples.size())
            .mapToObj(i -> examples.get(i).prompt() + substitutions.get(i)).toList(), 5);
    int exact = 0, substituted = 0, ownAnswer = 0, byAnchor = 0, byAnchorAfterPrompt = 0;
    for (int i = 0; i < examples.size(); i++) {
        String target = examples.get(i).target();
        String answer = target.substring(target.indexOf('=') + 1);
        if (outputs.get(i).equals(target)) exact++;
        if (outputs.get(i).startsWith(substitutions.get(i))) substituted++;
        if (answersItsOwnSubstitution(outputs.get(i))) ownAnswer++;
        if (alone.get(i).equals(answer)) byAnchor++;
        if (afterPrompt.get(i).equals(answer)) byAnchorAfterPrompt++;
    }
    int n = examples.size();
    System.out.printf("| %s | %.1f | %.1f | %.1f | %.1f | %.1f |%n", split.getKey(), 100.0 * exact / n, 100.0 * substituted / n,
            100.0 * ownAnswer / n, 100.0 * byAnchor / n, 100.0 * byAnchorAfterPrompt / n);
}
manager.close();
