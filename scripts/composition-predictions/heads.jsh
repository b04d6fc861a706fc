import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import calm.data.CharVocabulary;
import calm.io.ModelFolder;
import calm.kv.KvExperiment;
import calm.kv.data.KvArithmeticDatasets;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.model.DecoderLM;
import calm.model.LayerHook;
import calm.model.Window;
import calm.train.TrainingLoop;
import calm.train.checkpoint.Checkpoint;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.experiment.ModelRole;
import java.nio.file.Path;
import java.util.List;

// What m_A predicts in lockstep: over 300 held-out KV-Arithmetic prompts per split, teacher-forced
// with the gold answer, how often its output layer (k = 1) and each multi-token head (k = 2..K)
// predict, at '=' and at each answer digit j, token j + k of the substitution ahead (`v1+v2`), as
// its KV-Substitution training taught it; and over Numeric-Arithmetic prompts, where the
// "substitution" is the expression itself. HEADS: the checkpoint parameters file holding the heads
// (default: the newest checkpoint of the run's pretrain-a job).
//   CALM_CONFIG=configs/kv-arithmetic.yaml bin/calm-notebook --batch scripts/composition-predictions/heads.jsh
LoadedConfig loaded = ConfigLoader.read(Path.of(System.getenv().getOrDefault("CALM_CONFIG", "configs/kv-arithmetic.yaml")));
KvExperiment experiment = new KvExperiment(loaded);
KvArithmeticDatasets data = experiment.data();
NDManager manager = NDManager.newBaseManager();
DecoderLM mA = experiment.loadBase(ModelRole.A, manager);
Path headsFile;
if (System.getenv("HEADS") != null) {
    headsFile = Path.of(System.getenv("HEADS"));
} else {
    Path checkpoints = experiment.jobFolder(KvExperiment.pretrainJob(ModelRole.A)).resolve(TrainingLoop.CHECKPOINTS);
    headsFile = Checkpoint.latest(checkpoints).orElseThrow(() -> new IllegalStateException("no checkpoint in " + checkpoints + ": say in HEADS which file holds m_A's heads")).folder().resolve(Checkpoint.PARAMETERS);
}
List<NDArray> heads = ModelFolder.readHeads(headsFile, manager);
int predictions = heads.size() + 1;
CharVocabulary vocabulary = KvExperiment.VOCABULARY;
if (!data.settings().scratchpad()) throw new IllegalStateException("data.scratchpad must be true: the substitutions come from the scratchpad splits");
for (KvSplit split : List.of(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS_SCRATCHPAD, KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS_SCRATCHPAD,
        KvSplit.EVAL_NUMERIC_ARITHMETIC)) {
    List<KvExample> examples = data.get(split);
    int n = Math.min(300, examples.size());
    int answerDigits = 0;
    int[][] right = new int[8][predictions + 1];
    int[][] asked = new int[8][predictions + 1];
    for (KvExample e : examples.subList(0, n)) {
        boolean numeric = e.keys().isEmpty();
        int equals = e.target().indexOf('=');
        String substitution = numeric ? e.prompt().substring(0, e.prompt().length() - 1) : e.target().substring(0, equals);
        String answer = numeric ? e.target() : e.target().substring(equals + 1);
        int[] ids = vocabulary.encode(e.prompt() + answer);
        long[] tokens = new long[ids.length + 1];
        tokens[0] = CharVocabulary.BOS;
        for (int i = 0; i < ids.length; i++) tokens[i + 1] = ids[i];
        answerDigits = Math.max(answerDigits, answer.length());
        try (NDManager scope = manager.newSubManager()) {
            NDArray hidden = mA.hidden(Window.full(scope.create(tokens, new Shape(1, tokens.length)), null), null, LayerHook.NONE, mA.numLayers());
            for (int j = 0; j < answer.length() && j < right.length; j++) {
                NDArray state = hidden.get(":, " + (e.prompt().length() + j) + ", :").expandDims(1);
                for (int k = 1; k <= predictions; k++) {
                    int ahead = j + k - 1;
                    if (ahead >= substitution.length()) continue;
                    NDArray input = k == 1 ? state : state.add(ai.djl.nn.core.Linear.linear(state, heads.get(k - 2)).singletonOrThrow());
                    long predicted = mA.project(input).argMax(2).toLongArray()[0];
                    asked[j][k]++;
                    if (predicted == vocabulary.encode(substitution.substring(ahead, ahead + 1))[0]) right[j][k]++;
                }
            }
        }
    }
    System.out.printf("%s (%d prompts): %% right, rows: '=' then answer digits 1.., columns: k = 1..%d%n", split.id(), n, predictions);
    for (int j = 0; j < Math.min(answerDigits, right.length); j++) {
        StringBuilder line = new StringBuilder(j == 0 ? "  '='     " : String.format("  digit %-2d", j));
        for (int k = 1; k <= predictions; k++) line.append(asked[j][k] == 0 ? "      -" : String.format(" %6.1f", 100.0 * right[j][k] / asked[j][k]));
        System.out.println(line);
    }
}
manager.close();
