package calm.train.experiment;

import ai.djl.ndarray.NDManager;
import calm.data.CharVocabulary;
import calm.model.LanguageModel;
import calm.train.TrainingConfig;
import calm.train.TrainingExample;
import calm.train.TrainingResult;
import calm.train.config.SelectionConfig;
import calm.train.selection.GridSelection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A system trained on D_C and what its training recorded.
 *
 * @param model the trained system
 * @param result its training job's result
 * @param selection the grid search's record ({@link GridSelection.Outcome#provenance}), or null without one
 */
public record Trained<M extends LanguageModel>(M model, TrainingResult result, Map<String, Object> selection) {

    /** @return the provenance to save with the system: the job's, its result and the search's choice */
    public Map<String, Object> provenance(Map<String, Object> job) {
        Map<String, Object> saved = Experiment.withResult(job, result);
        if (selection != null) {
            saved.put("selection", selection);
        }
        return saved;
    }

    /** Trains a system with the {@code training} settings as written. */
    @FunctionalInterface
    public interface AsWritten<M extends LanguageModel> {
        /** @return the result of training the model in place */
        TrainingResult train(M model) throws IOException;
    }

    /** Encodes examples a grid search reads, only when there is one. */
    @FunctionalInterface
    public interface Encoded<T> {
        /** @return the encoded examples */
        T get() throws IOException;
    }

    /**
     * Trains what D_C trains (a composition, the anchor, adapters): with the {@code training}
     * settings as written when the grid is empty, else with the learning rate and number of updates
     * the grid search chooses by the loss on D_C's validation split ({@link GridSelection}).
     *
     * @param fresh builds the untrained system on a manager (once without a grid, once per learning
     *     rate and once for the choice with one)
     * @param asWritten trains it as written
     * @param trainSet D_C, encoded (read with a grid only)
     * @param validation D_C's validation split, encoded, by split name (read with a grid only)
     * @param folder the job's folder
     */
    public static <M extends LanguageModel> Trained<M> onComposition(String job, SelectionConfig grid,
            TrainingConfig training, Function<NDManager, M> fresh, AsWritten<M> asWritten,
            Encoded<List<TrainingExample>> trainSet, Encoded<Map<String, List<TrainingExample>>> validation, Path folder, Map<String, Object> provenance, boolean resume,
            NDManager manager) throws IOException {
        try {
            if (!grid.searches()) {
                M model = fresh.apply(manager);
                return new Trained<>(model, asWritten.train(model), null);
            }
            Map.Entry<LanguageModel, GridSelection.Outcome> chosen = GridSelection.run(job, grid, training,
                    scope -> fresh.apply(scope), trainSet.get(), validation.get(), CharVocabulary.PAD, CharVocabulary.EOS, folder,
                    provenance, resume, manager);
            @SuppressWarnings("unchecked")
            M model = (M) chosen.getKey();
            return new Trained<>(model, chosen.getValue().result(), chosen.getValue().provenance(grid));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
