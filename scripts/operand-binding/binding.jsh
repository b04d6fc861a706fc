import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import calm.compose.ComposedModel;
import calm.compose.LayerOutputs;
import calm.kv.KvExperiment;
import calm.kv.data.KvArithmeticDatasets;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.kv.data.KvTask;
import calm.kv.data.PrefixedExamples;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import calm.train.Seeds;
import calm.train.TrainingConfig;
import calm.train.config.CompositionConfig;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.config.ModelSpec;
import calm.train.config.PrefixStage;
import calm.train.config.WiringSpec;
import calm.train.experiment.ModelRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

// Can the paper's reading work here? The shipped m_B reads its operands from fixed digit slots, so a
// connection cannot hand it a value. This m_B learns Numeric-Arithmetic where a share of the operands
// are bound to one-letter variables earlier in the same text ("x=321 y=540 x+y=", the numbers in the
// config's format), so that its arithmetic must find operands through attention; keys have 2 to 6
// letters, so it still never sees one. Then CALM reading the finished run's m_A through its layer
// outputs (layer 4 into every anchor layer, configs/kv-arithmetic.yaml's variants.layerOutputsWiring),
// trained on D_C with the config's composition and training sections, is scored by the training
// loop's held-out evaluation on the first training.evalExamples prompts of each KV-Arithmetic split.
// ANCHOR_SEED (default: models.b.training.seed) seeds m_B's initialisation and data order. Jobs go to
// OUTPUT/train/binding-pretrain-b-sSEED, binding-pretrain-b-sSEED-prefix and binding-compose-sSEED.
// Run from the repository root after `calm run` (it reads OUTPUT/model-a):
//   BINDING_SHARE=0.5 ANCHOR_SEED=2 CALM_CONFIG=configs/kv-arithmetic.yaml bin/calm-notebook --batch scripts/operand-binding/binding.jsh
LoadedConfig loaded = ConfigLoader.read(Path.of(System.getenv().getOrDefault("CALM_CONFIG", "configs/kv-arithmetic.yaml")));
double share = Double.parseDouble(System.getenv().getOrDefault("BINDING_SHARE", "0.5"));
KvExperiment experiment = new KvExperiment(loaded);
KvArithmeticDatasets data = experiment.data();
NDManager manager = NDManager.newBaseManager();

// "321+540=" -> "x=321 y=540 x+y=", two distinct letters drawn per example.
KvExample bind(KvExample example, SplittableRandom random) {
    String expression = example.prompt().substring(0, example.prompt().length() - 1);
    String[] numbers = expression.split("[+-]");
    List<Character> operators = new ArrayList<>();
    for (char c : expression.toCharArray()) if (c == '+' || c == '-') operators.add(c);
    StringBuilder bindings = new StringBuilder();
    StringBuilder named = new StringBuilder();
    List<Character> used = new ArrayList<>();
    for (int i = 0; i < numbers.length; i++) {
        char name;
        do { name = (char) ('a' + random.nextInt(26)); } while (used.contains(name));
        used.add(name);
        bindings.append(name).append('=').append(numbers[i]).append(' ');
        named.append(i == 0 ? "" : String.valueOf(operators.get(i - 1))).append(name);
    }
    return new KvExample(KvTask.NUMERIC_ARITHMETIC, bindings + named.toString() + "=", example.target(), List.of());
}
SplittableRandom random = new SplittableRandom(2401);
List<KvExample> train = new ArrayList<>();
for (KvExample example : data.get(KvSplit.TRAIN_NUMERIC_ARITHMETIC)) train.add(random.nextDouble() < share ? bind(example, random) : example);
List<KvExample> boundEval = new ArrayList<>();
for (KvExample example : data.get(KvSplit.EVAL_NUMERIC_ARITHMETIC)) boundEval.add(bind(example, random));
System.out.printf("m_B's data: %d examples, %d with bound operands, e.g. %s -> %s%n", train.size(), train.stream().filter(e -> e.prompt().contains(" ")).count(), boundEval.get(0).prompt(), boundEval.get(0).target());

// m_B: the config's m_B, with room for the bindings behind the prefix stage's prefixes.
ModelSpec spec = loaded.config().models().b();
long anchorSeed = Long.parseLong(System.getenv().getOrDefault("ANCHOR_SEED", String.valueOf(spec.training().seed())));
TrainingConfig pretraining = spec.training().withSeed(anchorSeed);
String tag = "-s" + anchorSeed;
GptConfig shipped = spec.architecture();
GptConfig architecture = new GptConfig(shipped.vocabSize(), 40, shipped.hiddenSize(), shipped.numLayers(), shipped.numHeads(), shipped.mlpSize(), shipped.tiedEmbeddings(), shipped.activation(), shipped.layerNormEpsilon());
Engine.getInstance().setRandomSeed(Seeds.engineSeed(anchorSeed, 0));
DecoderLM anchor = architecture.newModel();
anchor.initialize(manager, DataType.FLOAT32);
Map<String, List<KvExample>> numericHeld = new LinkedHashMap<>();
numericHeld.put("eval-numeric-arithmetic", data.get(KvSplit.EVAL_NUMERIC_ARITHMETIC));
numericHeld.put("eval-numeric-arithmetic-bound", boundEval);
experiment.train("binding-pretrain-b" + tag, anchor, train, numericHeld, pretraining, experiment.provenance("binding-pretrain-b" + tag, pretraining), false, manager);
PrefixStage stage = spec.prefixStage();
TrainingConfig continued = stage.training(pretraining);
List<KvExample> prefixed = PrefixedExamples.of(train, stage.longest(), continued.seed());
experiment.train("binding-pretrain-b" + tag + "-prefix", anchor, prefixed, numericHeld, continued, experiment.provenance("binding-pretrain-b" + tag + "-prefix", continued), false, manager);

// CALM reading m_A's layer outputs, trained on D_C.
DecoderLM augmenting = experiment.loadBase(ModelRole.A, manager);
CompositionConfig composition = loaded.config().composition().readingLayerOutputs(loaded.config().variants().layerOutputsWiring());
ComposedModel composed = composition.compose(anchor, new LayerOutputs(augmenting), loaded.config().training().seed(), manager);
Map<String, List<KvExample>> held = new LinkedHashMap<>();
for (KvSplit split : List.of(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS, KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS, KvSplit.EVAL_KV_ARITHMETIC_MIXED_KEYS, KvSplit.EVAL_NUMERIC_ARITHMETIC)) held.put(split.id(), data.get(split));
experiment.train("binding-compose" + tag, composed, data.get(KvSplit.TRAIN_COMPOSITION), held, loaded.config().training(), experiment.provenance("binding-compose" + tag, loaded.config().training()), false, manager);
System.out.println("binding: the held-out accuracies are the evaluation lines above (binding-pretrain-b*, binding-compose)");
manager.close();
