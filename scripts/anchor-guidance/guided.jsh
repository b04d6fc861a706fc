import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import calm.compose.ComposedModel;
import calm.compose.CompositionSource;
import calm.data.CharVocabulary;
import calm.kv.KvExperiment;
import calm.kv.data.KvArithmeticDatasets;
import calm.kv.data.KvArithmeticSettings;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.model.Batch;
import calm.model.DecoderLM;
import calm.model.Decoding;
import calm.model.HiddenStates;
import calm.model.LanguageModel;
import calm.model.Window;
import calm.train.NextTokenLoss;
import calm.train.TrainingBatch;
import calm.train.TrainingConfig;
import calm.train.TrainingObjective;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.experiment.ModelRole;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// Is the paper's format out of reach for these connections, or only for their loss? Trains a fresh
// composition of a finished run's m_A and m_B on D_C in the paper's format (the config's
// composition and training sections) with the next-token loss plus GUIDANCE times a guidance term:
// at '=' and at each answer digit, after each anchor layer in LAYERS, the composed anchor's
// residual stream over `ab+cd=` is pulled towards the frozen m_B's own stream over the substituted
// expression `010+220=` (position ids moved so that both '=' stand in the same column; rows whose
// '=' stands left of m_B's own are left out of the term). The term is the squared distance divided
// by the variance of m_B's stream (WHITEN=1: by each feature's own spread over the batch). It uses
// the values of D_C's keys only, the same knowledge the scratchpad format's D_C gives; held-out
// prompts are scored greedily, without it. GUIDANCE=0 is the shipped composition's objective.
// Before and after training it prints the distance per layer on 200 D_C examples and on 200
// other-key prompts (the only use of their values). STEPS and EVAL (the evaluation interval)
// override the config's; the job is written to OUTPUT/train/compose-guided-TAG[whitened-]GUIDANCE-LAYERS.
// Run from the repository root after `calm run` (or `calm pretrain` of both models):
//   CALM_CONFIG=configs/kv-arithmetic.yaml GUIDANCE=10 LAYERS=1,2,3,4 STEPS=1200 EVAL=600 \
//     bin/calm-notebook --batch scripts/anchor-guidance/guided.jsh
LoadedConfig loaded = ConfigLoader.read(Path.of(System.getenv().getOrDefault("CALM_CONFIG", "configs/kv-arithmetic.yaml")));
double guidance = Double.parseDouble(System.getenv().getOrDefault("GUIDANCE", "1"));
boolean whiten = "1".equals(System.getenv("WHITEN"));
int[] layers = java.util.Arrays.stream(System.getenv().getOrDefault("LAYERS", "1,2,3,4").split(",")).mapToInt(Integer::parseInt).toArray();
KvExperiment experiment = new KvExperiment(loaded);
KvArithmeticDatasets data = experiment.data();
KvArithmeticSettings settings = data.settings();
CharVocabulary vocabulary = KvExperiment.VOCABULARY;

// The substituted expression of every prompt the script reads, `ab+cd` -> `010+220`, as the data's
// scratchpad format writes it (its target is that expression, '=', the answer); Numeric-Arithmetic
// prompts, absent from the map, stand for themselves.
if (!settings.scratchpad()) throw new IllegalStateException("data.scratchpad must be true: the script reads the substituted expressions from the scratchpad splits");
List<KvExample> train = data.get(KvSplit.TRAIN_COMPOSITION);
Map<String, String> numeric = new HashMap<>();
for (KvSplit split : List.of(KvSplit.TRAIN_COMPOSITION_SCRATCHPAD, KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS_SCRATCHPAD))
    for (KvExample e : data.get(split)) {
        if (e.keys().isEmpty()) continue;
        numeric.put(e.prompt().substring(0, e.prompt().length() - 1), e.target().substring(0, e.target().indexOf('=')));
    }
System.out.printf("D_C: %d examples; e.g. %s -> %s%n", train.size(), train.get(0).prompt(), numeric.get(train.get(0).prompt().replace("=", "")) + "=");

