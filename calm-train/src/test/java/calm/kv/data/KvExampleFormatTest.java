package calm.kv.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class KvExampleFormatTest {

    private static final KeyValueStore STORE = KeyValueStore.of(List.of("ab", "cd", "ef"), List.of(1, 3, 2));
    private static final KeyExpression EXPRESSION =
            new KeyExpression(List.of("ab", "cd", "ef", "cd"), List.of(Operator.PLUS, Operator.MINUS, Operator.MINUS));

    @Test
    void tasksRenderThePapersExamplesMostSignificantFirst() {
        KvExampleFormat format = new KvExampleFormat(STORE, DigitOrder.MOST_SIGNIFICANT_FIRST);
        assertEquals(new KvExample(KvTask.KV_SUBSTITUTION, "ab+cd-ef-cd=", "1+3-2-3", List.of("ab", "cd", "ef")),
                format.kvSubstitution(EXPRESSION));
        assertEquals(new KvExample(KvTask.KV_ARITHMETIC, "ab+cd-ef-cd=", "-1", List.of("ab", "cd", "ef")),
                format.kvArithmetic(EXPRESSION));
        assertEquals(new KvExample(KvTask.KV_ARITHMETIC_SCRATCHPAD, "ab+cd-ef-cd=", "1+3-2-3=-1",
                List.of("ab", "cd", "ef")), format.kvArithmeticScratchpad(EXPRESSION));
        NumericExpression numbers = new NumericExpression(List.of(10, 22, 24), List.of(Operator.PLUS, Operator.MINUS));
        assertEquals(new KvExample(KvTask.NUMERIC_ARITHMETIC, "10+22-24=", "8", List.of()),
                format.numericArithmetic(numbers));
    }

    @Test
    void leastSignificantFirstReversesEveryNumber() {
        KvExampleFormat format = new KvExampleFormat(STORE, DigitOrder.LEAST_SIGNIFICANT_FIRST);
        NumericExpression numbers = new NumericExpression(List.of(120, 95, 7), List.of(Operator.PLUS, Operator.MINUS));
        KvExample example = format.numericArithmetic(numbers);
        assertEquals("021+59-7=", example.prompt());
        assertEquals("802", example.target());
        assertEquals("021+59-7=802", example.text());
        NumericExpression negative = new NumericExpression(List.of(5, 130), List.of(Operator.MINUS));
        assertEquals("-521", format.numericArithmetic(negative).target());
    }

    @Test
    void aNumberWidthZeroFillsEveryNumberInEveryTask() {
        KvExampleFormat lsd = new KvExampleFormat(STORE, DigitOrder.LEAST_SIGNIFICANT_FIRST, 4);
        NumericExpression numbers = new NumericExpression(List.of(120, 95, 7), List.of(Operator.PLUS, Operator.MINUS));
        assertEquals("0210+5900-7000=8020", lsd.numericArithmetic(numbers).text());
        assertEquals("-5210", lsd.numericArithmetic(new NumericExpression(List.of(5, 130), List.of(Operator.MINUS))).target());
        KvExampleFormat msd = new KvExampleFormat(STORE, DigitOrder.MOST_SIGNIFICANT_FIRST, 3);
        assertEquals("001+003-002-003", msd.kvSubstitution(EXPRESSION).target());
        assertEquals("-001", msd.kvArithmetic(EXPRESSION).target());
        assertEquals("001+003-002-003=-001", msd.kvArithmeticScratchpad(EXPRESSION).target());
        assertEquals("1234", DigitOrder.MOST_SIGNIFICANT_FIRST.write(1234, 3), "a width never cuts digits");
    }
}
