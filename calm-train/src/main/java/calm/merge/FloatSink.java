package calm.merge;

import java.io.IOException;

/** Where a merged tensor goes, a block of elements at a time, in order. */
@FunctionalInterface
public interface FloatSink {

    /** Appends {@code values[0 .. count)}. */
    void write(float[] values, int count) throws IOException;
}
