package calm.eval.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExactMatchTest {

    @Test
    void trailingWhitespaceIsIgnoredOnBothSides() {
        assertEquals(1.0, ExactMatch.score("42\n", "42"));
        assertEquals(1.0, ExactMatch.score("42", "42 \t"));
    }

    @Test
    void caseAndLeadingWhitespaceCount() {
        assertEquals(0.0, ExactMatch.score("Paris", "paris"));
        assertEquals(0.0, ExactMatch.score(" 42", "42"));
    }

    @Test
    void accuracyIsTheMeanOfExampleOutcomes() {
        List<String> predictions = List.of("a", "b ", "c", "d");
        List<String> references = List.of("a", "b", "x", "y");
        assertArrayEquals(new double[] {1, 1, 0, 0},
                ExactMatch.perExample(predictions, references));
        assertEquals(0.5, ExactMatch.accuracy(predictions, references).score());
    }
}
