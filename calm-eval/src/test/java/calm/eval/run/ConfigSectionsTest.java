package calm.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import calm.train.config.ConfigLoader;
import calm.train.config.ExperimentConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigSectionsTest {

    private static final List<String> COMPOSE = List.of("/data", "/models", "/composition", "/training");

    /** The shipped config without the fields added since the records below: lookups, normalisation, bias. */
    private static ExperimentConfig shipped(String find, String replace) throws IOException {
        String yaml = Files.readString(Path.of("..", "configs", "kv-arithmetic.yaml"))
                .replace("  normalize: true\n  positionBias: ALIBI\n", "");
        if (!yaml.contains(find)) {
            throw new IllegalStateException("the shipped config has no '" + find + "'");
        }
        return ConfigLoader.parse("kv-arithmetic.yaml", "kv-arithmetic", yaml.replace(find, replace)).config();
    }

    /** The record a provenance file written before lookupTrain, normalize and positionBias existed holds. */
    private static JsonNode recordedBeforeTheNewFields(ExperimentConfig config) {
        ObjectNode recorded = (ObjectNode) ConfigSections.tree(config);
        ((ObjectNode) recorded.at("/data/sizes")).remove("lookupTrain");
        ((ObjectNode) recorded.at("/composition")).remove(List.of("normalize", "positionBias"));
        return recorded;
    }

    @Test
    void aRecordWithoutFieldsAddedSinceHashesAsTheirDefaults() throws IOException {
        ExperimentConfig current = shipped("", "");
        JsonNode old = recordedBeforeTheNewFields(current);
        assertNotEquals(ConfigSections.hash(old, COMPOSE), ConfigSections.hash(ConfigSections.tree(current), COMPOSE),
                "the raw old record lacks the new fields");
        assertEquals(ConfigSections.hash(ConfigSections.tree(current), COMPOSE),
                ConfigSections.hash(ConfigSections.of("kv-arithmetic").withNewFields(old), COMPOSE));
    }

    @Test
    void aNewFieldSetAwayFromItsDefaultStillMakesTheOldRecordStale() throws IOException {
        JsonNode old = ConfigSections.of("kv-arithmetic").withNewFields(recordedBeforeTheNewFields(shipped("", "")));
        ExperimentConfig withLookups = shipped("evalPerSplit: 500,", "evalPerSplit: 500, lookupTrain: 100,");
        assertEquals(100, ((calm.kv.KvDataConfig) withLookups.data()).sizes().lookupTrain());
        assertNotEquals(ConfigSections.hash(old, COMPOSE), ConfigSections.hash(ConfigSections.tree(withLookups), COMPOSE));
        ExperimentConfig withAlibi = shipped("mode: lockstep", "mode: lockstep\n  positionBias: ALIBI");
        assertNotEquals(ConfigSections.hash(old, COMPOSE), ConfigSections.hash(ConfigSections.tree(withAlibi), COMPOSE));
    }

    @Test
    void aFieldLeftOutOfASectionChangesNothingAndTheRestOfTheSectionStillCounts() throws IOException {
        List<String> pretraining = List.of("/data", "-/data/sizes/compositionValidation", "/models/a");
        JsonNode shipped = ConfigSections.tree(shipped("", ""));
        JsonNode validated = ConfigSections.tree(shipped("evalPerSplit: 500,", "evalPerSplit: 500, compositionValidation: 300,"));
        assertEquals(300, validated.at("/data/sizes/compositionValidation").asInt());
        assertEquals(ConfigSections.hash(shipped, pretraining), ConfigSections.hash(validated, pretraining),
                "a base model does not read D_C's validation split");
        assertNotEquals(ConfigSections.hash(shipped, COMPOSE), ConfigSections.hash(validated, COMPOSE),
                "a system trained on D_C does");
        assertEquals(300, validated.at("/data/sizes/compositionValidation").asInt(), "the config itself is left as it was");
        JsonNode moreKeys = ConfigSections.tree(shipped("numKeys: 300", "numKeys: 400"));
        assertNotEquals(ConfigSections.hash(shipped, pretraining), ConfigSections.hash(moreKeys, pretraining));
    }
}
