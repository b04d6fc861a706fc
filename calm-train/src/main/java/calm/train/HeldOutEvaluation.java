package calm.train;

import ai.djl.ndarray.NDManager;
import calm.generate.DecodingConfig;
import calm.generate.Generator;
import calm.model.LanguageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loss and exact-match accuracy on held-out splits. For each split it reports
 * {@code <split>.loss}, the mean cross-entropy per completion token under teacher forcing, and
 * {@code <split>.accuracy}, the fraction of prompts whose greedy continuation is exactly the
 * completion (up to and including the stop token).
 */
public final class HeldOutEvaluation implements Evaluation {

    private final Map<String, List<TrainingExample>> splits;
    private final int padToken;
    private final int stopToken;
    private final int batchSize;

    /**
     * @param splits examples by split name, in report order
     * @param padToken the padding id
     * @param stopToken the id every completion ends with; generation stops there
     * @param batchSize rows per forward pass
     */
    public HeldOutEvaluation(Map<String, List<TrainingExample>> splits, int padToken, int stopToken, int batchSize) {
        this.splits = new LinkedHashMap<>(splits);
        this.padToken = padToken;
        this.stopToken = stopToken;
        this.batchSize = batchSize;
    }

    @Override
    public Map<String, Double> evaluate(LanguageModel model, NDManager manager) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, List<TrainingExample>> split : splits.entrySet()) {
            List<TrainingExample> examples = split.getValue();
            if (examples.isEmpty()) {
                continue;
            }
            double loss = 0;
            long targets = 0;
            int correct = 0;
            for (int from = 0; from < examples.size(); from += batchSize) {
                List<TrainingExample> chunk = examples.subList(from, Math.min(examples.size(), from + batchSize));
                try (NDManager scope = manager.newSubManager()) {
                    TrainingBatch batch = TrainingBatch.of(chunk, padToken, model.contextLength(), scope);
                    loss += NextTokenLoss.sum(model.logits(batch.batch()), batch.labels(), batch.lossMask()).getFloat();
                    targets += batch.targetTokens();
                    correct += exactMatches(model, chunk, scope);
                }
            }
            metrics.put(split.getKey() + ".loss", loss / targets);
            metrics.put(split.getKey() + ".accuracy", (double) correct / examples.size());
        }
        return metrics;
    }

    private int exactMatches(LanguageModel model, List<TrainingExample> examples, NDManager manager) {
        int longest = examples.stream().mapToInt(e -> e.completion().length).max().orElse(1);
        List<int[]> prompts = new ArrayList<>();
        examples.forEach(example -> prompts.add(example.prompt()));
        List<Generator.Output> outputs = Generator.generate(model, prompts, DecodingConfig.greedy(longest, stopToken), manager);
        int correct = 0;
        for (int i = 0; i < examples.size(); i++) {
            int[] completion = examples.get(i).completion();
            boolean endsWithStop = completion[completion.length - 1] == stopToken;
            int[] expected = endsWithStop ? Arrays.copyOf(completion, completion.length - 1) : completion;
            Generator.Output output = outputs.get(i);
            if (output.stopped() == endsWithStop && Arrays.equals(output.tokens(), expected)) {
                correct++;
            }
        }
        return correct;
    }
}
