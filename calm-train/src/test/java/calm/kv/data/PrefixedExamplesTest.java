package calm.kv.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrefixedExamplesTest {

    private static final List<KvExample> EXAMPLES = List.of(
            new KvExample(KvTask.NUMERIC_ARITHMETIC, "101+230=", "331", List.of()),
            new KvExample(KvTask.NUMERIC_ARITHMETIC, "202+101=", "303", List.of()),
            new KvExample(KvTask.NUMERIC_ARITHMETIC, "010+220=", "230", List.of()),
            new KvExample(KvTask.NUMERIC_ARITHMETIC, "900+100=", "001", List.of()));

    @Test
    void eachPromptStandsBehindTheEndOfTwoOtherExamples() {
        Set<String> pairs = new HashSet<>();
        for (KvExample first : EXAMPLES) {
            for (KvExample second : EXAMPLES) {
                pairs.add(first.text() + second.text());
            }
        }
        Set<Integer> lengths = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            List<KvExample> prefixed = PrefixedExamples.of(EXAMPLES, 14, seed);
            assertEquals(EXAMPLES.size(), prefixed.size());
            for (int i = 0; i < EXAMPLES.size(); i++) {
                KvExample original = EXAMPLES.get(i);
                KvExample example = prefixed.get(i);
                assertEquals(original.target(), example.target());
                assertEquals(original.task(), example.task());
                assertTrue(example.prompt().endsWith(original.prompt()), example.prompt());
                String prefix = example.prompt().substring(0, example.prompt().length() - original.prompt().length());
                assertTrue(prefix.length() <= 14, prefix);
                assertTrue(pairs.stream().anyMatch(pair -> pair.endsWith(prefix)), prefix);
                lengths.add(prefix.length());
            }
        }
        assertEquals(15, lengths.size(), "every length from 0 to 14 is drawn: " + lengths);
    }

    @Test
    void theSameSeedGivesTheSamePrefixes() {
        assertEquals(PrefixedExamples.of(EXAMPLES, 14, 7), PrefixedExamples.of(EXAMPLES, 14, 7));
        List<String> one = new ArrayList<>();
        List<String> other = new ArrayList<>();
        PrefixedExamples.of(EXAMPLES, 14, 7).forEach(example -> one.add(example.prompt()));
        PrefixedExamples.of(EXAMPLES, 14, 8).forEach(example -> other.add(example.prompt()));
        assertNotEquals(one, other);
    }

    @Test
    void nothingToCutFromIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PrefixedExamples.of(List.of(), 14, 1));
    }
}
