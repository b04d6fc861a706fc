package calm.train.config;

import java.util.List;

/**
 * One small grid, shared by every system trained on D_C (the composition, the fine-tuned anchor,
 * LoRA, the ablations), from which each takes its learning rate and number of updates by its loss
 * on D_C's validation split ({@link calm.train.selection.GridSelection}). Empty lists: no search,
 * each trains with the {@code training} section as written.
 *
 * @param learningRates the learning rates tried, each in one run at a constant rate after warm-up
 * @param updates the numbers of updates compared within each run: the run makes the largest, and the
 *     validation loss is read after each
 */
public record SelectionConfig(List<Double> learningRates, List<Integer> updates) {

    /** Checks the fields: both lists empty, or both filled with positive, distinct values. */
    public SelectionConfig {
        learningRates = List.copyOf(learningRates);
        updates = List.copyOf(updates);
        if (learningRates.isEmpty() != updates.isEmpty()) {
            throw new IllegalArgumentException("learningRates and updates must both be empty (no search) or both be "
                    + "given, got " + learningRates + " and " + updates);
        }
        for (double rate : learningRates) {
            if (!(rate > 0 && rate <= 10)) {
                throw new IllegalArgumentException("learningRates must be in (0, 10], got " + rate);
            }
        }
        for (int count : updates) {
            if (count < 1) {
                throw new IllegalArgumentException("updates must be at least 1, got " + count);
            }
        }
        if (learningRates.stream().distinct().count() != learningRates.size()
                || updates.stream().distinct().count() != updates.size()) {
            throw new IllegalArgumentException("learningRates and updates must not repeat a value, got " + learningRates
                    + " and " + updates);
        }
    }

    /** @return no search */
    public static SelectionConfig none() {
        return new SelectionConfig(List.of(), List.of());
    }

    /** @return whether there is a grid to search */
    public boolean searches() {
        return !learningRates.isEmpty();
    }
}
