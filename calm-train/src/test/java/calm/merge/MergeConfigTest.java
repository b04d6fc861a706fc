package calm.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import calm.train.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The merge config's schema: what it reads, and an error for each way it can be wrong. */
class MergeConfigTest {

    @Test
    void readsMergekitsSchema() {
        MergeConfig config = MergeConfig.parse("m.yaml", """
                merge_method: dare_ties
                base_model: base
                models:
                  - model: a
                    parameters:
                      weight: [0, 0.5, 1]
                      density: [{filter: mlp, value: 0.3}, {value: 0.7}]
                  - b
                parameters:
                  normalize: true
                  weight: 0.25
                dtype: bfloat16
                random_seed: 9
                """);
        assertEquals(MergeMethod.DARE_TIES, config.method());
        assertEquals("base", config.baseModel());
        assertEquals("bfloat16", config.dtype());
        assertEquals(9, config.randomSeed());
        assertTrue(config.modelsForm());
        List<MergeConfig.SliceSource> sources = config.slices().get(0).sources();
        assertEquals(List.of("a", "b"), sources.stream().map(MergeConfig.SliceSource::model).toList());
        Setting weight = sources.get(0).parameters().get("weight");
        assertEquals(0.0, weight.evaluate("x", 0));
        assertEquals(0.25, weight.evaluate("x", 0.25), "a gradient interpolates: a quarter of the way from 0 to 1 is between 0 and 0.5");
        assertEquals(1.0, weight.evaluate("x", 1));
        Setting density = sources.get(0).parameters().get("density");
        assertEquals(0.3, density.evaluate("model.layers.0.mlp.up_proj.weight", 0));
        assertEquals(0.7, density.evaluate("model.layers.0.self_attn.q_proj.weight", 0));
        assertEquals(true, config.parameters().get("normalize").evaluate("x", 0));
    }

    @Test
    void aFilterListThatMatchesNothingGivesNoValue() {
        Setting filtered = new Setting.Filtered(List.of(new Setting.Conditional("attn", new Setting.Gradient(new double[] {0, 1}))));
        assertEquals(0.5, filtered.evaluate("layers.1.attn.qkv.weight", 0.5));
        assertNull(filtered.evaluate("layers.1.mlp.fc.weight", 0.5), "null lets the next level of the config answer");
    }

    @Test
    void errorsNameTheFileTheLineTheFieldAndWhatIsSupported() {
        assertError("merge_method: magic\nmodels: [a]\n", "m.yaml:1: merge_method: \"magic\" is not supported; supported: linear, slerp");
        assertError("models: [a]\n", "merge_method is missing; supported: linear");
        assertError("merge_method: linear\nmodels: [a]\nmerge_methd: x\n", "m.yaml:3: merge_methd is not a field of a merge config here; "
                + "supported: merge_method, base_model, models, slices");
        assertError("""
                merge_method: ties
                base_model: b
                models:
                  - model: a
                    parameters: {weight: 1, densty: 0.5}
                """, "m.yaml:5: densty is not a per-model parameter of ties; supported: weight, density");
        assertError("""
                merge_method: ties
                base_model: b
                models:
                  - model: a
                    parameters:
                      weight: 1
                      density: 1.5
                """, "m.yaml:7: density must be in (0, 1], got 1.5");
        assertError("""
                merge_method: ties
                base_model: b
                models:
                  - model: a
                    parameters: {weight: 1, normalize: false}
                """, "normalize is not a per-model parameter of ties (it is one value for the whole merge");
        assertError("merge_method: slerp\nbase_model: a\nmodels: [a, b]\nparameters: {t: [0, true]}\n",
                "m.yaml:4: t[1]: a gradient holds numbers, got true");
        assertError("merge_method: linear\nmodels: [a]\nslices: []\n", "write either models");
        assertError("merge_method: linear\n", "found neither");
        assertError("merge_method: linear\nmodels: [a]\nout_dtype: float64\n", "m.yaml:3: out_dtype: \"float64\" is not supported; supported: "
                + "float32, float16, bfloat16");
        assertError("merge_method: linear\nmodels: [a]\ntokenizer_source: union\n", "tokenizer_source: \"union\" is not supported");
        assertError("merge_method: passthrough\nslices:\n  - sources:\n      - {model: a, layer_range: [4, 2]}\n",
                "m.yaml:4: slices[0].sources[0].layer_range must be [FIRST, END] with 0 <= FIRST < END");
        assertError("", "the config is empty");
        assertError("# nothing but a comment\n", "the config is empty");
        assertError("merge_method: [linear\n", "m.yaml:1: not valid YAML: while parsing a flow sequence");
        assertError("merge_method: linear\nmodels: [a]\nrandom_seed: 1.5\n", "m.yaml:3: random_seed must be an integer");
    }

    private static void assertError(String yaml, String expected) {
        ConfigException error = assertThrows(ConfigException.class, () -> MergeConfig.parse("m.yaml", yaml));
        assertTrue(error.getMessage().contains(expected), "expected \"" + expected + "\" in: " + error.getMessage());
    }
}
