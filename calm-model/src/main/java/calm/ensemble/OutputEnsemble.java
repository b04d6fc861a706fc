package calm.ensemble;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import calm.model.Batch;
import calm.model.Decoding;
import calm.model.LanguageModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Models sharing one vocabulary, each run on the same tokens, their next-token distributions
 * averaged with fixed weights:
 *
 * <pre>
 * p(x | context) = sum_i w_i p_i(x | context),  w_i >= 0, sum_i w_i = 1
 * </pre>
 *
 * Its "logits" are log p, so softmax gives the mixture back: greedy decoding takes the mixture's
 * most likely token, and sampling with a temperature T samples from p^(1/T), renormalised. So an
 * ensemble decodes with the same generation settings as any other model. Nothing in it trains.
 * Cached decoding runs every member's own cache in step.
 */
public final class OutputEnsemble implements LanguageModel {

    private final List<LanguageModel> members;
    private final double[] weights;

    /**
     * @param members the models, all with one vocabulary size
     * @param weights one non-negative weight per model, not all 0; normalised to sum to 1
     * @throws IllegalArgumentException naming the model whose vocabulary differs, or the bad weight
     */
    public OutputEnsemble(List<? extends LanguageModel> members, List<Double> weights) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        if (weights.size() != members.size()) {
            throw new IllegalArgumentException("an ensemble of " + members.size() + " models needs " + members.size()
                    + " weights, got " + weights.size());
        }
        double total = 0;
        for (int i = 0; i < weights.size(); i++) {
            double weight = weights.get(i);
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("ensemble weight " + (i + 1) + " must be a non-negative number, got " + weight);
            }
            total += weight;
            if (members.get(i).vocabSize() != members.get(0).vocabSize()) {
                throw new IllegalArgumentException("ensemble model " + (i + 1) + " has " + members.get(i).vocabSize()
                        + " tokens, model 1 has " + members.get(0).vocabSize() + ": an output ensemble needs one vocabulary");
            }
        }
        if (total <= 0) {
            throw new IllegalArgumentException("ensemble weights sum to 0; at least one must be positive");
        }
        this.members = List.copyOf(members);
        this.weights = new double[weights.size()];
        for (int i = 0; i < weights.size(); i++) {
            this.weights[i] = weights.get(i) / total;
        }
    }

    /** @return the models, in order */
    public List<LanguageModel> members() {
        return members;
    }

    /** @return the normalised weights, in the models' order */
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public int vocabSize() {
        return members.get(0).vocabSize();
    }

    @Override
    public int contextLength() {
        return members.stream().mapToInt(LanguageModel::contextLength).min().orElseThrow();
    }

    @Override
    public NDArray logits(Batch batch) {
        List<NDArray> logits = new ArrayList<>();
        for (LanguageModel member : members) {
            logits.add(member.logits(batch));
        }
        return mix(logits);
    }

    @Override
    public Decoding startDecoding(NDArray tokens, NDArray mask, int capacity) {
        return new EnsembleDecoding(tokens, mask, capacity);
    }

    @Override
    public List<Parameter> trainableParameters() {
        return List.of();
    }

    /**
     * @param logits each member's logits, [..., V]
     * @return log sum_i w_i softmax(logits_i), computed as a log-sum-exp for stability; models with
     *     weight 0 take no part
     */
    NDArray mix(List<NDArray> logits) {
        NDList weighted = new NDList();
        for (int i = 0; i < logits.size(); i++) {
            if (weights[i] > 0) {
                weighted.add(logits.get(i).logSoftmax(-1).add(Math.log(weights[i])));
            }
        }
        NDArray stacked = NDArrays.stack(weighted);
        NDArray max = stacked.max(new int[] {0});
        return stacked.sub(max).exp().sum(new int[] {0}).log().add(max);
    }

    /** Every member's cached decoding, fed the same tokens. */
    private final class EnsembleDecoding implements Decoding {
        private final List<Decoding> decodings = new ArrayList<>();
        private final NDManager manager;
        private NDArray last;

        EnsembleDecoding(NDArray tokens, NDArray mask, int capacity) {
            manager = tokens.getManager().newSubManager();
            try {
                for (LanguageModel member : members) {
                    decodings.add(member.startDecoding(tokens, mask, capacity));
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            mixLast();
        }

        @Override
        public NDArray lastLogits() {
            return last;
        }

        @Override
        public void feed(NDArray tokens) {
            for (Decoding decoding : decodings) {
                decoding.feed(tokens);
            }
            mixLast();
        }

        @Override
        public int length() {
            return decodings.get(0).length();
        }

        private void mixLast() {
            NDArray next;
            // The mixture's intermediate arrays live on a step manager closed at once; the members'
            // logits go back to their own decodings when it closes.
            try (NDManager step = manager.newSubManager()) {
                List<NDArray> logits = new ArrayList<>();
                for (Decoding decoding : decodings) {
                    NDArray member = decoding.lastLogits();
                    member.tempAttach(step);
                    logits.add(member);
                }
                next = mix(logits);
                next.attach(manager);
            }
            if (last != null) {
                last.close();
            }
            last = next;
        }

        @Override
        public void close() {
            for (Decoding decoding : decodings) {
                decoding.close();
            }
            manager.close();
        }
    }
}
