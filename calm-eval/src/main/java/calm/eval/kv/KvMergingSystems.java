package calm.eval.kv;

import ai.djl.ndarray.NDManager;
import calm.ensemble.OutputEnsemble;
import calm.eval.report.Summary;
import calm.eval.run.EvalSystem;
import calm.eval.run.SavedSystems;
import calm.io.ModelFolder;
import calm.kv.KvExperiment;
import calm.kv.KvMerging;
import calm.merge.MergeMethod;
import calm.model.DecoderLM;
import calm.train.config.MergingConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The training-free combinations of a key-value experiment ({@code merging}), loaded for
 * evaluation: the shared base, its two fine-tuned copies, each merge of them, and their output
 * ensemble. The report's third table puts them beside CALM, m_A and m_B.
 */
public final class KvMergingSystems {

    /** The shared base. */
    public static final String BASE = "Shared base";
    /** The copy fine-tuned on KV-Substitution. */
    public static final String SUBSTITUTION = "Base + KV-Substitution";
    /** The copy fine-tuned on Numeric-Arithmetic. */
    public static final String NUMERIC = "Base + Numeric-Arithmetic";
    /** The output ensemble of the two copies. */
    public static final String ENSEMBLE = "Ensemble of both copies";
    private static final String MERGE_PREFIX = "Merge: ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KvMergingSystems() {}

    /** @return the report name of a merge, e.g. {@code Merge: ties} */
    public static String merge(String method) {
        return MERGE_PREFIX + method;
    }

    /** @return whether a system is one of these */
    public static boolean isOne(String name) {
        return name.equals(BASE) || name.equals(SUBSTITUTION) || name.equals(NUMERIC) || name.equals(ENSEMBLE)
                || name.startsWith(MERGE_PREFIX);
    }

    /**
     * Loads every system the merging jobs saved.
     *
     * @param warn told of each one not trained yet
     */
    static List<EvalSystem> load(KvExperiment experiment, NDManager manager, Consumer<String> warn) throws IOException {
        MergingConfig config = experiment.config().config().merging();
        List<EvalSystem> systems = new ArrayList<>();
        if (!config.enabled()) {
            return systems;
        }
        KvMerging merging = experiment.merging();
        String pretraining = "shared base of the merges: m_B's architecture, pretrained on KV-Substitution and Numeric-Arithmetic mixed";
        trained(experiment, merging.baseFolder(), "merging-base", BASE, pretraining, KvMerging.BASE_JOB, manager, warn)
                .ifPresent(systems::add);
        List<DecoderLM> copies = new ArrayList<>();
        for (KvMerging.Copy copy : KvMerging.Copy.values()) {
            String name = copy == KvMerging.Copy.SUBSTITUTION ? SUBSTITUTION : NUMERIC;
            trained(experiment, merging.copyFolder(copy), "merging-" + copy.name().toLowerCase(Locale.ROOT), name,
                    "the shared base, every parameter fine-tuned on " + copy.split().id(), copy.job(), manager, warn)
                    .ifPresent(system -> {
                        systems.add(system);
                        copies.add((DecoderLM) system.model());
                    });
        }
        for (String method : config.methods()) {
            Path folder = merging.mergedFolder(method);
            if (SavedSystems.present(folder.resolve(ModelFolder.PROVENANCE), merge(method), warn)) {
                DecoderLM model = ModelFolder.load(folder, manager);
                systems.add(new EvalSystem("merge-" + method.replace('_', '-'), merge(method),
                        "weight merge (" + method + ") of the two fine-tuned copies, no training", model, model.parameterCount(), 0,
                        "", List.of()));
            }
        }
        if (copies.size() == 2) {
            OutputEnsemble ensemble = new OutputEnsemble(copies, config.weights());
            long parameters = copies.stream().mapToLong(DecoderLM::parameterCount).sum();
            systems.add(new EvalSystem("ensemble", ENSEMBLE, "output ensemble of the two fine-tuned copies (next-token "
                    + "distributions averaged, weights " + config.weights() + "), no training", ensemble, parameters, 0, "", List.of()));
        }
        return systems;
    }

    /**
     * @return each merge's settings, how they were chosen and the loss of every setting tried; null
     *     without merges
     */
    static Summary settings(KvExperiment experiment) throws IOException {
        MergingConfig config = experiment.config().config().merging();
        Path file = KvMerging.folder(experiment.output()).resolve(KvMerging.MERGES);
        if (!config.enabled() || !Files.isRegularFile(file)) {
            return null;
        }
        JsonNode merges = JSON.readTree(file.toFile());
        List<List<String>> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> methods = merges.path("methods").fields(); methods.hasNext(); ) {
            Map.Entry<String, JsonNode> method = methods.next();
            MergeMethod merge = MergeMethod.named(method.getKey());
            List<String> chosen = new ArrayList<>();
            if (merge.reads("weight")) {
                chosen.add("weights " + config.weights());
            }
            method.getValue().path("chosen").fields().forEachRemaining(e -> chosen.add(e.getKey() + " " + e.getValue().asText()));
            if (merge.reads("gamma")) {
                chosen.add("gamma " + config.gamma());
            }
            StringBuilder grid = new StringBuilder();
            for (JsonNode tried : method.getValue().path("grid")) {
                List<String> settings = new ArrayList<>();
                tried.fields().forEachRemaining(e -> {
                    if (!e.getKey().equals("validationLoss")) {
                        settings.add(e.getKey() + " " + e.getValue().asText());
                    }
                });
                grid.append(grid.length() == 0 ? "" : "; ").append(String.join(", ", settings))
                        .append(String.format(Locale.ROOT, ": %.4f", tried.path("validationLoss").asDouble()));
            }
            rows.add(List.of(merge(method.getKey()), chosen.isEmpty() ? "none" : String.join(", ", chosen),
                    grid.length() == 0 ? "one setting: nothing to choose" : grid.toString()));
        }
        return new Summary("merging", "How each merge's settings were chosen", List.of("System", "Settings",
                "Validation loss of each setting tried"), rows, "A method with several settings in merging (densities, lambdas, "
                + "ts) takes those with the lowest " + merges.path("criterion").asText() + ", D_C's validation split; the evaluated "
                + "splits are never read. linear averages the two fine-tuned copies; slerp runs from the KV-Substitution copy "
                + "(t = 0) to the Numeric-Arithmetic copy (t = 1); the others add the copies' task vectors (copy minus shared "
                + "base) to the shared base.");
    }

    private static Optional<EvalSystem> trained(KvExperiment experiment, Path folder, String id, String name, String role,
            String job, NDManager manager, Consumer<String> warn) throws IOException {
        if (!SavedSystems.present(folder.resolve(ModelFolder.PROVENANCE), name, warn)) {
            return Optional.empty();
        }
        DecoderLM model = ModelFolder.load(folder, manager);
        return Optional.of(new EvalSystem(id, name, role, model, model.parameterCount(), model.parameterCount(), "",
                SavedSystems.metrics(experiment, job)));
    }
}
