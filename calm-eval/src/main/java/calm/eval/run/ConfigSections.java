package calm.eval.run;

import calm.train.Provenance;
import calm.train.config.ExperimentConfig;
import calm.train.experiment.ExperimentKinds;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The SHA-256 of some sections of an experiment's config, with every default filled in: what a
 * job's result depends on. A saved model's {@code provenance.json} records the full config it was
 * trained with, so the same hash taken of that record tells whether the model is the one the
 * current config would train.
 *
 * <p>A record written before a config field existed lacks that field; {@link #withNewFields} gives
 * it the field's default. So a new field must default to what the code did before it existed (as
 * {@code data.sizes.lookupTrain: 0} and {@code composition.normalize: false} do), and adding one
 * never makes saved results stale.
 */
final class ConfigSections {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode defaults;

    private ConfigSections(ObjectNode defaults) {
        this.defaults = defaults;
    }

    /**
     * @param experiment the name of a kind of experiment
     * @return the sections of that kind's configs, whose defaults fill the fields a record lacks
     */
    static ConfigSections of(String experiment) {
        return new ConfigSections((ObjectNode) tree(ExperimentKinds.of(experiment).defaults("defaults")));
    }

    /**
     * @param recorded a config as a provenance file records it
     * @return the record with every field it lacks set to its default, sections merged field by field
     *     (a record written before configs named their kind gets this kind's name)
     */
    JsonNode withNewFields(JsonNode recorded) {
        return recorded instanceof ObjectNode fields ? lay(defaults, fields) : recorded;
    }

    private static ObjectNode lay(ObjectNode defaults, ObjectNode recorded) {
        ObjectNode merged = defaults.deepCopy();
        recorded.fields().forEachRemaining(field -> {
            if (merged.get(field.getKey()) instanceof ObjectNode section && field.getValue() instanceof ObjectNode nested) {
                merged.set(field.getKey(), lay(section, nested));
            } else {
                merged.set(field.getKey(), field.getValue());
            }
        });
        return merged;
    }

    /** @return the config as its provenance records it */
    static JsonNode tree(ExperimentConfig config) {
        try {
            // Through text, so that numbers get the node types a provenance file reads back as.
            return JSON.readTree(JSON.writeValueAsString(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a config always serialises", e);
        }
    }

    /**
     * @param config a config tree
     * @param sections JSON pointers, e.g. {@code /data} and {@code /models/a}; one after a '-'
     *     names a field left out of the others, e.g. {@code -/data/sizes/compositionValidation}
     * @return the SHA-256 of the sections, keys sorted, each under its pointer
     */
    static String hash(JsonNode config, List<String> sections) {
        JsonNode kept = config;
        for (String section : sections) {
            if (section.startsWith("-")) {
                kept = kept == config ? config.deepCopy() : kept;
                remove(kept, section.substring(1));
            }
        }
        StringBuilder text = new StringBuilder();
        for (String section : sections) {
            if (section.startsWith("-")) {
                continue;
            }
            text.append(section).append('=');
            canonical(kept.at(section), text);
            text.append('\n');
        }
        return Provenance.sha256(text.toString());
    }

    /** Removes the field a JSON pointer names, when it is there. */
    private static void remove(JsonNode config, String pointer) {
        int last = pointer.lastIndexOf('/');
        if (config.at(pointer.substring(0, last)) instanceof ObjectNode parent) {
            parent.remove(pointer.substring(last + 1));
        }
    }

    private static void canonical(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                out.append(i == 0 ? "" : ",").append(JSON.valueToTree(names.get(i)).toString()).append(':');
                canonical(node.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            Iterator<JsonNode> elements = node.elements();
            for (int i = 0; elements.hasNext(); i++) {
                out.append(i == 0 ? "" : ",");
                canonical(elements.next(), out);
            }
            out.append(']');
        } else {
            out.append(node.isMissingNode() ? "missing" : node.toString());
        }
    }
}