boolean guided(int layer) { return java.util.Arrays.stream(layers).anyMatch(l -> l == layer); }

// The composition with the guided objective; everything else (logits, decoding, parameters) is the composition's.
class Guided implements LanguageModel, TrainingObjective {
    final ComposedModel composed;
    int calls;
    boolean measuring;
    double[] lastTerms;
    int lastRows;
    Guided(ComposedModel composed) { this.composed = composed; }
    public int vocabSize() { return composed.vocabSize(); }
    public int contextLength() { return composed.contextLength(); }
    public NDArray logits(Batch batch) { return composed.logits(batch); }
    public Decoding startDecoding(NDArray tokens, NDArray mask, int capacity) { return composed.startDecoding(tokens, mask, capacity); }
    public List<Parameter> trainableParameters() { return composed.trainableParameters(); }
    public NDArray loss(TrainingBatch batch, int targets) {
        DecoderLM anchor = composed.anchor();
        int n = anchor.numLayers();
        NDArray tokens = batch.batch().tokens();
        NDManager manager = tokens.getManager();
        int rows = (int) tokens.getShape().get(0);
        int columns = (int) tokens.getShape().get(1);
        long[] ids = tokens.toLongArray();
        int equals = vocabulary.id('=');
        int teacherEquals = 1 + settings.numberWidth() * 2 + 1;
        int answer = settings.numberWidth();
        int teacherColumns = teacherEquals + 1 + answer;
        long[] teacher = new long[rows * teacherColumns];
        long[] offsets = new long[rows];
        float[] pick = new float[rows * (answer + 1) * columns];
        float[] weight = new float[rows];
        for (int r = 0; r < rows; r++) {
            int e = 0;
            while (ids[r * columns + e] != equals) e++;
            int[] prompt = new int[e - 1];
            for (int i = 1; i < e; i++) prompt[i - 1] = (int) ids[r * columns + i];
            String expression = vocabulary.decode(prompt);
            String substituted = numeric.getOrDefault(expression, expression);
            int[] encoded = vocabulary.encode(substituted + "=");
            if (encoded.length != teacherEquals) throw new IllegalStateException("`" + substituted + "=` is not m_B's two-operand layout "
                    + "with '=' in column " + teacherEquals + ": the script needs two operands of numberWidth digits");
            teacher[r * teacherColumns] = CharVocabulary.BOS;
            for (int i = 0; i < encoded.length; i++) teacher[r * teacherColumns + 1 + i] = encoded[i];
            for (int k = 0; k < answer; k++) teacher[r * teacherColumns + teacherEquals + 1 + k] = ids[r * columns + e + 1 + k];
            offsets[r] = Math.max(0, e - teacherEquals);
            weight[r] = e >= teacherEquals ? 1 : 0;
            for (int k = 0; k <= answer; k++) pick[(r * (answer + 1) + k) * columns + e + k] = 1;
        }
        NDArray teacherTokens = manager.create(teacher, new Shape(rows, teacherColumns));
        HiddenStates own = HiddenStates.all(n);
        anchor.hidden(Window.full(teacherTokens, null, manager.create(offsets, new Shape(rows, 1))), null, own, n);
        if (calls++ % 200 == 0) {
            // The teacher's own answer, greedy at '=' and the first answer digits: how often m_B is right where it guides.
            NDArray predicted = anchor.project(own.get(n)).argMax(2).get(":, " + teacherEquals + ":" + (teacherEquals + answer));
            NDArray expected = teacherTokens.get(":, " + (teacherEquals + 1) + ":");
            System.out.printf("guidance check: m_B over the substituted prompts predicts %.1f%% of answer digits%n",
                    100 * predicted.eq(expected).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mean().getFloat());
        }
        HiddenStates composedStates = HiddenStates.all(n);
        NDArray loss = NextTokenLoss.per(composed.logits(batch.batch(), composedStates), batch, targets);
        NDArray picked = manager.create(pick, new Shape(rows, answer + 1, columns));
        NDArray rowWeight = manager.create(weight, new Shape(rows, 1));
        if (measuring) {
            lastTerms = new double[n + 1];
            lastRows = (int) java.util.stream.IntStream.range(0, rows).filter(r -> weight[r] > 0).count();
        }
        for (int layer = 1; layer <= n; layer++) {
            boolean trained = guidance > 0 && guided(layer);
            if (!trained && !measuring) continue;
            NDArray target = own.get(layer).get(":, " + teacherEquals + ":" + (teacherEquals + answer + 1) + ", :").stopGradient();
            NDArray reached = picked.matMul(composedStates.get(layer));
            NDArray squared = reached.sub(target).square();
            NDArray scale = target.sub(target.mean()).square().mean().stopGradient();
            NDArray term = squared.mean(new int[] {2}).div(scale).mul(rowWeight).sum();
            if (measuring) lastTerms[layer] = term.getFloat();
            if (!trained) continue;
            if (whiten) {
                // Each feature measured against its own spread over the batch, so that the narrow
                // features count as much as the wide ones.
                NDArray flat = target.reshape(-1, target.getShape().get(2));
                NDArray spread = flat.sub(flat.mean(new int[] {0}, true)).square().mean(new int[] {0}, true).add(1e-3f).stopGradient();
                term = squared.div(spread).mean(new int[] {2}).mul(rowWeight).sum();
            }
            loss = loss.add(term.mul((float) (guidance / targets)));
        }
        return loss;
    }
}

