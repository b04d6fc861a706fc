package calm.kv;

import calm.train.config.CompositionConfig;
import calm.train.config.ExperimentConfig;
import calm.train.experiment.Experiment;
import java.util.ArrayList;
import java.util.List;

/**
 * One trained composition of the report's CALM rows: CALM as the config composes it, or the paper's
 * reading beside it ({@code variants.layerOutputs}, wired by {@code variants.layerOutputsWiring}),
 * each with {@code training.seed} and with every seed of {@code variants.seeds}.
 *
 * @param job the job that trains it: {@code compose}, {@code compose-layers}, {@code compose-seed4},
 *     {@code compose-layers-seed4}; its folder is the job's with "composition" for "compose"
 * @param layerOutputs whether it is the paper's reading beside one that reads m_A's predictions
 * @param composition the composition settings it trains with
 * @param seed the seed it trains with, in place of {@code training.seed}
 * @param primary whether its seed is {@code training.seed}: the row the report's tables and paired
 *     comparisons show, the other seeds adding to its mean
 */
public record CalmRow(String job, boolean layerOutputs, CompositionConfig composition, long seed, boolean primary) {

    /** The job of the paper's reading, with {@code training.seed}. */
    public static final String LAYER_OUTPUTS_JOB = Experiment.COMPOSE_JOB + "-layers";

    /** @return every CALM row the config asks for: each reading, then each seed; CALM itself first */
    public static List<CalmRow> of(ExperimentConfig config) {
        List<Long> seeds = new ArrayList<>();
        seeds.add(config.training().seed());
        seeds.addAll(config.variants().seeds());
        List<CalmRow> rows = new ArrayList<>();
        for (boolean layers : config.variants().layerOutputs() ? List.of(false, true) : List.of(false)) {
            CompositionConfig composition = layers
                    ? config.composition().readingLayerOutputs(config.variants().layerOutputsWiring())
                    : config.composition();
            for (long seed : seeds) {
                boolean primary = seed == config.training().seed();
                String job = (layers ? LAYER_OUTPUTS_JOB : Experiment.COMPOSE_JOB) + (primary ? "" : "-seed" + seed);
                rows.add(new CalmRow(job, layers, composition, seed, primary));
            }
        }
        return rows;
    }
}
