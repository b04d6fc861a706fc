package calm.kv.data;


import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Draws the expressions of every split; see {@link KvArithmeticDatasets#build}. */
final class KvArithmeticBuilder {

    /** Draws allowed per example asked, before a split is declared impossible to fill. */
    private static final int ATTEMPTS_PER_EXAMPLE = 100;
    private static final int MIN_ATTEMPTS = 10_000;

    private KvArithmeticBuilder() {
    }

    static KvArithmeticDatasets build(KvArithmeticSettings settings, long seed) {
        KeyValueStore store = KeyValueStore.generate(settings.numKeys(), SeedStreams.derive(seed, "key-value-store"));
        KeySplit keySplit = store.split(settings.compositionFraction(), SeedStreams.derive(seed, "key-split"));
        Set<String> dcKeys = new HashSet<>(keySplit.compositionKeys());
        DatasetSizes sizes = settings.sizes();
        Draw draw = new Draw(settings.expressions(), store, seed);

        // Held-out sets first, so that the training sets can be drawn around them.
        Set<KeyExpression> noKeys = Set.of();
        List<KeyExpression> evalDc = draw.keys(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS, sizes.evalPerSplit(),
                keySplit.compositionKeys(), e -> true, noKeys);
        List<KeyExpression> evalOther = draw.keys(KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS, sizes.evalPerSplit(),
                keySplit.otherKeys(), e -> true, noKeys);
        List<KeyExpression> evalMixed = draw.keys(KvSplit.EVAL_KV_ARITHMETIC_MIXED_KEYS, sizes.evalPerSplit(),
                store.keys(), e -> mixesKeys(e, dcKeys), noKeys);
        List<KeyExpression> evalSubstitution = draw.keys(KvSplit.EVAL_KV_SUBSTITUTION, sizes.evalPerSplit(),
                store.keys(), e -> true, noKeys);
        List<NumericExpression> evalNumeric = draw.numbers(KvSplit.EVAL_NUMERIC_ARITHMETIC, sizes.evalPerSplit(),
                store.size(), Set.of());

        Set<KeyExpression> heldOutKeys = union(evalDc, evalOther, evalMixed, evalSubstitution);
        Set<NumericExpression> heldOutNumbers = new HashSet<>(evalNumeric);
        for (KeyExpression expression : heldOutKeys) {
            heldOutNumbers.add(expression.substitute(store));
        }

        List<KeyExpression> trainSubstitution = draw.keys(KvSplit.TRAIN_KV_SUBSTITUTION, sizes.substitutionTrain(),
                store.keys(), e -> true, heldOutKeys);
        List<KeyExpression> trainLookup = prefixes(draw.keys(KvSplit.TRAIN_KV_SUBSTITUTION,
                KvSplit.TRAIN_KV_SUBSTITUTION.id() + "-lookup", sizes.lookupTrain(), store.keys(), e -> true,
                heldOutKeys), SeedStreams.derive(seed, KvSplit.TRAIN_KV_SUBSTITUTION.id() + "-lookup-prefix"));
        List<KeyExpression> trainComposition = draw.keys(KvSplit.TRAIN_COMPOSITION, sizes.compositionTrain(),
                keySplit.compositionKeys(), e -> true, heldOutKeys);
        List<NumericExpression> trainNumeric = draw.numbers(KvSplit.TRAIN_NUMERIC_ARITHMETIC, sizes.numericTrain(),
                store.size(), heldOutNumbers);
        List<NumericExpression> compositionNumeric = draw.numbers(KvSplit.TRAIN_COMPOSITION,
                KvSplit.TRAIN_COMPOSITION.id() + "-numeric", sizes.compositionNumeric(), store.size(), heldOutNumbers);

        // D_C's validation split last, around every other split, so that none of them depends on it.
        Set<KeyExpression> seen = union(evalDc, evalOther, evalMixed, evalSubstitution, trainComposition);
        List<KeyExpression> validation = draw.keys(KvSplit.VALIDATION_COMPOSITION, sizes.compositionValidation(),
                keySplit.compositionKeys(), e -> true, seen);

        KvExampleFormat format = new KvExampleFormat(store, settings.digitOrder(), settings.numberWidth());
        Map<KvSplit, List<KvExample>> splits = new EnumMap<>(KvSplit.class);
        splits.put(KvSplit.TRAIN_KV_SUBSTITUTION, interleave(render(trainSubstitution, format::kvSubstitution),
                render(trainLookup, format::kvLookup)));
        splits.put(KvSplit.TRAIN_NUMERIC_ARITHMETIC, render(trainNumeric, format::numericArithmetic));
        splits.put(KvSplit.TRAIN_COMPOSITION, interleave(render(trainComposition, format::kvArithmetic),
                render(compositionNumeric, format::numericArithmetic)));
        if (!validation.isEmpty()) {
            splits.put(KvSplit.VALIDATION_COMPOSITION, render(validation, format::kvArithmetic));
        }
        splits.put(KvSplit.EVAL_KV_SUBSTITUTION, render(evalSubstitution, format::kvSubstitution));
        splits.put(KvSplit.EVAL_NUMERIC_ARITHMETIC, render(evalNumeric, format::numericArithmetic));
        splits.put(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS, render(evalDc, format::kvArithmetic));
        splits.put(KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS, render(evalOther, format::kvArithmetic));
        splits.put(KvSplit.EVAL_KV_ARITHMETIC_MIXED_KEYS, render(evalMixed, format::kvArithmetic));
        if (settings.scratchpad()) {
            splits.put(KvSplit.TRAIN_COMPOSITION_SCRATCHPAD, interleave(render(trainComposition,
                    format::kvArithmeticScratchpad), render(compositionNumeric, format::numericArithmetic)));
            splits.put(KvSplit.EVAL_KV_ARITHMETIC_DC_KEYS_SCRATCHPAD, render(evalDc, format::kvArithmeticScratchpad));
            splits.put(KvSplit.EVAL_KV_ARITHMETIC_OTHER_KEYS_SCRATCHPAD,
                    render(evalOther, format::kvArithmeticScratchpad));
            splits.put(KvSplit.EVAL_KV_ARITHMETIC_MIXED_KEYS_SCRATCHPAD,
                    render(evalMixed, format::kvArithmeticScratchpad));
        }
        return new KvArithmeticDatasets(settings, seed, store, keySplit, splits);
    }

    /**
     * Spreads {@code extra} evenly through {@code main}: a file's head then shows the mix it holds
     * (the training order is shuffled anyway).
     */
    private static List<KvExample> interleave(List<KvExample> main, List<KvExample> extra) {
        List<KvExample> mixed = new ArrayList<>(main.size() + extra.size());
        int placed = 0;
        for (int i = 0; i < main.size(); i++) {
            mixed.add(main.get(i));
            int due = (int) ((long) (i + 1) * extra.size() / main.size());
            while (placed < due) {
                mixed.add(extra.get(placed++));
            }
        }
        mixed.addAll(extra.subList(placed, extra.size()));
        return mixed;
    }

    /** Cuts each expression after a uniformly drawn number of its operands. */
    private static List<KeyExpression> prefixes(List<KeyExpression> expressions, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<KeyExpression> cut = new ArrayList<>(expressions.size());
        for (KeyExpression expression : expressions) {
            cut.add(expression.prefix(random.nextInt(1, expression.keys().size() + 1)));
        }
        return cut;
    }

    private static boolean mixesKeys(KeyExpression expression, Set<String> dcKeys) {
        boolean anyDc = false;
        boolean anyOther = false;
        for (String key : expression.keys()) {
            if (dcKeys.contains(key)) {
                anyDc = true;
            } else {
                anyOther = true;
            }
        }
        return anyDc && anyOther;
    }

    @SafeVarargs
    private static Set<KeyExpression> union(Collection<KeyExpression>... parts) {
        Set<KeyExpression> all = new HashSet<>();
        for (Collection<KeyExpression> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    private static <E> List<KvExample> render(List<E> expressions, Function<E, KvExample> format) {
        List<KvExample> examples = new ArrayList<>(expressions.size());
        for (E expression : expressions) {
            examples.add(format.apply(expression));
        }
        return examples;
    }

    /** Draws distinct expressions for one split at a time, each split from its own stream. */
    private record Draw(ExpressionSettings expressions, KeyValueStore store, long seed) {

        List<KeyExpression> keys(KvSplit split, int size, List<String> pool, Predicate<KeyExpression> accept,
                Set<KeyExpression> excluded) {
            return keys(split, split.id(), size, pool, accept, excluded);
        }

        /** Draws from the stream named {@code stream}, so that one split can hold several draws. */
        List<KeyExpression> keys(KvSplit split, String stream, int size, List<String> pool,
                Predicate<KeyExpression> accept, Set<KeyExpression> excluded) {
            ExpressionSampler sampler = sampler(stream);
            Predicate<KeyExpression> inRange = expressions.results() == ResultRange.ANY ? e -> true
                    : e -> expressions.results().admits(e.substitute(store).evaluate());
            return distinct(split, size, () -> sampler.sampleKeys(pool),
                    e -> accept.test(e) && !excluded.contains(e) && inRange.test(e));
        }

        List<NumericExpression> numbers(KvSplit split, int size, int maxValue, Set<NumericExpression> excluded) {
            return numbers(split, split.id(), size, maxValue, excluded);
        }

        /** Draws from the stream named {@code stream}, so that one split can hold several draws. */
        List<NumericExpression> numbers(KvSplit split, String stream, int size, int maxValue,
                Set<NumericExpression> excluded) {
            ExpressionSampler sampler = sampler(stream);
            ResultRange results = expressions.results();
            return distinct(split, size, () -> sampler.sampleNumbers(maxValue),
                    e -> !excluded.contains(e) && results.admits(e.evaluate()));
        }

        private ExpressionSampler sampler(String stream) {
            return new ExpressionSampler(expressions, SeedStreams.derive(seed, stream));
        }

        private static <E> List<E> distinct(KvSplit split, int size, Supplier<E> sample, Predicate<E> accept) {
            Set<E> drawn = new LinkedHashSet<>();
            long limit = Math.max(MIN_ATTEMPTS, (long) ATTEMPTS_PER_EXAMPLE * size);
            for (long attempt = 0; drawn.size() < size; attempt++) {
                if (attempt == limit) {
                    throw new IllegalArgumentException("could draw only " + drawn.size() + " of " + size
                            + " distinct expressions for " + split.id() + " in " + limit + " attempts;"
                            + " use more keys, a larger compositionFraction, more operands or fewer examples");
                }
                E expression = sample.get();
                if (accept.test(expression)) {
                    drawn.add(expression);
                }
            }
            return new ArrayList<>(drawn);
        }
    }
}
