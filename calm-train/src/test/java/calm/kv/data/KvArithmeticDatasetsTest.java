package calm.kv.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KvArithmeticDatasetsTest {

    private static final KvArithmeticSettings SMALL = KvArithmeticSettings.defaults()
            .withNumKeys(300)
            .withSizes(new DatasetSizes(3_000, 3_000, 600, 200))
            .withScratchpad(true);

    private static KvArithmeticDatasets msd;
    private static KvArithmeticDatasets lsd;

    @BeforeAll
    static void build() {
        msd = KvArithmeticDatasets.build(SMALL, 2401);
        lsd = KvArithmeticDatasets.build(SMALL.withDigitOrder(DigitOrder.LEAST_SIGNIFICANT_FIRST), 2401);
    }

    @Test
    void sameSeedGivesIdenticalData() {
        KvArithmeticDatasets again = KvArithmeticDatasets.build(SMALL, 2401);
        assertEquals(msd.store(), again.store());
        assertEquals(msd.keySplit(), again.keySplit());
        for (KvSplit split : KvSplit.values()) {
            assertEquals(msd.get(split), again.get(split), split.id());
        }
    }

    @Test
    void differentSeedGivesDifferentData() {
        KvArithmeticDatasets other = KvArithmeticDatasets.build(SMALL, 2402);
        assertNotEquals(msd.store().keys(), other.store().keys());
        for (KvSplit split : KvSplit.values()) {
            if (split != KvSplit.VALIDATION_COMPOSITION) {
                assertNotEquals(msd.get(split), other.get(split), split.id());
            }
        }
        List<String> numericPrompts = prompts(msd.get(KvSplit.TRAIN_NUMERIC_ARITHMETIC));
        long shared = prompts(other.get(KvSplit.TRAIN_NUMERIC_ARITHMETIC)).stream().filter(numericPrompts::contains).count();
        assertTrue(shared < 30, shared + " numeric prompts shared between seeds");
    }

    @Test
    void resizingOneSplitLeavesTheOthersUnchanged() {
        DatasetSizes sizes = SMALL.sizes();
        KvArithmeticDatasets moreNumeric = KvArithmeticDatasets.build(SMALL.withSizes(
                new DatasetSizes(sizes.substitutionTrain(), 5_000, sizes.compositionTrain(), sizes.evalPerSplit())), 2401);
        assertEquals(msd.get(KvSplit.TRAIN_KV_SUBSTITUTION), moreNumeric.get(KvSplit.TRAIN_KV_SUBSTITUTION));
        assertEquals(msd.get(KvSplit.TRAIN_COMPOSITION), moreNumeric.get(KvSplit.TRAIN_COMPOSITION));
        assertEquals(msd.get(KvSplit.TRAIN_NUMERIC_ARITHMETIC),
                moreNumeric.get(KvSplit.TRAIN_NUMERIC_ARITHMETIC).subList(0, 3_000));
    }

    @Test
    void nonNegativeResultsLeaveNoNegativeAnswerInAnySplit() {
        KvArithmeticSettings settings = new KvArithmeticSettings(300, 0.2, new ExpressionSettings(3, 6,
                List.of(Operator.PLUS, Operator.MINUS), ResultRange.NON_NEGATIVE), DigitOrder.LEAST_SIGNIFICANT_FIRST,
                SMALL.sizes(), true);
        KvArithmeticDatasets nonNegative = KvArithmeticDatasets.build(settings, 2401);
        int answers = 0;
        for (KvSplit split : KvSplit.values()) {
            assertEquals(lsd.get(split).size(), nonNegative.get(split).size(), split.id());
            for (KvExample example : nonNegative.get(split)) {
                String target = example.target();
                if (split.task() == KvTask.KV_SUBSTITUTION) {
                    // The substituted expression, evaluated here: its value is the expression's result.
                    assertTrue(evaluate(target) >= 0, split.id() + ": " + example);
                } else {
                    assertFalse(target.substring(target.lastIndexOf('=') + 1).startsWith("-"), split.id() + ": " + example);
                }
                answers++;
            }
        }
        assertTrue(answers > 8_000, answers + " examples checked");
        long negative = lsd.get(KvSplit.EVAL_NUMERIC_ARITHMETIC).stream().filter(e -> e.target().startsWith("-")).count();
        assertTrue(negative > 50, "with any result, " + negative + " of 200 held-out answers are negative");
    }

    @Test
    void aNumberWidthGivesEveryNumberOfEverySplitThatManyDigits() {
        KvArithmeticDatasets padded = KvArithmeticDatasets.build(SMALL.withNumberWidth(4), 2401);
        int numbers = 0;
        for (KvSplit split : KvSplit.values()) {
            assertEquals(msd.get(split).size(), padded.get(split).size(), split.id());
            for (KvExample example : padded.get(split)) {
                for (String number : example.text().replaceAll("[a-z]+", " ").split("[^0-9]+")) {
                    if (!number.isEmpty()) {
                        assertEquals(4, number.length(), split.id() + ": " + example);
                        numbers++;
                    }
                }
            }
        }
        assertTrue(numbers > 20_000, numbers + " numbers checked");
        IllegalArgumentException narrow = assertThrows(IllegalArgumentException.class, () -> SMALL.withNumberWidth(3));
        assertEquals("numberWidth must be 0 (natural widths) or in [4, 18]: 4 digits hold the largest result, 6 operands x 300"
                + " = 1800; got 3", narrow.getMessage());
    }

    @Test
    void dcsValidationSplitUsesDcKeysAvoidsEveryOtherSplitAndChangesNone() {
        DatasetSizes sizes = SMALL.sizes();
        KvArithmeticDatasets validated = KvArithmeticDatasets.build(SMALL.withSizes(new DatasetSizes(sizes.substitutionTrain(),
                sizes.numericTrain(), sizes.compositionTrain(), sizes.evalPerSplit(), 0, 0, 150)), 2401);
        List<KvExample> validation = validated.get(KvSplit.VALIDATION_COMPOSITION);
        assertEquals(150, validation.size());
        assertEquals(150, new HashSet<>(prompts(validation)).size(), "repeated validation prompts");
        assertTrue(msd.get(KvSplit.VALIDATION_COMPOSITION).isEmpty(), "no validation split unless asked for");
        Set<String> dcKeys = new HashSet<>(validated.keySplit().compositionKeys());
        for (KvExample example : validation) {
            for (String key : example.prompt().split("[^a-z]+")) {
                assertTrue(key.isEmpty() || dcKeys.contains(key), key + " in " + example.prompt() + " is not a D_C key");
            }
        }
        for (KvSplit split : KvSplit.values()) {
            if (split == KvSplit.VALIDATION_COMPOSITION) {
                continue;
            }
            assertEquals(msd.get(split), validated.get(split), split.id() + " changed by the validation split");
            Set<String> other = new HashSet<>(prompts(validated.get(split)));
            validation.forEach(e -> assertFalse(other.contains(e.prompt()), e.prompt() + " is also in " + split.id()));
        }
    }

    @Test
    void compositionNumericSpreadsThatManyNumericExamplesThroughDcAndNoneIsHeldOut() {
        DatasetSizes sizes = SMALL.sizes();
        KvArithmeticDatasets mixed = KvArithmeticDatasets.build(SMALL.withSizes(new DatasetSizes(sizes.substitutionTrain(),
                sizes.numericTrain(), sizes.compositionTrain(), sizes.evalPerSplit(), 150, 0)), 2401);
        List<KvExample> dc = mixed.get(KvSplit.TRAIN_COMPOSITION);
        List<KvExample> numeric = dc.stream().filter(e -> e.task() == KvTask.NUMERIC_ARITHMETIC).toList();
        assertEquals(150, numeric.size());
        assertEquals(msd.get(KvSplit.TRAIN_COMPOSITION), dc.stream().filter(e -> e.task() == KvTask.KV_ARITHMETIC).toList());
        assertEquals(600 + 150, dc.size());
        assertEquals(150, new HashSet<>(prompts(numeric)).size(), "repeated numeric prompts");
        Set<String> heldOut = new HashSet<>(prompts(mixed.get(KvSplit.EVAL_NUMERIC_ARITHMETIC)));
        numeric.forEach(e -> assertFalse(heldOut.contains(e.prompt()), e.prompt() + " is held out"));
        long inFirstHundred = dc.subList(0, 100).stream().filter(e -> e.task() == KvTask.NUMERIC_ARITHMETIC).count();
        assertTrue(inFirstHundred >= 15 && inFirstHundred <= 25, inFirstHundred + " numeric examples among the first 100");
        List<KvExample> scratchpad = mixed.get(KvSplit.TRAIN_COMPOSITION_SCRATCHPAD);
        assertEquals(numeric, scratchpad.stream().filter(e -> e.task() == KvTask.NUMERIC_ARITHMETIC).toList(),
                "D_C in the scratchpad format mixes in the same Numeric-Arithmetic examples");
        assertEquals(prompts(dc), prompts(scratchpad), "in the same order");
        assertEquals(msd.get(KvSplit.TRAIN_COMPOSITION_SCRATCHPAD),
                scratchpad.stream().filter(e -> e.task() == KvTask.KV_ARITHMETIC_SCRATCHPAD).toList());
        for (KvSplit split : KvSplit.values()) {
            if (split != KvSplit.TRAIN_COMPOSITION && split != KvSplit.TRAIN_COMPOSITION_SCRATCHPAD) {
                assertEquals(msd.get(split), mixed.get(split), split.id() + " changed by the mix");
            }
        }
    }

    @Test
    void lookupTrainMixesThatManyKeyLookupsIntoMsTrainingSet() {
        DatasetSizes sizes = SMALL.sizes();
        DatasetSizes withLookups = new DatasetSizes(sizes.substitutionTrain(), sizes.numericTrain(),
                sizes.compositionTrain(), sizes.evalPerSplit(), 0, 400);
        KvArithmeticDatasets mixed = KvArithmeticDatasets.build(SMALL.withSizes(withLookups), 2401);
        List<KvExample> train = mixed.get(KvSplit.TRAIN_KV_SUBSTITUTION);
        List<KvExample> lookups = train.stream().filter(e -> e.task() == KvTask.KV_LOOKUP).toList();
        assertEquals(400, lookups.size());
        assertEquals(3_000 + 400, train.size());
        assertEquals(msd.get(KvSplit.TRAIN_KV_SUBSTITUTION),
                train.stream().filter(e -> e.task() == KvTask.KV_SUBSTITUTION).toList());
        Set<Integer> operandCounts = new HashSet<>();
        for (KvExample lookup : lookups) {
            assertTrue(lookup.prompt().matches("[a-z]+([+-][a-z]+)*"), lookup.prompt());
            String[] keys = lookup.prompt().split("[+-]");
            operandCounts.add(keys.length);
            String last = keys[keys.length - 1];
            assertEquals(String.valueOf(mixed.store().value(last)), lookup.target(), lookup.prompt());
            assertEquals(List.copyOf(new LinkedHashSet<>(List.of(keys))), lookup.keys());
        }
        assertEquals(Set.of(1, 2, 3, 4, 5, 6), operandCounts, "prompts cut after each number of operands");
        for (KvSplit split : KvSplit.values()) {
            if (split != KvSplit.TRAIN_KV_SUBSTITUTION) {
                assertEquals(msd.get(split), mixed.get(split), split.id() + " changed by the lookups");
            }
        }

        KvArithmeticDatasets reversed = KvArithmeticDatasets.build(SMALL.withSizes(withLookups)
                .withDigitOrder(DigitOrder.LEAST_SIGNIFICANT_FIRST).withNumberWidth(4), 2401);
        List<KvExample> reversedLookups = reversed.get(KvSplit.TRAIN_KV_SUBSTITUTION).stream()
                .filter(e -> e.task() == KvTask.KV_LOOKUP).toList();
        for (int i = 0; i < lookups.size(); i++) {
            assertEquals(lookups.get(i).prompt(), reversedLookups.get(i).prompt());
            String padded = "0".repeat(4 - lookups.get(i).target().length()) + lookups.get(i).target();
            assertEquals(new StringBuilder(padded).reverse().toString(), reversedLookups.get(i).target());
        }
    }

    /** Evaluates an expression written least-significant digit first, such as {@code 01+22-42}. */
    private static long evaluate(String expression) {
        long value = 0;
        int sign = 1;
        for (String token : expression.split("(?=[+-])|(?<=[+-])")) {
            switch (token) {
                case "+" -> sign = 1;
                case "-" -> sign = -1;
                default -> value += sign * Long.parseLong(new StringBuilder(token).reverse().toString());
            }
        }
        return value;
    }

    @Test
    void everySplitHasItsSizeTaskAndDistinctPrompts() {
        DatasetSizes sizes = SMALL.sizes();
        // D_C's validation split is built only when asked for (sizes.compositionValidation > 0).
        assertEquals(EnumSet.complementOf(EnumSet.of(KvSplit.VALIDATION_COMPOSITION)), msd.splits());
        for (KvSplit split : KvSplit.values()) {
            List<KvExample> examples = msd.get(split);
            int expected = switch (split) {
                case TRAIN_KV_SUBSTITUTION -> sizes.substitutionTrain();
                case TRAIN_NUMERIC_ARITHMETIC -> sizes.numericTrain();
                case TRAIN_COMPOSITION, TRAIN_COMPOSITION_SCRATCHPAD -> sizes.compositionTrain();
                case VALIDATION_COMPOSITION -> sizes.compositionValidation();
                default -> sizes.evalPerSplit();
            };
            assertEquals(expected, examples.size(), split.id());
            assertEquals(expected, new HashSet<>(prompts(examples)).size(), split.id() + " repeats a prompt");
            examples.forEach(example -> assertEquals(split.task(), example.task(), split.id()));
        }
    }

    @Test
    void expressionsHaveThreeToSixOperandsAndBothOperators() {
        int[] byCount = new int[8];
        Set<Character> operators = new HashSet<>();
        for (KvExample example : msd.get(KvSplit.TRAIN_KV_SUBSTITUTION)) {
            Parsed parsed = Parsed.of(example.prompt());
            byCount[parsed.operands.size()]++;
            operators.addAll(parsed.operators);
        }
        assertEquals(0, byCount[1] + byCount[2] + byCount[7]);
        for (int count = 3; count <= 6; count++) {
            assertTrue(byCount[count] > 600, count + " operands: " + byCount[count]);
        }
        assertEquals(Set.of('+', '-'), operators);
    }

    @Test
    void compositionDataUsesOnlyCompositionKeys() {
        Set<String> dcKeys = new HashSet<>(msd.keySplit().compositionKeys());
        assertEquals(60, dcKeys.size());
        Set<String> used = new HashSet<>();
        for (KvExample example : msd.get(KvSplit.TRAIN_COMPOSITION)) {
            List<String> keys = Parsed.of(example.prompt()).operands;
            assertTrue(dcKeys.containsAll(keys), example.prompt());
            assertEquals(List.copyOf(new LinkedHashSet<>(keys)), example.keys(), example.prompt());
            used.addAll(keys);
        }
        assertEquals(dcKeys, used, "600 expressions should touch all 60 composition keys");
    }

    @Test
    void heldOutKeySetsAreWhatTheirNamesSay() {
        Set<String> dcKeys = new HashSet<>(msd.keySplit().compositionKeys());
        Set<String> trainCompositionKeys = new HashSet<>();
        msd.get(KvSplit.TRAIN_COMPOSITION).forEach(example -> trainCompositionKeys.addAll(example.keys()));
        for (KvExample example : msd.get(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS)) {
            assertTrue(dcKeys.containsAll(Parsed.of(example.prompt()).operands), example.prompt());
        }
        for (KvExample example : msd.get(KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS)) {
            for (String key : Parsed.of(example.prompt()).operands) {
                assertFalse(dcKeys.contains(key), key + " of " + example.prompt() + " is a composition key");
                assertFalse(trainCompositionKeys.contains(key), key + " of " + example.prompt() + " occurs in D_C");
                assertTrue(msd.store().contains(key), key);
            }
        }
        for (KvExample example : msd.get(KvSplit.EVAL_KV_ARITHMETIC_MIXED_KEYS)) {
            List<String> keys = Parsed.of(example.prompt()).operands;
            assertTrue(keys.stream().anyMatch(dcKeys::contains), example.prompt());
            assertTrue(keys.stream().anyMatch(key -> !dcKeys.contains(key)), example.prompt());
        }
    }

    @Test
    void noEvaluationExpressionOccursInAnyTrainingSplit() {
        Set<String> trainingPrompts = new HashSet<>();
        for (KvSplit split : KvSplit.values()) {
            if (split.training()) {
                trainingPrompts.addAll(prompts(msd.get(split)));
            }
        }
        Set<String> numericTraining = new HashSet<>(prompts(msd.get(KvSplit.TRAIN_NUMERIC_ARITHMETIC)));
        int checked = 0;
        for (KvSplit split : KvSplit.values()) {
            if (split.training()) {
                continue;
            }
            for (KvExample example : msd.get(split)) {
                assertFalse(trainingPrompts.contains(example.prompt()), split.id() + ": " + example.prompt());
                String numericForm = substitute(example.prompt(), msd.store(), false);
                assertFalse(numericTraining.contains(numericForm), split.id() + ": " + numericForm);
                checked++;
            }
        }
        assertEquals(8 * 200, checked);
    }

    @Test
    void answersAreCorrectInBothDigitOrders() {
        for (KvArithmeticDatasets datasets : List.of(msd, lsd)) {
            boolean reversed = datasets == lsd;
            for (KvSplit split : KvSplit.values()) {
                for (KvExample example : datasets.get(split)) {
                    String numeric = substitute(example.prompt(), datasets.store(), reversed);
                    String expected = switch (example.task()) {
                        case KV_SUBSTITUTION -> numeric.substring(0, numeric.length() - 1);
                        case KV_LOOKUP -> numeric.substring(Math.max(numeric.lastIndexOf('+'), numeric.lastIndexOf('-')) + 1);
                        case NUMERIC_ARITHMETIC, KV_ARITHMETIC -> number(evaluate(numeric, reversed), reversed);
                        case KV_ARITHMETIC_SCRATCHPAD -> numeric + number(evaluate(numeric, reversed), reversed);
                    };
                    assertEquals(expected, example.target(), split.id() + ": " + example.prompt());
                }
            }
        }
    }

    @Test
    void leastSignificantFirstChangesOnlyHowNumbersAreWritten() {
        for (KvSplit split : KvSplit.values()) {
            List<KvExample> forward = msd.get(split);
            List<KvExample> backward = lsd.get(split);
            assertEquals(forward.size(), backward.size());
            for (int i = 0; i < forward.size(); i++) {
                assertEquals(reverseNumbers(forward.get(i).prompt()), backward.get(i).prompt());
                assertEquals(reverseNumbers(forward.get(i).target()), backward.get(i).target());
                assertEquals(forward.get(i).keys(), backward.get(i).keys());
            }
        }
        List<KvExample> forward = msd.get(KvSplit.TRAIN_COMPOSITION);
        List<KvExample> backward = lsd.get(KvSplit.TRAIN_COMPOSITION);
        long changed = 0;
        for (int i = 0; i < forward.size(); i++) {
            changed += forward.get(i).target().equals(backward.get(i).target()) ? 0 : 1;
        }
        assertTrue(changed > forward.size() / 2, changed + " of " + forward.size() + " targets differ");
    }

    @Test
    void scratchpadSplitsShareTheirPromptsWithThePaperFormat() {
        assertEquals(prompts(msd.get(KvSplit.TRAIN_COMPOSITION)), prompts(msd.get(KvSplit.TRAIN_COMPOSITION_SCRATCHPAD)));
        List<KvExample> plain = msd.get(KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS);
        List<KvExample> scratchpad = msd.get(KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS_SCRATCHPAD);
        for (int i = 0; i < plain.size(); i++) {
            assertTrue(scratchpad.get(i).target().endsWith("=" + plain.get(i).target()), scratchpad.get(i).target());
        }
        KvArithmeticDatasets without = KvArithmeticDatasets.build(SMALL.withScratchpad(false), 2401);
        assertFalse(without.splits().contains(KvSplit.TRAIN_COMPOSITION_SCRATCHPAD));
        assertEquals(msd.get(KvSplit.TRAIN_COMPOSITION), without.get(KvSplit.TRAIN_COMPOSITION));
        assertThrows(IllegalArgumentException.class, () -> without.get(KvSplit.TRAIN_COMPOSITION_SCRATCHPAD));
    }

    @Test
    void impossibleSizesFailNamingTheSplit() {
        KvArithmeticSettings tiny = new KvArithmeticSettings(10, 0.2, new ExpressionSettings(1, 1, List.of(Operator.PLUS)),
                DigitOrder.MOST_SIGNIFICANT_FIRST, new DatasetSizes(1, 1, 1, 5), false);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> KvArithmeticDatasets.build(tiny, 1));
        assertTrue(error.getMessage().startsWith("could draw only 2 of 5 distinct expressions for eval-kv-arithmetic-dc-keys"),
                error.getMessage());
    }

    private static List<String> prompts(List<KvExample> examples) {
        return examples.stream().map(KvExample::prompt).toList();
    }

    /** Replaces each key of a prompt by its value, its digits reversed if so asked. */
    private static String substitute(String prompt, KeyValueStore store, boolean reversed) {
        Parsed parsed = Parsed.of(prompt);
        StringBuilder numeric = new StringBuilder();
        for (int i = 0; i < parsed.operands.size(); i++) {
            if (i > 0) {
                numeric.append(parsed.operators.get(i - 1));
            }
            String operand = parsed.operands.get(i);
            numeric.append(Character.isLetter(operand.charAt(0)) ? number(store.value(operand), reversed) : operand);
        }
        return numeric.append('=').toString();
    }

    /** Evaluates a numeric prompt such as {@code 10+22-24=}; operands are reversed first if so written. */
    private static long evaluate(String numericPrompt, boolean reversed) {
        Parsed parsed = Parsed.of(numericPrompt);
        long result = 0;
        for (int i = 0; i < parsed.operands.size(); i++) {
            String digits = parsed.operands.get(i);
            long operand = Long.parseLong(reversed ? new StringBuilder(digits).reverse().toString() : digits);
            result = i == 0 || parsed.operators.get(i - 1) == '+' ? result + operand : result - operand;
        }
        return result;
    }

    private static String number(long value, boolean reversed) {
        String digits = Long.toString(Math.abs(value));
        if (reversed) {
            digits = new StringBuilder(digits).reverse().toString();
        }
        return value < 0 ? "-" + digits : digits;
    }

    /** Reverses every maximal run of digits. */
    private static String reverseNumbers(String text) {
        StringBuilder out = new StringBuilder();
        StringBuilder run = new StringBuilder();
        for (char c : (text + "$").toCharArray()) {
            if (Character.isDigit(c)) {
                run.append(c);
            } else {
                out.append(run.reverse());
                run.setLength(0);
                out.append(c);
            }
        }
        return out.substring(0, out.length() - 1);
    }

    /** A prompt split into operands and operators by hand, independently of the code under test. */
    private record Parsed(List<String> operands, List<Character> operators) {
        static Parsed of(String prompt) {
            assertTrue(prompt.endsWith("="), prompt);
            List<String> operands = new ArrayList<>();
            List<Character> operators = new ArrayList<>();
            StringBuilder operand = new StringBuilder();
            for (char c : prompt.substring(0, prompt.length() - 1).toCharArray()) {
                if (c == '+' || c == '-') {
                    operands.add(operand.toString());
                    operand.setLength(0);
                    operators.add(c);
                } else {
                    operand.append(c);
                }
            }
            operands.add(operand.toString());
            return new Parsed(operands, operators);
        }
    }
}
