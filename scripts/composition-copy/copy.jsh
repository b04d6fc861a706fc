import ai.djl.ndarray.NDManager;
import calm.compose.ComposedModel;
import calm.compose.CompositionSource;
import calm.kv.KvExperiment;
import calm.kv.data.KvArithmeticDatasets;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.kv.data.KvTask;
import calm.model.DecoderLM;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import calm.train.experiment.ModelRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

// Can a composition relay what m_A predicts? Trains a fresh composition of a finished run's m_A and
// m_B (the config's composition and training sections) on KV-Substitution over D_C's keys only, the
// one task m_A already solves, and reports held-out KV-Substitution over D_C keys and over the other
// keys. A composition that reads m_A scores on the other keys what it scores on D_C's; one that
// memorises D_C's keys does not. The job is written to OUTPUT/train/compose-copy.
// Run from the repository root after `calm run` (or `calm pretrain` of both models):
//   CALM_CONFIG=configs/kv-arithmetic.yaml bin/calm-notebook --batch scripts/composition-copy/copy.jsh
LoadedConfig loaded = ConfigLoader.read(Path.of(System.getenv().getOrDefault("CALM_CONFIG", "configs/kv-arithmetic.yaml")));
KvExperiment experiment = new KvExperiment(loaded);
KvArithmeticDatasets data = experiment.data();
Set<String> dcKeys = new HashSet<>(data.keySplit().compositionKeys());
NDManager manager = NDManager.newBaseManager();
CompositionSource augmenting = experiment.loadAugmenting(manager);
DecoderLM anchor = experiment.loadBase(ModelRole.B, manager);
ComposedModel composed = experiment.newComposition(anchor, augmenting, manager);
List<KvExample> train = new ArrayList<>();
for (KvExample example : data.get(KvSplit.TRAIN_KV_SUBSTITUTION)) {
    if (example.task() == KvTask.KV_SUBSTITUTION && dcKeys.containsAll(example.keys())) train.add(example);
}
Map<String, List<KvExample>> heldOut = new LinkedHashMap<>();
heldOut.put("kv-substitution-dc-keys", data.get(KvSplit.EVAL_KV_SUBSTITUTION).stream().filter(e -> dcKeys.containsAll(e.keys())).toList());
heldOut.put("kv-substitution-other-keys", data.get(KvSplit.EVAL_KV_SUBSTITUTION).stream().filter(e -> e.keys().stream().noneMatch(dcKeys::contains)).toList());
System.out.printf("training on %d KV-Substitution examples over D_C's %d keys; held out: %d over D_C keys, %d over other keys%n",
        train.size(), dcKeys.size(), heldOut.get("kv-substitution-dc-keys").size(), heldOut.get("kv-substitution-other-keys").size());
var result = experiment.train("compose-copy", composed, train, heldOut, loaded.config().training(),
        experiment.provenance("compose-copy", loaded.config().training()), false, manager);
System.out.println("compose-copy: " + result.steps() + " updates; the held-out scores are the evaluation lines above");
manager.close();
