package calm.kv.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Examples whose prompts stand behind other text: each prompt gets 0 to {@code longest} characters
 * cut from the end of two other examples of the same list, written one after the other, as a
 * window of a packed stream of examples starts mid-example: behind {@code 0=331202+101=303}, the
 * end of {@code 101+230=331} and {@code 202+101=303}, the prompt {@code 010+220=} becomes
 * {@code 0=331202+101=303010+220=}. Targets are unchanged.
 */
public final class PrefixedExamples {

    /** How many other examples the prefix is cut from. */
    public static final int SOURCES = 2;

    private PrefixedExamples() {}

    /**
     * @param examples the examples, also the text prefixes are cut from; at least one
     * @param longest the longest prefix, in characters
     * @param seed draws the other examples and the prefix lengths
     * @return one example per input, in order, the prompt behind its prefix
     */
    public static List<KvExample> of(List<KvExample> examples, int longest, long seed) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples to cut prefixes from");
        }
        if (longest < 0) {
            throw new IllegalArgumentException("longest must be >= 0, got " + longest);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<KvExample> prefixed = new ArrayList<>(examples.size());
        for (KvExample example : examples) {
            StringBuilder stream = new StringBuilder();
            for (int i = 0; i < SOURCES; i++) {
                stream.append(examples.get(random.nextInt(examples.size())).text());
            }
            int length = Math.min(random.nextInt(longest + 1), stream.length());
            String prefix = stream.substring(stream.length() - length);
            prefixed.add(new KvExample(example.task(), prefix + example.prompt(), example.target(), example.keys()));
        }
        return prefixed;
    }
}
