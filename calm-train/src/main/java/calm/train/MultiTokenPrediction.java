package calm.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import calm.io.ModelFolder;
import calm.io.ParameterNames;
import calm.model.DecoderLM;
import calm.model.LanguageModel;
import calm.model.LayerHook;
import calm.model.Window;
import calm.model.nn.Dense;
import calm.model.nn.FixedShapeBlock;
import calm.model.nn.Scalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pretraining with multi-token prediction (Gloeckle et al. 2024, arXiv 2404.19737): besides the
 * next token, the state after the last layer predicts each of the following {@code tokens - 1}
 * tokens through its own head. Head k (k = 2..tokens) is a linear map added to the state, h + W_k h,
 * then the model's own final norm and output projection; W_k starts at zero. A head is one matrix,
 * with no attention of its own, so whatever it predicts must already be in the state: a model
 * trained this way keeps in each position's state the next few tokens it will write, where a
 * composition's cross-attention can read them.
 *
 * <p>The loss is the sum of the heads' cross-entropies over the completion tokens each can see,
 * divided by the update's completion tokens. The heads are trained and checkpointed with the model
 * (named {@value #PREFIX}tk.weight); the saved model is the plain decoder, and generation and
 * evaluation use only its next-token head. {@code calm pretrain} saves the heads beside it
 * ({@link ModelFolder#HEADS}), for a composition that reads m_A's predictions.
 */
public final class MultiTokenPrediction implements WrappedDecoder, TrainingObjective {

    /** The prefix of the heads' parameter names in checkpoints. */
    public static final String PREFIX = ModelFolder.HEAD_PREFIX;
    /** The most tokens a position may learn to predict. */
    public static final int MAX_TOKENS = 16;

    private final DecoderLM model;
    private final Heads heads;

    /**
     * @param model the decoder to train
     * @param tokens how many tokens each position predicts, at least 2 (1 is plain next-token training)
     * @param manager where the heads live
     */
    public MultiTokenPrediction(DecoderLM model, int tokens, NDManager manager) {
        if (tokens < 2 || tokens > MAX_TOKENS) {
            throw new IllegalArgumentException("multi-token prediction needs 2 to " + MAX_TOKENS + " tokens, got " + tokens);
        }
        this.model = model;
        heads = new Heads(model.hiddenSize(), tokens);
        heads.initialize(manager, DataType.FLOAT32);
    }

    /**
     * @param model what a training job trains
     * @param tokens how many tokens each position predicts, 2 to {@value #MAX_TOKENS}
     * @param manager where the heads live
     * @return the model with heads for the tokens after the next
     * @throws IllegalArgumentException when the model is not a decoder trained whole
     */
    public static MultiTokenPrediction of(LanguageModel model, int tokens, NDManager manager) {
        if (!(model instanceof DecoderLM decoder)) {
            throw new IllegalArgumentException("predictTokens " + tokens + " needs a decoder trained whole (pretraining), not "
                    + model.getClass().getSimpleName());
        }
        return new MultiTokenPrediction(decoder, tokens, manager);
    }

    @Override
    public NDArray loss(TrainingBatch batch, int targets) {
        NDArray hidden = model.hidden(Window.full(batch.batch()), null, LayerHook.NONE, model.numLayers());
        NDArray total = NextTokenLoss.sum(model.project(hidden), batch.labels(), batch.lossMask());
        long columns = hidden.getShape().get(1);
        for (int i = 0; i < heads.offsets.length; i++) {
            // Head k at column t predicts token t + k, which is label t + k - 1.
            int shift = i + 1;
            if (shift >= columns) {
                break;
            }
            NDArray state = hidden.get(":, :" + (columns - shift));
            NDArray logits = model.projectAhead(state, heads.offsets[i].weight().getArray());
            total = total.add(NextTokenLoss.sum(logits, batch.labels().get(":, " + shift + ":"),
                    batch.lossMask().get(":, " + shift + ":")));
        }
        return total.div(Scalar.like(total, Math.max(1, targets)));
    }

    /** @return the decoder's parameters under their own names, then the heads' under {@value #PREFIX} */
    @Override
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> named = new LinkedHashMap<>(ParameterNames.of(model));
        ParameterNames.of(heads).forEach((name, parameter) -> named.put(PREFIX + name, parameter));
        return named;
    }

    @Override
    public List<Parameter> trainableParameters() {
        List<Parameter> trainable = new ArrayList<>(model.trainableParameters());
        trainable.addAll(heads.getParameters().values());
        return trainable;
    }

    @Override
    public DecoderLM base() {
        return model;
    }

    /** The heads for tokens 2..K, named t2..tK by the token they predict. */
    private static final class Heads extends FixedShapeBlock {
        final Dense[] offsets;

        Heads(int hiddenSize, int tokens) {
            offsets = new Dense[tokens - 1];
            for (int k = 2; k <= tokens; k++) {
                offsets[k - 2] = addChildBlock("t" + k, new Dense(hiddenSize, hiddenSize, false, Initializer.ZEROS));
            }
        }
    }
}
