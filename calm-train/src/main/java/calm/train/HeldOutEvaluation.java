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
    private final boolean exactMatch;

    /**
     * @param splits examples by split name, in report order
     * @param padToken the padding id
     * @param stopToken the id every completion ends with; generation stops there
     * @param batchSize rows per forward pass
     */
    public HeldOutEvaluation(Map<String, List<TrainingExample>> splits, int padToken, int stopToken, int batchSize) {
        this(splits, padToken, stopToken, batchSize, true);
    }

    private HeldOutEvaluation(Map<String, List<TrainingExample>> splits, int padToken, int stopToken, int batchSize,
            boolean exactMatch) {
        this.splits = new LinkedHashMap<>(splits);
        this.padToken = padToken;
        this.stopToken = stopToken;
        this.batchSize = batchSize;
        this.exactMatch = exactMatch;
    }

    /**
     * The loss alone, without the greedy generation that exact match needs: what a choice by
     * validation loss reads, at a fraction of the cost when completions are long.
     *
     * @return an evaluation reporting {@code <split>.loss} only
     */
    public static HeldOutEvaluation lossOnly(Map<String, List<TrainingExample>> splits, int padToken, int stopToken,
            int batchSize) {
        return new HeldOutEvaluation(splits, padToken, stopToken, batchSize, false);
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
                    correct += exactMatch ? exactMatches(model, chunk, scope) : 0;
                }
            }
            metrics.put(split.getKey() + ".loss", loss / targets);
            if (exactMatch) {
                metrics.put(split.getKey() + ".accuracy", (double) correct / examples.size());
            }
        }
        return metrics;
    }

    /**
     * Greedy continuations of every prompt, each allowed the longest completion's length as long as
     * the model's context leaves room for it: one batch for the prompts that fit with the longest
     * prompt, and each of the others alone with what its own prompt leaves (every example fits the
     * context, so its own completion always does).
     */
    private int exactMatches(LanguageModel model, List<TrainingExample> examples, NDManager manager) {
        int longest = examples.stream().mapToInt(e -> e.completion().length).max().orElse(1);
        int longestPrompt = examples.stream().mapToInt(e -> e.prompt().length).max().orElse(0);
        int shared = Math.min(longest, model.contextLength() - longestPrompt);
        List<Integer> together = new ArrayList<>();
        List<Integer> alone = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            (examples.get(i).completion().length <= shared ? together : alone).add(i);
        }
        Generator.Output[] outputs = new Generator.Output[examples.size()];
        if (!together.isEmpty()) {
            List<int[]> prompts = together.stream().map(i -> examples.get(i).prompt()).toList();
            List<Generator.Output> generated = Generator.generate(model, prompts, DecodingConfig.greedy(shared, stopToken),
                    manager);
            for (int k = 0; k < together.size(); k++) {
                outputs[together.get(k)] = generated.get(k);
            }
        }
        for (int i : alone) {
            int budget = Math.min(longest, model.contextLength() - examples.get(i).prompt().length);
            outputs[i] = Generator.generate(model, List.of(examples.get(i).prompt()), DecodingConfig.greedy(budget, stopToken),
                    manager).get(0);
        }
        int correct = 0;
        for (int i = 0; i < examples.size(); i++) {
            int[] completion = examples.get(i).completion();
            boolean endsWithStop = completion[completion.length - 1] == stopToken;
            int[] expected = endsWithStop ? Arrays.copyOf(completion, completion.length - 1) : completion;
            Generator.Output output = outputs[i];
            if (output.stopped() == endsWithStop && Arrays.equals(output.tokens(), expected)) {
                correct++;
            }
        }
        return correct;
    }
}
