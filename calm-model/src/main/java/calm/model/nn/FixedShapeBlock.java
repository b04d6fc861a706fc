package calm.model.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A DJL block whose parameter shapes are fixed by its configuration rather than inferred from an
 * input shape. Such a block initialises with {@code initialize(manager, dataType)} and no shapes,
 * and its children likewise.
 *
 * <p>The project's models are called through typed methods (a window, a cache, a hook) rather than
 * through {@link #forward(ParameterStore, NDList, boolean)}; parameters are read with
 * {@link Parameter#getArray()} on the device they were created on.
 */
public abstract class FixedShapeBlock extends AbstractBlock {

    /** Declares a parameter of the given name, shape and initializer. */
    protected final Parameter parameter(String name, Parameter.Type type, Shape shape, Initializer init) {
        return addParameter(
                Parameter.builder().setName(name).setType(type).optShape(shape).optInitializer(init).build());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block child : getChildren().values()) {
            child.initialize(manager, dataType);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no shape inference");
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException(
                getClass().getSimpleName() + " is called through its typed methods, not forward(NDList)");
    }
}
