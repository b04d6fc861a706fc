package calm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every attention layer for the columns decoded so far, preallocated to a fixed
 * capacity so each step writes only its new columns. CALM reuses the same store for the projected
 * keys and values of its connections (one slot per connection).
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int capacity;

    /**
     * @param parent the manager whose lifetime bounds this cache
     * @param slots number of layers (or connections)
     * @param batch batch rows B
     * @param heads key/value heads
     * @param capacity the most columns the sequence may reach
     * @param headSize width of one head
     * @param dataType element type of keys and values
     */
    public KvCache(NDManager parent, int slots, int batch, int heads, int capacity, int headSize, DataType dataType) {
        manager = parent.newSubManager();
        keys = new NDArray[slots];
        values = new NDArray[slots];
        Shape shape = new Shape(batch, heads, capacity, headSize);
        for (int i = 0; i < slots; i++) {
            keys[i] = manager.zeros(shape, dataType);
            values[i] = manager.zeros(shape, dataType);
        }
        this.capacity = capacity;
    }

    /**
     * Writes the new columns [start, start + T) of one slot and returns that slot's keys and values
     * for columns [0, start + T), attached to the manager of {@code newKeys}.
     *
     * @param slot the layer (or connection)
     * @param newKeys [B, H, T, Dh]
     * @param newValues [B, H, T, Dh]
     * @param start the column of the first new entry
     * @return {keys, values}, each [B, H, start + T, Dh]
     */
    public NDArray[] append(int slot, NDArray newKeys, NDArray newValues, int start) {
        int end = start + (int) newKeys.getShape().get(2);
        if (end > capacity) {
            throw new IllegalStateException(
                    "the sequence reached " + end + " columns, beyond the cache capacity of " + capacity);
        }
        NDIndex written = new NDIndex(":, :, {}:{}", start, end);
        keys[slot].set(written, newKeys);
        values[slot].set(written, newValues);
        return new NDArray[] {view(keys[slot], end, newKeys), view(values[slot], end, newKeys)};
    }

    /**
     * @return the stored keys and values of a slot for columns [0, end), attached to the manager of
     *     {@code like}
     */
    public NDArray[] read(int slot, int end, NDArray like) {
        return new NDArray[] {view(keys[slot], end, like), view(values[slot], end, like)};
    }

    /**
     * Moves an array that belongs with the cached sequence onto the cache's manager, so that it
     * lives as long as the cache (a model's own per-sequence state, such as what a view of it has
     * seen so far).
     */
    public void keep(NDArray array) {
        array.attach(manager);
    }

    /** @return the most columns this cache holds */
    public int capacity() {
        return capacity;
    }

    private static NDArray view(NDArray store, int end, NDArray like) {
        NDArray columns = store.get(new NDIndex(":, :, :{}", end));
        columns.attach(like.getManager());
        return columns;
    }

    @Override
    public void close() {
        manager.close();
    }
}
