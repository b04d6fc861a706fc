package calm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Where an incrementally decoded batch stands: which columns are real tokens and the next
 * position id of every row. Models that decode in lockstep share one state, so their windows
 * agree column for column.
 */
public final class SequenceState implements AutoCloseable {

    private final NDManager manager;
    private final NDArray mask;
    private NDArray consumed;
    private final int capacity;
    private int length;

    /**
     * @param parent the manager whose lifetime bounds this state
     * @param batch batch rows B
     * @param capacity the most columns the sequence may reach
     */
    public SequenceState(NDManager parent, int batch, int capacity) {
        manager = parent.newSubManager();
        mask = manager.zeros(new Shape(batch, capacity), DataType.FLOAT32);
        consumed = manager.zeros(new Shape(batch, 1), DataType.INT64);
        this.capacity = capacity;
    }

    /**
     * Appends tokens to the sequence and returns their window. Arrays of the window live on the
     * manager of {@code tokens}.
     *
     * @param tokens int64 ids [B, T]
     * @param tokenMask 1 real / 0 padding [B, T], or null when all are real
     */
    public Window advance(NDArray tokens, NDArray tokenMask) {
        int count = (int) tokens.getShape().get(1);
        int start = length;
        if (start + count > capacity) {
            throw new IllegalStateException("the sequence would reach " + (start + count)
                    + " columns, beyond the decoding capacity of " + capacity);
        }
        NDManager step = tokens.getManager();
        NDArray real = tokenMask == null
                ? step.ones(tokens.getShape(), DataType.FLOAT32)
                : tokenMask.toType(DataType.FLOAT32, false);
        mask.set(new NDIndex(":, {}:{}", start, start + count), real);
        NDArray offset = consumed.duplicate();
        offset.attach(step);
        NDArray positions = Window.positionsOf(real, offset);
        NDArray newConsumed = consumed.add(real.toType(DataType.INT64, false).sum(new int[] {1}, true));
        newConsumed.attach(manager);
        consumed.close();
        consumed = newConsumed;
        length = start + count;
        NDArray keyMask = mask.get(new NDIndex(":, :{}", length));
        keyMask.attach(step);
        return new Window(tokens, start, real, keyMask, positions);
    }

    /** @return the number of columns consumed so far */
    public int length() {
        return length;
    }

    /** @return the most columns the sequence may reach */
    public int capacity() {
        return capacity;
    }

    @Override
    public void close() {
        manager.close();
    }
}
