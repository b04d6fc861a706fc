import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import calm.data.CharVocabulary;
import calm.io.ModelFolder;
import calm.kv.data.KvDatasetFiles;
import calm.kv.data.KvExample;
import calm.model.DecoderLM;
import calm.model.HiddenStates;
import calm.model.KvCache;
import calm.model.Window;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

// Records m_A's residual stream at the last letter of every key, and at '=', in the held-out
// KV-Arithmetic prompts of a finished run; probe.py fits linear read-outs of the values' digits.
// Run from the repository root: CALM_RUN=runs/kv-arithmetic bin/calm-notebook --batch scripts/linear-probe/states.jsh
Path run = Path.of(System.getenv().getOrDefault("CALM_RUN", "runs/kv-arithmetic"));
CharVocabulary vocab = CharVocabulary.standard();
try (NDManager manager = NDManager.newBaseManager(); PrintWriter out = new PrintWriter(Files.newBufferedWriter(run.resolve("probe-states.csv")))) {
    DecoderLM model = ModelFolder.load(run.resolve("model-a"), manager);
    for (String split : new String[] {"eval-kv-arithmetic-dc-keys", "eval-kv-arithmetic-other-keys"}) {
        for (KvExample example : KvDatasetFiles.readExamples(run.resolve("data").resolve(split + ".jsonl"))) {
            String prompt = example.prompt();
            int[] ids = vocab.encode(prompt);
            long[] tokens = new long[ids.length + 1];
            tokens[0] = CharVocabulary.BOS;
            for (int i = 0; i < ids.length; i++) tokens[i + 1] = ids[i];
            try (NDManager scope = manager.newSubManager()) {
                NDArray t = scope.create(tokens, new Shape(1, tokens.length));
                NDArray mask = scope.ones(new Shape(1, tokens.length));
                HiddenStates states = HiddenStates.all(model.numLayers());
                model.hidden(Window.full(t, mask), null, states, model.numLayers());
                int keyIndex = 0;
                for (int i = 0; i < prompt.length(); i++) {
                    char c = prompt.charAt(i);
                    boolean lastLetter = Character.isLetter(c) && (i + 1 == prompt.length() || !Character.isLetter(prompt.charAt(i + 1)));
                    if (lastLetter) {
                        int start = i;
                        while (start > 0 && Character.isLetter(prompt.charAt(start - 1))) start--;
                        String key = prompt.substring(start, i + 1);
                        for (int layer = 0; layer <= model.numLayers(); layer++) {
                            float[] v = states.get(layer).get(0, i + 1).toFloatArray();
                            StringBuilder line = new StringBuilder(split).append(',').append(key).append(',').append(keyIndex).append(',').append(layer);
                            for (float f : v) line.append(',').append(f);
                            out.println(line);
                        }
                        keyIndex++;
                    }
                    if (c == '=') {
                        for (int layer = 0; layer <= model.numLayers(); layer++) {
                            float[] v = states.get(layer).get(0, i + 1).toFloatArray();
                            StringBuilder line = new StringBuilder(split).append(",=").append(example.keys().get(0)).append(",9,").append(layer);
                            for (float f : v) line.append(',').append(f);
                            out.println(line);
                        }
                    }
                }
            }
        }
    }
}
System.out.println("wrote " + run.resolve("probe-states.csv"));
