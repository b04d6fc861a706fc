package calm.io;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stable dotted names for a block's parameters, such as {@code layers.0.attn.qkv.weight}.
 *
 * <p>DJL keys a child block's parameters as {@code 01layers.0_02attn_01qkv_weight}: each child's
 * name carries its insertion number and segments are joined by '_'. Dropping the numbers and
 * joining with '.' gives names that do not change when a block gains a child, which is what a
 * weight file needs. Block and parameter names in this project contain no '_'.
 */
public final class ParameterNames {

    private ParameterNames() {}

    /** @return every parameter of the block by dotted name, in declaration order */
    public static Map<String, Parameter> of(Block block) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (Pair<String, Parameter> entry : block.getParameters()) {
            String[] segments = entry.getKey().split("_");
            StringBuilder name = new StringBuilder();
            for (int i = 0; i < segments.length; i++) {
                if (i > 0) {
                    name.append('.');
                }
                name.append(i < segments.length - 1 ? segments[i].replaceFirst("^\\d+", "") : segments[i]);
            }
            if (named.put(name.toString(), entry.getValue()) != null) {
                throw new IllegalStateException("two parameters are both named " + name);
            }
        }
        return named;
    }
}
