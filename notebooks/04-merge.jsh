// # 04 Merge two fine-tuned checkpoints, two ways, and compare their logits
//
// Open:   bin/calm-notebook 04             (stays in JShell afterwards: try the variables below)
// Batch:  bin/calm-notebook --batch 04     (what CI runs; a few seconds)
//
// Weight merging combines models fine-tuned from one base without training: average them
// (linear), interpolate along the arc between them (slerp), or add their task vectors (model
// minus base) to the base, trimmed and sign-elected (ties). `calm merge CONFIG -o FOLDER` does this
// from a mergekit-style YAML config; here the same engine runs from Java on two tiny Llama
// checkpoints "fine-tuned" from the llama-tiny parity fixture (calm-model's test resources,
// hf/make_tuned.py), and the merged models' next-token logits are compared with their parents'.
//
// A JShell snippet ends where its line ends if it is complete, so a call chain that continues
// on the next line ends its lines with a dot, not starts them with one.

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import calm.io.Folders;
import calm.io.hf.HfFolder;
import calm.io.hf.HfTokenizer;
import calm.merge.Merge;
import calm.merge.MergeConfig;
import calm.model.Batch;
import calm.model.DecoderLM;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

long started = System.nanoTime();
NDManager manager = NDManager.newBaseManager();

// ## 1. The checkpoints: one base, two fine-tuned copies
Path root = Path.of(System.getProperty("calm.root", "."));
Path fixtures = root.resolve("calm-model/src/test/resources/hf");
Path base = fixtures.resolve("llama-tiny");
Path tunedA = fixtures.resolve("llama-tiny-tuned-a");
Path tunedB = fixtures.resolve("llama-tiny-tuned-b");
Path out = Files.createTempDirectory("calm-merge-notebook-");

// ## 2. Merge them two ways
// slerp: halfway along the arc from tuned-a (t = 0) to tuned-b (t = 1), each tensor as one vector.
String slerpYaml = """
    merge_method: slerp
    base_model: %s
    models:
      - model: %s
    parameters:
      t: 0.5
    """.formatted(tunedA, tunedB);
// ties: the base plus both task vectors, each trimmed to its 30% largest entries, signs elected per entry.
String tiesYaml = """
    merge_method: ties
    base_model: %s
    models:
      - {model: %s, parameters: {weight: 1.0, density: 0.3}}
      - {model: %s, parameters: {weight: 1.0, density: 0.3}}
    """.formatted(base, tunedA, tunedB);
Merge.Result slerp = Merge.run(MergeConfig.parse("slerp.yaml", slerpYaml), Merge.Options.to(out.resolve("slerp")));
Merge.Result ties = Merge.run(MergeConfig.parse("ties.yaml", tiesYaml), Merge.Options.to(out.resolve("ties")));
System.out.printf("slerp: %d tensors, %.0f kB; ties: %d tensors, %.0f kB%n", slerp.tensors(), slerp.bytes() / 1e3, ties.tensors(),
    ties.bytes() / 1e3);

// ## 3. Load every model and read its logits on one sentence
// The merged folders keep the Hugging Face layout and the base's tokenizer, so they load like any checkpoint.
HfTokenizer tokenizer = HfFolder.tokenizer(base);
int[] ids = tokenizer.encode("the quick brown fox jumps over the lazy dog");
NDArray tokens = manager.create(ids).reshape(1, ids.length).toType(DataType.INT64, false);
NDArray logits(Path folder) throws Exception {
    DecoderLM model = HfFolder.load(folder, manager);
    return model.logits(Batch.of(tokens));
}
NDArray baseLogits = logits(base);
NDArray aLogits = logits(tunedA);
NDArray bLogits = logits(tunedB);
NDArray slerpLogits = logits(out.resolve("slerp"));
NDArray tiesLogits = logits(out.resolve("ties"));

// ## 4. Compare
// Mean |difference| of the logits over every position and token, and how often two models agree
// on the most likely next token.
double distance(NDArray x, NDArray y) {
    return x.sub(y).abs().mean().getFloat();
}
double agreement(NDArray x, NDArray y) {
    return x.argMax(-1).eq(y.argMax(-1)).toType(DataType.FLOAT32, false).mean().getFloat();
}
System.out.printf("%-8s %10s %10s %10s %14s%n", "model", "|to base|", "|to A|", "|to B|", "argmax = base");
for (var entry : List.of(Map.entry("tuned-a", aLogits), Map.entry("tuned-b", bLogits),
        Map.entry("slerp", slerpLogits), Map.entry("ties", tiesLogits))) {
    System.out.printf("%-8s %10.4f %10.4f %10.4f %13.0f%%%n", entry.getKey(), distance(entry.getValue(), baseLogits),
        distance(entry.getValue(), aLogits), distance(entry.getValue(), bLogits), 100 * agreement(entry.getValue(), baseLogits));
}
// slerp at t = 0.5 sits between its two parents: nearer each of them than they are to each other.
double parents = distance(aLogits, bLogits);
if (!(distance(slerpLogits, aLogits) < parents && distance(slerpLogits, bLogits) < parents)) {
    throw new IllegalStateException("slerp's logits are not between its parents'");
}
System.out.printf("tuned-a to tuned-b: %.4f; slerp is %.4f from A and %.4f from B%n", parents, distance(slerpLogits, aLogits),
    distance(slerpLogits, bLogits));

// ## 5. Clean up
Folders.deleteTree(out);
tokenizer.close();
manager.close();
System.out.printf("%nNotebook done in %.1f s.%n", (System.nanoTime() - started) / 1e9);
