import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import calm.data.CharVocabulary;
import calm.io.ModelFolder;
import calm.kv.data.KvDatasetFiles;
import calm.kv.data.KvExample;
import calm.model.DecoderLM;
import calm.model.LayerHook;
import calm.model.Window;
import java.nio.file.Path;
import java.util.List;

// Does the anchor's arithmetic depend on where the expression sits? m_B reads 300 held-out
// Numeric-Arithmetic examples teacher-forced with every position id moved up by s, as if s tokens
// stood before them; the exact match of its greedy answer is printed for each s. In KV-Arithmetic
// prompts keys of 2 to 6 letters move '=' between 2 columns before and 6 after where it stands in
// m_B's own prompts (with numberWidth 3 and two operands).
// Run from the repository root after `calm run` (or `calm pretrain ... --model b`):
//   CALM_RUN=runs/kv-arithmetic bin/calm-notebook --batch scripts/anchor-positions/shift.jsh
Path run = Path.of(System.getenv().getOrDefault("CALM_RUN", "runs/kv-arithmetic"));
CharVocabulary vocab = CharVocabulary.standard();
try (NDManager manager = NDManager.newBaseManager()) {
    DecoderLM model = ModelFolder.load(run.resolve("model-b"), manager);
    List<KvExample> examples = KvDatasetFiles.readExamples(run.resolve("data").resolve("eval-numeric-arithmetic.jsonl"));
    examples = examples.subList(0, Math.min(300, examples.size()));
    for (int shift : new int[] {0, 1, 2, 3, 4, 6}) {
        int right = 0;
        for (KvExample example : examples) {
            int[] ids = vocab.encode(example.prompt() + example.target());
            long[] tokens = new long[ids.length + 1];
            tokens[0] = CharVocabulary.BOS;
            for (int i = 0; i < ids.length; i++) tokens[i + 1] = ids[i];
            try (NDManager scope = manager.newSubManager()) {
                NDArray t = scope.create(tokens, new Shape(1, tokens.length));
                NDArray real = scope.ones(new Shape(1, tokens.length));
                NDArray positions = scope.arange(0, tokens.length, 1, DataType.INT64).add(shift).reshape(1, tokens.length);
                NDArray last = model.hidden(new Window(t, 0, real, real, positions), null, LayerHook.NONE, model.numLayers());
                NDArray greedy = model.project(last).argMax(-1);
                int equals = example.prompt().length();
                boolean exact = true;
                for (int j = 0; j < example.target().length(); j++) {
                    exact &= greedy.getLong(0, equals + j) == ids[equals + j];
                }
                if (exact) right++;
            }
        }
        System.out.printf("positions moved by %d: exact match %.1f%% of %d%n", shift, 100.0 * right / examples.size(), examples.size());
    }
}
