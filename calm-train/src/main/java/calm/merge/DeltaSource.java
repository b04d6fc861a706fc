package calm.merge;

import java.io.IOException;

/** A task vector: a model's tensor minus the base model's, element by element, in float32 as torch computes it. */
final class DeltaSource implements FloatSource {

    private final FloatSource model;
    private final FloatSource base;
    private float[] baseValues = new float[0];

    DeltaSource(FloatSource model, FloatSource base) {
        this.model = model;
        this.base = base;
    }

    @Override
    public long size() {
        return base.size();
    }

    @Override
    public void read(long first, float[] target, int count) throws IOException {
        if (baseValues.length < count) {
            baseValues = new float[count];
        }
        model.read(first, target, count);
        base.read(first, baseValues, count);
        for (int j = 0; j < count; j++) {
            target[j] -= baseValues[j];
        }
    }
}
