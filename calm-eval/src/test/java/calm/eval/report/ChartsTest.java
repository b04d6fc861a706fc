package calm.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChartsTest {

    @Test
    void sixteenSystemsGetSixteenDifferentLines() {
        // The key-value report has nine systems: the ninth must not be drawn as the first.
        Set<List<Object>> lines = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            lines.add(List.of(Charts.colorAt(i), Arrays.toString(Charts.strokeAt(i).getDashArray())));
        }
        assertEquals(16, lines.size());
        assertNull(Charts.strokeAt(7).getDashArray(), "the first eight are solid");
        assertEquals(Charts.colorAt(0), Charts.colorAt(8));
    }
}
