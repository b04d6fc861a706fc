package calm.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The baselines, ablations and evaluation sections: defaults, overrides and errors. */
class EvaluationSectionsTest {

    @Test
    void everyBaselineAndAblationIsOnByDefault() {
        ExperimentConfig config = ConfigLoader.parse("x.yaml", "x", "").config();
        assertEquals(new BaselinesConfig(true, true, 0, List.of("attn.qkv", "attn.proj", "mlp.fc", "mlp.proj")),
                config.baselines());
        assertEquals(new AblationsConfig(true, AblationsConfig.VanillaData.OTHER_KEYS, true, true), config.ablations());
        assertEquals(new EvaluationConfig(0, 64, 1000, 12345, 0.95), config.evaluation());
    }

    @Test
    void sectionsMergeOverTheirDefaults() {
        ExperimentConfig config = ConfigLoader.parse("x.yaml", "x", """
                baselines: {lora: false, loraTargets: [attn.qkv]}
                ablations: {vanillaData: numeric_arithmetic, randomAugmenting: false}
                evaluation: {examples: 50, confidenceLevel: 0.9}
                """).config();
        assertEquals(new BaselinesConfig(true, false, 0, List.of("attn.qkv")), config.baselines());
        assertEquals(new AblationsConfig(true, AblationsConfig.VanillaData.NUMERIC_ARITHMETIC, false, true), config.ablations());
        assertEquals(new EvaluationConfig(50, 64, 1000, 12345, 0.9), config.evaluation());
    }

    @Test
    void badValuesNameTheirField() {
        assertError("baselines:\n  loraTargets: []\n", "x.yaml:2: baselines.loraTargets: loraTargets must name at least one");
        assertError("baselines:\n  loraRank: 5000\n", "x.yaml:2: baselines.loraRank: loraRank must be in [0, 4096]");
        assertError("ablations:\n  vanillaData: other\n", "x.yaml:2: ablations.vanillaData: expected one of [OTHER_KEYS, "
                + "NUMERIC_ARITHMETIC, ANCHOR]");
        assertError("evaluation:\n  batchSize: 0\n", "x.yaml:2: evaluation.batchSize: batchSize must be in [1, 65536], got 0");
        assertError("evaluation:\n  bootstrap: 5\n", "x.yaml:2: evaluation.bootstrap: unknown field 'bootstrap' in evaluation");
    }

    private static void assertError(String yaml, String start) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse("x.yaml", "x", yaml));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
