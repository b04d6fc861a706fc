import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import calm.data.CharVocabulary;
import calm.io.ModelFolder;
import calm.kv.data.KvDatasetFiles;
import calm.kv.data.KvExample;
import calm.model.DecoderLM;
import calm.model.HiddenStates;
import calm.model.Window;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

// What m_A holds in lockstep, where a composition reads it while the anchor writes the answer:
// m_A reads BOS + a held-out two-operand KV-Arithmetic prompt + its gold answer, and its state after
// the last layer is recorded at '=' and at each answer digit (answer position j = 0, 1, 2), with
// its greedy next token. lockstep.py fits linear read-outs of each key's value digits from them.
// Run from the repository root after `calm run` (or `calm pretrain ... --model a`):
//   CALM_RUN=runs/kv-arithmetic bin/calm-notebook --batch scripts/linear-probe/lockstep.jsh
Path run = Path.of(System.getenv().getOrDefault("CALM_RUN", "runs/kv-arithmetic"));
CharVocabulary vocab = CharVocabulary.standard();
Map<String, Integer> store = new HashMap<>();
ObjectMapper json = new ObjectMapper();
for (String line : Files.readAllLines(run.resolve("data").resolve("key-values.jsonl"))) {
    JsonNode record = json.readTree(line);
    store.put(record.get("key").asText(), record.get("value").asInt());
}
try (NDManager manager = NDManager.newBaseManager();
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(run.resolve("lockstep-states.csv")))) {
    DecoderLM model = ModelFolder.load(run.resolve("model-a"), manager);
    for (String split : new String[] {"eval-kv-arithmetic-dc-keys", "eval-kv-arithmetic-other-keys"}) {
        for (KvExample example : KvDatasetFiles.readExamples(run.resolve("data").resolve(split + ".jsonl"))) {
            String[] keys = example.prompt().replace("=", "").split("[+-]");
            int[] ids = vocab.encode(example.prompt() + example.target());
            long[] tokens = new long[ids.length + 1];
            tokens[0] = CharVocabulary.BOS;
            for (int i = 0; i < ids.length; i++) tokens[i + 1] = ids[i];
            try (NDManager scope = manager.newSubManager()) {
                NDArray t = scope.create(tokens, new Shape(1, tokens.length));
                HiddenStates states = HiddenStates.all(model.numLayers());
                NDArray last = model.hidden(Window.full(t, null), null, states, model.numLayers());
                NDArray greedy = model.project(last).argMax(-1);
                int equals = example.prompt().length(); // the column of '=' (BOS is column 0)
                for (int j = 0; j < 3; j++) {
                    int column = equals + j;
                    StringBuilder line = new StringBuilder(split).append(',').append(keys[0]).append(',').append(keys[1])
                            .append(',').append(j).append(',').append(store.get(keys[0])).append(',').append(store.get(keys[1]))
                            .append(',').append(vocab.decode(new int[] {(int) greedy.getLong(0, column)}));
                    for (float f : states.get(model.numLayers()).get(0, column).toFloatArray()) {
                        line.append(',').append(f);
                    }
                    out.println(line);
                }
            }
        }
    }
}
System.out.println("wrote " + run.resolve("lockstep-states.csv"));
