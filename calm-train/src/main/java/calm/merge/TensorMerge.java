package calm.merge;

import java.io.IOException;

/** How one method merges one tensor: reads the inputs (in as many passes as it needs) and writes the result in order. */
interface TensorMerge {

    /** Writes the merged tensor to the sink, a block at a time. */
    void merge(MergeInputs inputs, FloatSink out) throws IOException;
}
