package calm.kv.data;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys of a store divided into those the composition data D_C may use and all the others.
 *
 * @param compositionKeys keys that D_C uses (the paper's 20%), in store order
 * @param otherKeys every other key, in store order; D_C never contains them
 */
public record KeySplit(List<String> compositionKeys, List<String> otherKeys) {

    /**
     * Copies the lists and checks that no key is on both sides.
     *
     * @param compositionKeys keys that D_C uses (the paper's 20%), in store order
     * @param otherKeys every other key, in store order; D_C never contains them
     */
    public KeySplit {
        compositionKeys = List.copyOf(compositionKeys);
        otherKeys = List.copyOf(otherKeys);
        Set<String> composition = new HashSet<>(compositionKeys);
        for (String key : otherKeys) {
            if (composition.contains(key)) {
                throw new IllegalArgumentException("key '" + key + "' is both a composition key and another key");
            }
        }
    }
}
