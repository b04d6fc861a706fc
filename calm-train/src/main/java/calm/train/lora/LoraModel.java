package calm.train.lora;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import calm.io.ParameterNames;
import calm.model.DecoderLM;
import calm.model.nn.Dense;
import calm.model.nn.FixedShapeBlock;
import calm.train.WrappedDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A frozen decoder with LoRA adapters on some of its projections. The adapters reach the
 * projections through {@link Dense#setAdapter}, found by their dotted block names (as in the weight
 * files, e.g. {@code layers.0.attn.qkv}); the decoder itself is unchanged and knows nothing of them.
 * Only the adapters train: {@code A} and {@code B} of each, named {@code <projection>.a|b}.
 *
 * <p>Attaching changes the decoder it is given (its projections call the adapters from then on);
 * {@link #detach()} restores it.
 */
public final class LoraModel extends FixedShapeBlock implements WrappedDecoder {

    private final DecoderLM base;
    private final int rank;
    private final List<String> targets;
    private final Map<String, Dense> adapted;

    private LoraModel(DecoderLM base, int rank, List<String> targets, Map<String, Dense> adapted) {
        this.base = base;
        this.rank = rank;
        this.targets = List.copyOf(targets);
        this.adapted = adapted;
        adapted.forEach((name, dense) -> addChildBlock(name, new LoraAdapter(dense.inputSize(), dense.outputSize(), rank)));
    }

    /**
     * Freezes a decoder and attaches adapters of one rank to the projections the targets name,
     * initialised from the engine's random seed.
     *
     * @param targets suffixes of dotted block names; each must match at least one projection
     * @throws IllegalArgumentException when a target matches no projection (naming the ones there
     *     are) or the rank is not positive
     */
    public static LoraModel attach(DecoderLM base, int rank, List<String> targets, NDManager manager) {
        if (rank < 1) {
            throw new IllegalArgumentException("the LoRA rank must be positive, got " + rank);
        }
        Map<String, Dense> chosen = targeted(base, targets);
        LoraModel model = new LoraModel(base, rank, targets, chosen);
        model.initialize(manager, DataType.FLOAT32);
        base.freeze();
        for (Pair<String, Block> child : model.getChildren()) {
            String name = child.getKey().replaceFirst("^\\d+", "");
            chosen.get(name).setAdapter((LoraAdapter) child.getValue());
        }
        return model;
    }

    /**
     * The projections of a decoder that targets name, by dotted name in model order.
     *
     * @throws IllegalArgumentException when a target matches none
     */
    public static Map<String, Dense> targeted(DecoderLM base, List<String> targets) {
        Map<String, Dense> all = new LinkedHashMap<>();
        collect(base, "", all);
        Map<String, Dense> chosen = new LinkedHashMap<>();
        for (String target : targets) {
            int before = chosen.size();
            all.forEach((name, dense) -> {
                if (name.equals(target) || name.endsWith("." + target)) {
                    chosen.put(name, dense);
                }
            });
            if (chosen.size() == before) {
                throw new IllegalArgumentException("the LoRA target '" + target + "' matches no projection of the model; "
                        + "its projections are " + suffixes(all.keySet()));
            }
        }
        Map<String, Dense> ordered = new LinkedHashMap<>();
        all.forEach((name, dense) -> {
            if (chosen.containsKey(name)) {
                ordered.put(name, dense);
            }
        });
        return ordered;
    }

    /**
     * The trainable parameter count of LoRA of rank 1 on these projections: sum of (in + out). A
     * rank-r adapter set has r times as many.
     */
    public static long parametersPerRank(Map<String, Dense> projections) {
        return projections.values().stream().mapToLong(d -> (long) d.inputSize() + d.outputSize()).sum();
    }

    /**
     * The rank whose parameter count, {@code rank x perRank}, is closest to a target count (at
     * least 1); ties go to the smaller rank.
     */
    public static int matchingRank(long perRank, long targetCount) {
        long below = Math.max(1, targetCount / perRank);
        long above = below + 1;
        long rank = Math.abs(above * perRank - targetCount) < Math.abs(below * perRank - targetCount) ? above : below;
        return (int) Math.min(rank, Integer.MAX_VALUE);
    }

    /** @return the decoder the adapters sit on */
    @Override
    public DecoderLM base() {
        return base;
    }

    /** @return the adapters' rank */
    public int rank() {
        return rank;
    }

    /** @return the targets the adapted projections were chosen by */
    public List<String> targets() {
        return targets;
    }

    /** @return the adapted projections' dotted names, in model order */
    public List<String> adaptedProjections() {
        return List.copyOf(adapted.keySet());
    }

    /** @return the number of trainable scalars, as instantiated */
    public long trainableParameterCount() {
        return getParameters().values().stream().mapToLong(p -> p.getShape().size()).sum();
    }

    /** @return the count written as the formula it follows */
    public String trainableParameterFormula() {
        long perRank = parametersPerRank(adapted);
        return "rank " + rank + " x sum of (in + out) over " + adapted.size() + " projections (" + String.join(", ", targets)
                + ") = " + rank + " x " + perRank + " = " + trainableParameterCount();
    }

    /** Removes the adapters from the decoder, which then computes what it did before attaching. */
    public void detach() {
        adapted.values().forEach(dense -> dense.setAdapter(null));
    }

    @Override
    public List<Parameter> trainableParameters() {
        return getParameters().values().stream().filter(Parameter::requiresGradient).toList();
    }

    /** @return the adapters' parameters by their dotted names ({@link ParameterNames}) */
    @Override
    public Map<String, Parameter> namedParameters() {
        return ParameterNames.of(this);
    }

    private static void collect(Block block, String prefix, Map<String, Dense> into) {
        for (Pair<String, Block> child : block.getChildren()) {
            String name = prefix + child.getKey().replaceFirst("^\\d+", "");
            if (child.getValue() instanceof Dense dense) {
                into.put(name, dense);
            } else {
                collect(child.getValue(), name + ".", into);
            }
        }
    }

    private static List<String> suffixes(Iterable<String> names) {
        List<String> distinct = new ArrayList<>();
        for (String name : names) {
            String suffix = name.replaceFirst("^layers\\.\\d+\\.", "");
            if (!distinct.contains(suffix)) {
                distinct.add(suffix);
            }
        }
        return distinct;
    }
}
