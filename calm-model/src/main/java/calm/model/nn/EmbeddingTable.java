package calm.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.initializer.NormalInitializer;

/** A [rows, D] lookup table ({@code weight}), initialised N(0, 0.02): token or position embeddings. */
public final class EmbeddingTable extends FixedShapeBlock {

    private final Parameter table;

    /**
     * @param rows the number of ids
     * @param width D
     */
    public EmbeddingTable(int rows, int width) {
        table = parameter("weight", Parameter.Type.WEIGHT, new Shape(rows, width), new NormalInitializer(0.02f));
    }

    /** @return the rows of the ids, [..., D] */
    public NDArray lookup(NDArray ids) {
        MatrixProducts.uses(table.getArray());
        return Embedding.embedding(ids, table.getArray(), SparseFormat.DENSE).singletonOrThrow();
    }

    /** @return the table itself, [rows, D] (the output projection when embeddings are tied) */
    public NDArray weight() {
        return table.getArray();
    }
}
