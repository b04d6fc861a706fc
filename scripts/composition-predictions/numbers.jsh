import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import calm.io.ModelFolder;
import calm.kv.KvExperiment;
import calm.kv.data.KvArithmeticDatasets;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.kv.data.KvTask;
import calm.model.DecoderLM;
import calm.train.config.ConfigLoader;
import calm.train.config.LoadedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

// An m_A that also knows numbers stand for themselves: trained from scratch, with the config's
// models.a settings, on its KV-Substitution set plus the first NUMBERS (default 10,000)
// Numeric-Arithmetic prompts as substitutions that change nothing (`851-231=` -> `851-231`), so
// that over D_C's Numeric-Arithmetic quarter its predictions are the operands' digits. Saves it to
// the model folder OUT; its multi-token heads stay in the job's checkpoints
// (OUTPUT/train/pretrain-a-numbers/checkpoints), where predictions.jsh reads them (HEADS):
//   CALM_CONFIG=configs/kv-arithmetic.yaml OUT=runs/kv-arithmetic/model-a-numbers \
//     bin/calm-notebook --batch scripts/composition-predictions/numbers.jsh
LoadedConfig loaded = ConfigLoader.read(Path.of(System.getenv().getOrDefault("CALM_CONFIG", "configs/kv-arithmetic.yaml")));
if (System.getenv("OUT") == null) throw new IllegalStateException("OUT must name the model folder to write");
KvExperiment experiment = new KvExperiment(loaded);
KvArithmeticDatasets data = experiment.data();
int numbers = Integer.parseInt(System.getenv().getOrDefault("NUMBERS", "10000"));
List<KvExample> numeric = data.get(KvSplit.TRAIN_NUMERIC_ARITHMETIC);
if (numbers > numeric.size()) throw new IllegalArgumentException("NUMBERS " + numbers + " is more than the " + numeric.size() + " Numeric-Arithmetic training prompts");
List<KvExample> train = new ArrayList<>(data.get(KvSplit.TRAIN_KV_SUBSTITUTION));
for (KvExample e : numeric.subList(0, numbers))
    train.add(new KvExample(KvTask.KV_SUBSTITUTION, e.prompt(), e.prompt().substring(0, e.prompt().length() - 1), List.of()));
Collections.shuffle(train, new Random(11));
System.out.printf("%d examples: %d KV-Substitution, %d numbers, e.g. %s -> %s%n", train.size(), train.size() - numbers, numbers,
        numeric.get(0).prompt(), numeric.get(0).prompt().substring(0, numeric.get(0).prompt().length() - 1));
var spec = loaded.config().models().a();
NDManager manager = NDManager.newBaseManager();
ai.djl.engine.Engine.getInstance().setRandomSeed(11);
DecoderLM model = spec.architecture().newModel();
model.initialize(manager, DataType.FLOAT32);
String job = "pretrain-a-numbers";
var result = experiment.train(job, model, train, Map.of(KvSplit.EVAL_KV_SUBSTITUTION.id(), data.get(KvSplit.EVAL_KV_SUBSTITUTION)),
        spec.training(), experiment.provenance(job, spec.training()), false, manager);
ModelFolder.save(model, Path.of(System.getenv("OUT")), experiment.provenance(job, spec.training()));
System.out.println("saved m_A to " + System.getenv("OUT") + "; " + result.evaluation());
manager.close();
