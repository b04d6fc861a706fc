package calm.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Token 5-gram Jaccard similarity, against counts worked by hand. */
class NearDuplicatesTest {

    private static JavaMethod method(String name, String... tokens) {
        return new JavaMethod("lib", "F.java", "F", name, "void " + name + "()", "{}", "", List.of(tokens), false);
    }

    @Test
    void sevenTokensMakeThreeShinglesAndOneChangedTokenLeavesTheSharedOnes() {
        // a b c d e f g -> abcde bcdef cdefg; with g -> x: abcde bcdef cdefx: 2 shared of 4 distinct.
        assertEquals(Set.of("a\u0001b\u0001c\u0001d\u0001e", "b\u0001c\u0001d\u0001e\u0001f", "c\u0001d\u0001e\u0001f\u0001g"),
                NearDuplicates.shingles(List.of("a", "b", "c", "d", "e", "f", "g")));
        JavaMethod training = method("t", "a", "b", "c", "d", "e", "f", "g");
        NearDuplicates index = new NearDuplicates(List.of(training, method("u", "p", "q", "r", "s", "t", "u")));
        NearDuplicates.Match match = index.closest(method("h", "a", "b", "c", "d", "e", "f", "x"));
        assertSame(training, match.method());
        assertEquals(2.0 / 4, match.jaccard(), 1e-12);
    }

    @Test
    void aShortBodyIsOneShingleAndNothingSharedIsNoMatch() {
        NearDuplicates index = new NearDuplicates(List.of(method("t", "{", "return", "x", ";", "}")));
        assertEquals(1.0, index.closest(method("h", "{", "return", "x", ";", "}")).jaccard(), 1e-12);
        assertNull(index.closest(method("h", "{", "return", "y", ";", "}")));
    }
}