NDManager manager = NDManager.newBaseManager();
CompositionSource augmenting = experiment.loadAugmenting(manager);
DecoderLM anchor = experiment.loadBase(ModelRole.B, manager);
ComposedModel composed = experiment.newComposition(anchor, augmenting, manager);
TrainingConfig shipped = loaded.config().training();
int steps = Integer.parseInt(System.getenv().getOrDefault("STEPS", String.valueOf(shipped.steps())));
int every = Integer.parseInt(System.getenv().getOrDefault("EVAL", "400"));
TrainingConfig training = shipped.toBuilder().steps(steps).warmupSteps(Math.min(shipped.warmupSteps(), steps)).evalInterval(every).checkpointInterval(0).predictTokens(1).positionShift(0).build();
Map<String, List<KvExample>> heldOut = new LinkedHashMap<>();
for (KvSplit split : List.of(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS, KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS,
        KvSplit.EVAL_NUMERIC_ARITHMETIC)) heldOut.put(split.id(), data.get(split));
String job = "compose-guided-" + System.getenv().getOrDefault("TAG", "") + (whiten ? "whitened-" : "") + System.getenv().getOrDefault("GUIDANCE", "1") + "-" + String.join("", System.getenv().getOrDefault("LAYERS", "1,2,3,4").split(","));
// How far the composed anchor's states are from m_B's own, per layer, at '=' and the answer digits
// (mean squared distance over the teacher's variance; 200 examples): on D_C and on other keys.
void distances(String when, Guided guided) {
    for (KvSplit split : List.of(KvSplit.TRAIN_COMPOSITION, KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS)) {
        List<calm.train.TrainingExample> some = data.get(split).stream().filter(e -> !e.keys().isEmpty()).limit(200)
                .map(KvExperiment::encode).toList();
        try (NDManager scope = manager.newSubManager()) {
            TrainingBatch batch = TrainingBatch.of(some, CharVocabulary.PAD, guided.contextLength(), scope);
            guided.measuring = true;
            guided.loss(batch, 1);
            guided.measuring = false;
            StringBuilder line = new StringBuilder(when + ", " + split.id() + ":");
            for (int l = 1; l < guided.lastTerms.length; l++) line.append(String.format(" layer %d %.3f", l, guided.lastTerms[l] / guided.lastRows / 4));
            System.out.println(line);
        }
    }
}
Guided guided = new Guided(composed);
distances("before training", guided);
var result = experiment.train(job, guided, train, heldOut, training,
        experiment.provenance(job, training), false, manager);
distances("after training", guided);
System.out.println(job + ": " + result.steps() + " updates in " + result.seconds() + " s; " + result.evaluation());
manager.close();
