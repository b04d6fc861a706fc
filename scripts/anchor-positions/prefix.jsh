import ai.djl.ndarray.NDManager;
import calm.io.ModelFolder;
import calm.kv.KvExperiment;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.kv.data.PrefixedExamples;
import calm.model.DecoderLM;
import calm.train.TrainingConfig;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.experiment.ModelRole;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

// Can the anchor learn to compute after other text? Continues a finished run's m_B on its own
// Numeric-Arithmetic data with each prompt preceded by 0 to PREFIX_MAX characters (default 14)
// cut from the end of two other training examples, as in a packed stream where a window starts
// mid-example: PREFIX_STEPS updates (default 1,500) at a 1e-3 peak, every other setting from
// models.b.training, no positionShift (the prefix moves the positions). The continued m_B is saved
// to ANCHOR_OUT (default OUTPUT/model-b-prefix); the job goes to OUTPUT/train/pretrain-b-prefix.
// Its held-out Numeric-Arithmetic (no prefix) is the evaluation line. Then
//   CALM_ANCHOR=OUTPUT/model-b-prefix ... scripts/composition-scratchpad/scratchpad.jsh
// composes it with m_A in the scratchpad format. The pipeline does the same continuation itself
// with models.b.prefixStage; both draw the prefixes with calm.kv.data.PrefixedExamples.
// Run from the repository root after `calm run` (or `calm pretrain ... --model b`):
//   CALM_CONFIG=configs/kv-arithmetic.yaml bin/calm-notebook --batch scripts/anchor-positions/prefix.jsh
LoadedConfig loaded = ConfigLoader.read(Path.of(System.getenv().getOrDefault("CALM_CONFIG", "configs/kv-arithmetic.yaml")));
KvExperiment experiment = new KvExperiment(loaded);
int steps = Integer.parseInt(System.getenv().getOrDefault("PREFIX_STEPS", "1500"));
int longest = Integer.parseInt(System.getenv().getOrDefault("PREFIX_MAX", "14"));
Path saveTo = Path.of(System.getenv().getOrDefault("ANCHOR_OUT", experiment.output().resolve("model-b-prefix").toString()));
TrainingConfig b = loaded.config().models().b().training();
TrainingConfig training = b.toBuilder().steps(steps).learningRate(1e-3).warmupSteps(Math.min(200, steps)).evalInterval(500).checkpointInterval(500).predictTokens(1).positionShift(0).build();
List<KvExample> prefixed = PrefixedExamples.of(experiment.data().get(KvSplit.TRAIN_NUMERIC_ARITHMETIC), longest, b.seed());
System.out.println("for example " + prefixed.get(0).prompt() + " -> " + prefixed.get(0).target());
NDManager manager = NDManager.newBaseManager();
DecoderLM anchor = experiment.loadBase(ModelRole.B, manager);
anchor.freezeParameters(false);
Map<String, List<KvExample>> heldOut = new LinkedHashMap<>();
heldOut.put(KvSplit.EVAL_NUMERIC_ARITHMETIC.id(), experiment.data().get(KvSplit.EVAL_NUMERIC_ARITHMETIC));
Map<String, Object> provenance = experiment.provenance("pretrain-b-prefix", training);
var result = experiment.train("pretrain-b-prefix", anchor, prefixed, heldOut, training, provenance, true, manager);
ModelFolder.save(anchor, saveTo, KvExperiment.withResult(provenance, result));
System.out.println("saved the continued m_B to " + saveTo);
manager.close();
