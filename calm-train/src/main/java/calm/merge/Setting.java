package calm.merge;

import java.util.List;

/**
 * One parameter's value as a merge config writes it, in mergekit's three forms:
 * <ul>
 *   <li>a scalar ({@code density: 0.5}, {@code normalize: true});
 *   <li>a gradient ({@code t: [0, 0.5, 1]}): numbers spread evenly over the layers and interpolated
 *       linearly, so layer i of n reads position i / (n - 1);
 *   <li>a filter list ({@code t: [{filter: self_attn, value: 0.3}, {value: 0.7}]}): the first entry
 *       whose filter occurs in the tensor's name (an entry without filter, or {@code "*"}, matches
 *       every tensor) gives the value, itself a scalar or a gradient.
 * </ul>
 */
sealed interface Setting {

    /**
     * @param tensor the output tensor's name
     * @param t the tensor's position in its slice, 0 to 1 (0 for tensors outside the layers)
     * @return the value (a Double, Boolean or String), or null when a filter list matches nothing,
     *     which lets the next level of the config answer
     */
    Object evaluate(String tensor, double t);

    /** A single value. */
    record Scalar(Object value) implements Setting {
        @Override
        public Object evaluate(String tensor, double t) {
            return value;
        }
    }

    /** Numbers spread over the layers, interpolated linearly. */
    record Gradient(double[] values) implements Setting {
        @Override
        public Object evaluate(String tensor, double t) {
            if (values.length == 1) {
                return values[0];
            }
            double scaled = t * (values.length - 1);
            int below = Math.min(values.length - 1, (int) Math.floor(scaled));
            int above = Math.min(values.length - 1, below + 1);
            double fraction = scaled - below;
            return (1 - fraction) * values[below] + fraction * values[above];
        }
    }

    /** The first entry whose filter occurs in the tensor's name. */
    record Filtered(List<Conditional> entries) implements Setting {
        @Override
        public Object evaluate(String tensor, double t) {
            for (Conditional entry : entries) {
                if (entry.filter() == null || entry.filter().equals("*") || tensor.contains(entry.filter())) {
                    return entry.value().evaluate(tensor, t);
                }
            }
            return null;
        }
    }

    /**
     * One entry of a filter list.
     *
     * @param filter a substring of the tensor names it applies to; null for every tensor
     * @param value a scalar or a gradient
     */
    record Conditional(String filter, Setting value) {}
}
