import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import calm.compose.ComposedModel;
import calm.compose.Connection;
import calm.compose.Predictions;
import calm.compose.Wiring;
import calm.io.ModelFolder;
import calm.kv.KvExperiment;
import calm.kv.data.KvArithmeticDatasets;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.model.DecoderLM;
import calm.train.TrainingConfig;
import calm.train.TrainingLoop;
import calm.train.checkpoint.Checkpoint;
import calm.train.config.CompositionConfig;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.experiment.ModelRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// A composition that reads what m_A predicts instead of how it computes it (calm.compose.Predictions):
// every connection of the config's wiring reads m_A's layer L + 1, the one-hot of the token its
// output layer predicts and of the token each of its multi-token heads predicts, from the first
// FROM token on ('=' by default: the prompt's last token; FROM=none: every position). Trains it on
// D_C in the paper's format with CALM's own loss and the config's composition and training
// sections, and scores it on held-out prompts (greedy). STEPS and EVAL (the evaluation interval)
// override the config's. HEADS: the checkpoint parameters file holding m_A's heads (default: the
// newest checkpoint of the run's pretrain-a job); AUGMENTING: another m_A model folder (its heads
// then come from HEADS). The job is written to OUTPUT/train/compose-predictions-TAG.
// Run from the repository root after `calm run` (or `calm pretrain` of both models):
//   CALM_CONFIG=configs/kv-arithmetic.yaml STEPS=1200 EVAL=600 \
//     bin/calm-notebook --batch scripts/composition-predictions/predictions.jsh
LoadedConfig loaded = ConfigLoader.read(Path.of(System.getenv().getOrDefault("CALM_CONFIG", "configs/kv-arithmetic.yaml")));
KvExperiment experiment = new KvExperiment(loaded);
KvArithmeticDatasets data = experiment.data();
NDManager manager = NDManager.newBaseManager();
DecoderLM anchor = experiment.loadBase(ModelRole.B, manager);
String otherA = System.getenv("AUGMENTING");
DecoderLM augmenting = otherA == null ? experiment.loadBase(ModelRole.A, manager) : ModelFolder.load(Path.of(otherA), manager);
Path heads;
if (System.getenv("HEADS") != null) {
    heads = Path.of(System.getenv("HEADS"));
} else {
    if (otherA != null) throw new IllegalStateException("AUGMENTING is set: say in HEADS which checkpoint holds its heads");
    Path checkpoints = experiment.jobFolder(KvExperiment.pretrainJob(ModelRole.A)).resolve(TrainingLoop.CHECKPOINTS);
    heads = Checkpoint.latest(checkpoints).orElseThrow(() -> new IllegalStateException("no checkpoint in " + checkpoints + ": say in HEADS which file holds m_A's heads")).folder().resolve(Checkpoint.PARAMETERS);
}
String fromName = System.getenv().getOrDefault("FROM", "=");
int from = "none".equals(fromName) ? -1 : KvExperiment.VOCABULARY.id(fromName.charAt(0));
Predictions view = new Predictions(augmenting, ModelFolder.readHeads(heads, manager), from);
System.out.printf("m_A read through %d predictions per position (%s), from %s%n", view.predictions(), heads,
        from < 0 ? "every position" : "'" + fromName + "' on");

// The config's composition, with every connection reading layer L + 1 into the anchor layer it names.
CompositionConfig shipped = loaded.config().composition();
Wiring configured = shipped.wiring().resolve(view.layers(), anchor.numLayers());
List<Connection> pairs = new ArrayList<>();
for (Connection pair : configured.connections()) pairs.add(new Connection(view.layers().numLayers(), pair.anchorLayer()));
ai.djl.engine.Engine.getInstance().setRandomSeed(calm.train.Seeds.engineSeed(loaded.config().training().seed(), 0));
ComposedModel composed = ComposedModel.builder(anchor).augment(view, Wiring.of(view.layers(), anchor.numLayers(), pairs), shipped.mode()).heads(shipped.heads() == 0 ? anchor.numHeads() : shipped.heads()).zeroInitOutput(shipped.zeroInitOutput()).normalize(shipped.normalize()).positionBias(shipped.positionBias()).build(manager);
System.out.println("connections " + pairs + ", " + composed.trainableParameterCount() + " trainable parameters");

TrainingConfig config = loaded.config().training();
int steps = Integer.parseInt(System.getenv().getOrDefault("STEPS", String.valueOf(config.steps())));
int every = Integer.parseInt(System.getenv().getOrDefault("EVAL", "400"));
TrainingConfig training = config.toBuilder().steps(steps).warmupSteps(Math.min(config.warmupSteps(), steps)).evalInterval(every).checkpointInterval(0).predictTokens(1).positionShift(0).build();
Map<String, List<KvExample>> heldOut = new LinkedHashMap<>();
for (KvSplit split : List.of(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS, KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS,
        KvSplit.EVAL_NUMERIC_ARITHMETIC)) heldOut.put(split.id(), data.get(split));
String job = "compose-predictions-" + System.getenv().getOrDefault("TAG", "");
var result = experiment.train(job, composed, data.get(KvSplit.TRAIN_COMPOSITION), heldOut, training,
        experiment.provenance(job, training), false, manager);
System.out.println(job + ": " + result.steps() + " updates in " + result.seconds() + " s; " + result.evaluation());
manager.close();
