package calm.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import calm.model.Decoding;
import calm.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Batched generation for any {@link LanguageModel}, a single decoder or a composition. Prompts of
 * different lengths are left-padded; every step feeds one token per row through the model's
 * caches.
 */
public final class Generator {

    private Generator() {}

    /** The tokens generated for one prompt. */
    public record Output(int[] tokens, boolean stopped) {}

    /**
     * @param model the model
     * @param prompts token ids, one non-empty array per row
     * @param config decoding settings
     * @param manager where the decoding's arrays live; nothing stays on it afterwards
     * @return one output per prompt, in order
     */
    public static List<Output> generate(LanguageModel model, List<int[]> prompts, DecodingConfig config, NDManager manager) {
        int batch = prompts.size();
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow(
                () -> new IllegalArgumentException("no prompts to generate from"));
        if (prompts.stream().anyMatch(p -> p.length == 0)) {
            throw new IllegalArgumentException("every prompt needs at least one token");
        }
        int capacity = longest + config.maxNewTokens();
        if (capacity > model.contextLength()) {
            throw new IllegalArgumentException("prompt (" + longest + " tokens) plus maxNewTokens ("
                    + config.maxNewTokens() + ") exceeds the model's context length of " + model.contextLength());
        }
        long[] ids = new long[batch * longest];
        float[] mask = new float[batch * longest];
        for (int row = 0; row < batch; row++) {
            int[] prompt = prompts.get(row);
            int offset = row * longest + longest - prompt.length;
            for (int i = 0; i < prompt.length; i++) {
                ids[offset + i] = prompt[i];
                mask[offset + i] = 1;
            }
        }
        List<List<Integer>> generated = new ArrayList<>();
        boolean[] stopped = new boolean[batch];
        for (int row = 0; row < batch; row++) {
            generated.add(new ArrayList<>());
        }
        Sampler sampler = config.sampling() ? new Sampler(config) : null;
        try (NDManager scope = manager.newSubManager()) {
            NDArray promptIds = scope.create(ids, new Shape(batch, longest));
            NDArray promptMask = scope.create(mask, new Shape(batch, longest));
            try (Decoding decoding = model.startDecoding(promptIds, promptMask, capacity)) {
                for (int step = 0; step < config.maxNewTokens(); step++) {
                    int[] next;
                    try (NDManager choosing = scope.newSubManager()) {
                        next = choose(decoding.lastLogits(), choosing, config, sampler);
                    }
                    boolean all = true;
                    long[] feed = new long[batch];
                    for (int row = 0; row < batch; row++) {
                        if (!stopped[row]) {
                            if (next[row] == config.stopToken()) {
                                stopped[row] = true;
                            } else {
                                generated.get(row).add(next[row]);
                            }
                        }
                        all &= stopped[row];
                        feed[row] = next[row];
                    }
                    if (all || step == config.maxNewTokens() - 1) {
                        break;
                    }
                    try (NDManager feeding = scope.newSubManager()) {
                        decoding.feed(feeding.create(feed, new Shape(batch, 1)));
                    }
                }
            }
        }
        List<Output> outputs = new ArrayList<>();
        for (int row = 0; row < batch; row++) {
            outputs.add(new Output(generated.get(row).stream().mapToInt(Integer::intValue).toArray(), stopped[row]));
        }
        return outputs;
    }

    private static int[] choose(NDArray lastLogits, NDManager step, DecodingConfig config, Sampler sampler) {
        step.tempAttachAll(lastLogits);
        int batch = (int) lastLogits.getShape().get(0);
        int[] next = new int[batch];
        if (sampler == null) {
            long[] best = lastLogits.argMax(1).toLongArray();
            for (int row = 0; row < batch; row++) {
                next[row] = (int) best[row];
            }
            return next;
        }
        NDArray probabilities = lastLogits.div((float) config.temperature()).softmax(1).toType(DataType.FLOAT32, false);
        int vocab = (int) probabilities.getShape().get(1);
        float[] all = probabilities.toFloatArray();
        for (int row = 0; row < batch; row++) {
            float[] one = new float[vocab];
            System.arraycopy(all, row * vocab, one, 0, vocab);
            next[row] = sampler.sample(one);
        }
        return next;
    }
}
