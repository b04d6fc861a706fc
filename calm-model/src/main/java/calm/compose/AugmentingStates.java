package calm.compose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import calm.model.HiddenStates;
import calm.model.Window;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The augmenting models' states at their connected layers over a fixed set of sequences, computed
 * once. Every augmenting model is frozen, so its states over a sequence never change: a composition
 * trained for many updates on a small dataset need not run m_A again at every update.
 * {@link ComposedModel#reading} gives a composition that takes them from here for each batch whose
 * rows are all held, and runs the augmenting models for any other batch.
 *
 * <p>The states are computed in the sequences' order, in batches padded to the longest sequence held,
 * so the table is a function of the sequences alone, whatever order training draws them in. A state
 * in the table can differ in its last bits from the same state computed inside another batch
 * (other padding, so another order of summation).
 */
public final class AugmentingStates implements AutoCloseable {

    private final List<Augmentation> augmentations;
    private final Map<Sequence, Integer> rows;
    private final List<Map<Integer, NDArray>> tables;
    private final int longest;
    private final NDManager manager;

    private AugmentingStates(List<Augmentation> augmentations, Map<Sequence, Integer> rows,
            List<Map<Integer, NDArray>> tables, int longest, NDManager manager) {
        this.augmentations = augmentations;
        this.rows = rows;
        this.tables = tables;
        this.longest = longest;
        this.manager = manager;
    }

    /**
     * @return the bytes the table of {@code sequences} sequences of at most {@code longest} tokens
     *     takes for this composition: one float32 [longest, width] per sequence and connected layer
     */
    public static long bytes(ComposedModel model, int sequences, int longest) {
        long perToken = 0;
        for (Augmentation augmentation : model.augmentations()) {
            for (int layer : augmentation.wiring().augmentingLayers()) {
                perToken += augmentation.source().width(layer);
            }
        }
        return perToken * sequences * longest * Float.BYTES;
    }

    /**
     * Runs every augmenting model of the composition over the sequences, up to its highest connected
     * layer, and keeps the states of its connected layers.
     *
     * @param sequences token ids, each at least one token long and at most the composition's context
     * @param batchSize the rows of each forward pass
     * @param padToken the id written into padding
     * @param parent the manager the table's own manager is opened under
     */
    public static AugmentingStates compute(ComposedModel model, List<int[]> sequences, int batchSize, int padToken,
            NDManager parent) {
        if (sequences.isEmpty() || batchSize < 1) {
            throw new IllegalArgumentException("states need at least one sequence and a batch size of at least 1, got "
                    + sequences.size() + " and " + batchSize);
        }
        int longest = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
        int shortest = sequences.stream().mapToInt(s -> s.length).min().orElseThrow();
        if (shortest < 1 || longest > model.contextLength()) {
            throw new IllegalArgumentException("every sequence needs 1 to " + model.contextLength()
                    + " tokens (the composition's context), got " + shortest + " to " + longest);
        }
        Map<Sequence, Integer> rows = new HashMap<>();
        for (int i = 0; i < sequences.size(); i++) {
            rows.putIfAbsent(new Sequence(sequences.get(i)), i);
        }
        NDManager manager = parent.newSubManager();
        List<Map<Integer, NDArray>> tables = new ArrayList<>();
        try (NDManager work = manager.newSubManager()) {
            List<Map<Integer, List<NDArray>>> parts = new ArrayList<>();
            for (Augmentation augmentation : model.augmentations()) {
                Map<Integer, List<NDArray>> byLayer = new HashMap<>();
                for (int layer : augmentation.wiring().augmentingLayers()) {
                    byLayer.put(layer, new ArrayList<>());
                }
                parts.add(byLayer);
            }
            for (int from = 0; from < sequences.size(); from += batchSize) {
                List<int[]> batch = sequences.subList(from, Math.min(sequences.size(), from + batchSize));
                // Each batch's intermediate arrays are freed with its scope; only the states are kept.
                try (NDManager scope = work.newSubManager()) {
                    Window window = padded(batch, longest, padToken, scope);
                    for (int a = 0; a < parts.size(); a++) {
                        HiddenStates states = model.statesOf(a, window, null);
                        parts.get(a).forEach((layer, list) -> {
                            NDArray state = states.get(layer);
                            state.attach(work);
                            list.add(state);
                        });
                    }
                }
            }
            for (Map<Integer, List<NDArray>> byLayer : parts) {
                Map<Integer, NDArray> table = new HashMap<>();
                byLayer.forEach((layer, list) -> {
                    NDArray joined = NDArrays.concat(new NDList(list), 0);
                    joined.attach(manager);
                    table.put(layer, joined);
                });
                tables.add(table);
            }
        }
        return new AugmentingStates(model.augmentations(), rows, tables, longest, manager);
    }

    /** @return the number of sequences held */
    public int size() {
        return rows.size();
    }

    /** @return whether these are the states of exactly these augmenting models and wirings */
    boolean belongsTo(List<Augmentation> others) {
        if (others.size() != augmentations.size()) {
            return false;
        }
        for (int a = 0; a < others.size(); a++) {
            if (others.get(a).source() != augmentations.get(a).source()
                    || !others.get(a).wiring().equals(augmentations.get(a).wiring())) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param tokens int64 ids [B, T]
     * @param mask 1 real / 0 padding [B, T], or null when every token is real
     * @return the table row of each batch row, or null when some row is not held or is not
     *     right-padded (its real tokens are not the first of the row)
     */
    long[] rowsOf(NDArray tokens, NDArray mask) {
        int batch = (int) tokens.getShape().get(0);
        int columns = (int) tokens.getShape().get(1);
        if (columns > longest) {
            return null;
        }
        long[] ids = tokens.toLongArray();
        float[] real = mask == null ? null : mask.toType(DataType.FLOAT32, false).toFloatArray();
        long[] found = new long[batch];
        for (int r = 0; r < batch; r++) {
            int length = columns;
            if (real != null) {
                length = 0;
                while (length < columns && real[r * columns + length] != 0) {
                    length++;
                }
                for (int c = length; c < columns; c++) {
                    if (real[r * columns + c] != 0) {
                        return null;
                    }
                }
            }
            int[] sequence = new int[length];
            for (int c = 0; c < length; c++) {
                sequence[c] = (int) ids[r * columns + c];
            }
            Integer row = rows.get(new Sequence(sequence));
            if (row == null) {
                return null;
            }
            found[r] = row;
        }
        return found;
    }

    /**
     * @param a the augmenting model
     * @param rows table rows, from {@link #rowsOf}
     * @param columns the batch's T
     * @param scope the manager of the batch: the gathered states attach to it
     * @return augmenting model a's states at its connected layers, [B, T, D_A] each; columns past a
     *     row's end hold the states of padding, which the attention masks
     */
    HiddenStates states(int a, long[] rows, int columns, NDManager scope) {
        Augmentation augmentation = augmentations.get(a);
        int[] layers = augmentation.wiring().augmentingLayers();
        HiddenStates states = new HiddenStates(augmentation.source().layers().numLayers(), layers);
        NDArray index = scope.create(rows);
        for (int layer : layers) {
            NDArray picked = tables.get(a).get(layer).get(index);
            picked.attach(scope);
            NDArray cut = columns == longest ? picked : picked.get(new NDIndex(":, :{}, :", columns));
            cut.attach(scope);
            states.afterLayer(layer, cut, null);
        }
        return states;
    }

    /** Frees the table. */
    @Override
    public void close() {
        manager.close();
    }

    private static Window padded(List<int[]> batch, int columns, int padToken, NDManager manager) {
        long[] tokens = new long[batch.size() * columns];
        float[] real = new float[batch.size() * columns];
        Arrays.fill(tokens, padToken);
        for (int r = 0; r < batch.size(); r++) {
            int[] sequence = batch.get(r);
            for (int c = 0; c < sequence.length; c++) {
                tokens[r * columns + c] = sequence[c];
                real[r * columns + c] = 1;
            }
        }
        Shape shape = new Shape(batch.size(), columns);
        return Window.full(manager.create(tokens, shape), manager.create(real, shape));
    }

    /** Token ids compared by content: the table's key. */
    private record Sequence(int[] ids) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Sequence that && Arrays.equals(ids, that.ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(ids);
        }

        @Override
        public String toString() {
            return Arrays.toString(ids);
        }
    }
}
