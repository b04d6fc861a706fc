package calm.eval.code;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import calm.data.ByteVocabulary;
import calm.data.CharVocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code metrics and the one-line format, on outputs worked by hand. */
class CodeMetricsTest {

    @Test
    void aBodyParsesWhenItIsOneBlockAndGenerationStopped() {
        List<String> outputs = List.of("{\n  return a + 1;\n}", "{ int x = 1; return x; }", "{\n  return a +\n", "return a;",
                "{ return a; }");
        boolean[] stopped = {true, true, true, true, false};
        // Parses: the first two; the third is cut, the fourth has no braces, the fifth did not stop.
        assertEquals(2.0 / 5, CodeMetrics.PARSES.score(outputs, List.of("", "", "", "", ""), stopped).score(), 1e-12);
        assertEquals(100, CodeMetrics.PARSES.scale());
    }

    @Test
    void rougeLIsTheMeanFMeasureOverExamples() {
        // "closes the stream" against "closes the given stream": LCS 3, precision 3/3, recall 3/4, F = 6/7;
        // "nothing" against "reads all": F = 0.
        double score = CodeMetrics.ROUGE_L.score(List.of("Closes the stream.", "Nothing"),
                List.of("Closes the given stream.", "Reads all."), new boolean[] {true, true}).score();
        assertEquals((6.0 / 7 + 0) / 2, score, 1e-12);
    }

    @Test
    void aLineFormatStopsAtTheLineBreakAndReadsPromptsAfterBos() {
        LineFormat format = new LineFormat(ByteVocabulary.utf8());
        assertEquals(ByteVocabulary.utf8().encode("\n")[0], format.stopToken());
        int[] ids = format.encode("ab");
        assertEquals(CharVocabulary.BOS, ids[0]);
        assertArrayEquals(ByteVocabulary.utf8().encode("ab"), java.util.Arrays.copyOfRange(ids, 1, 3));
        assertEquals("ab", format.decode(ByteVocabulary.utf8().encode("ab")));
    }
}
