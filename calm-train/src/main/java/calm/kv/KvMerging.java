package calm.kv;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import calm.data.CharVocabulary;
import calm.io.Folders;
import calm.io.ModelFolder;
import calm.kv.data.KvExample;
import calm.kv.data.KvSplit;
import calm.merge.Merge;
import calm.merge.MergeConfig;
import calm.merge.MergeMethod;
import calm.model.DecoderLM;
import calm.train.HeldOutEvaluation;
import calm.train.Seeds;
import calm.train.TrainingConfig;
import calm.train.TrainingExample;
import calm.train.TrainingResult;
import calm.train.config.MergingConfig;
import calm.train.experiment.Job;
import calm.train.experiment.ModelRole;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The training-free combinations of a key-value experiment ({@code merging}): a shared base, two
 * fine-tuned copies of it (KV-Substitution, Numeric-Arithmetic), their merges by each method and
 * (at evaluation) their output ensemble. Folders, under OUTPUT/merging/:
 *
 * <pre>
 * base/                      the shared base (this project's layout)
 * finetuned-substitution/    the base fine-tuned on KV-Substitution (m_A's task)
 * finetuned-numeric/         the base fine-tuned on Numeric-Arithmetic (m_B's task)
 * merged-METHOD/             each merge, with merge-config.yaml and its choice in provenance.json
 * merges.json                every method's grid and validation losses (the merge job's provenance)
 * </pre>
 *
 * A method with several settings to choose from (lists in {@code merging}) takes those with the
 * lowest loss per completion token on D_C's validation split, the criterion CALM's own grid uses;
 * the evaluated splits are never read.
 */
public final class KvMerging {

    /** The shared base's job. */
    public static final String BASE_JOB = "pretrain-shared-base";
    /** The merge job: every method. */
    public static final String MERGE_JOB = "merge";
    /** The folder of every result. */
    public static final String FOLDER = "merging";
    /** The merge job's record of every grid. */
    public static final String MERGES = "merges.json";

    private static final Logger LOG = LogManager.getLogger(KvMerging.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One fine-tuned copy: the task it learns. */
    public enum Copy {
        /** Fine-tuned on KV-Substitution, m_A's task. */
        SUBSTITUTION("substitution", ModelRole.A),
        /** Fine-tuned on Numeric-Arithmetic, m_B's task. */
        NUMERIC("numeric", ModelRole.B);

        private final String key;
        private final ModelRole task;

        Copy(String key, ModelRole task) {
            this.key = key;
            this.task = task;
        }

        /** @return its job, e.g. {@code finetune-substitution} */
        public String job() {
            return "finetune-" + key;
        }

        /** @return the training split it is fine-tuned on: the one of the base model that has the skill */
        public KvSplit split() {
            return KvExperiment.trainSplit(task);
        }

        /** @return the held-out split of that task */
        KvSplit evalSplit() {
            return KvExperiment.evalSplit(task);
        }
    }

    private final KvExperiment experiment;
    private final MergingConfig config;

    KvMerging(KvExperiment experiment) {
        this.experiment = experiment;
        this.config = experiment.config().config().merging();
    }

    /** @return OUTPUT/merging */
    public static Path folder(Path output) {
        return output.resolve(FOLDER);
    }

    /** @return the shared base's folder */
    public Path baseFolder() {
        return folder(experiment.output()).resolve("base");
    }

    /** @return a fine-tuned copy's folder */
    public Path copyFolder(Copy copy) {
        return folder(experiment.output()).resolve("finetuned-" + copy.key);
    }

    /** @return a merge's folder */
    public Path mergedFolder(String method) {
        return folder(experiment.output()).resolve("merged-" + method.replace('_', '-'));
    }

    /** The shared base, both copies, and the merges. */
    List<Job> jobs() {
        List<String> data = new ArrayList<>(KvExperiment.DATA_SECTIONS);
        List<String> base = new ArrayList<>(data);
        base.addAll(List.of("/models/b/architecture", "/merging/base"));
        List<Job> jobs = new ArrayList<>();
        jobs.add(new Job(BASE_JOB, baseFolder().resolve(ModelFolder.PROVENANCE), base, List.of(),
                (resume, manager) -> pretrainBase(resume, manager)));
        List<String> copies = new ArrayList<>(base);
        copies.add("/merging/finetune");
        for (Copy copy : Copy.values()) {
            jobs.add(new Job(copy.job(), copyFolder(copy).resolve(ModelFolder.PROVENANCE), copies, List.of(BASE_JOB),
                    (resume, manager) -> finetune(copy, resume, manager)));
        }
        jobs.add(new Job(MERGE_JOB, folder(experiment.output()).resolve(MERGES), List.of("/data", "/models/b/architecture",
                "/merging"), List.of(Copy.SUBSTITUTION.job(), Copy.NUMERIC.job()), (resume, manager) -> {
                    mergeAll(manager);
                    return null;
                }));
        return jobs;
    }

    /** Pretrains the shared base on both tasks' training splits mixed, from scratch. */
    TrainingResult pretrainBase(boolean resume, NDManager manager) throws IOException {
        TrainingConfig training = config.base();
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(training.seed(), 0));
        DecoderLM model = experiment.spec(ModelRole.B).architecture().newModel();
        model.initialize(manager, DataType.FLOAT32);
        List<KvExample> mixed = new ArrayList<>();
        Map<String, List<KvExample>> held = new LinkedHashMap<>();
        for (Copy copy : Copy.values()) {
            mixed.addAll(experiment.data().get(copy.split()));
            held.put(copy.evalSplit().id(), experiment.data().get(copy.evalSplit()));
        }
        LOG.info("{}: a base of m_B's architecture ({} parameters) on {} and {} mixed, {} examples", BASE_JOB,
                String.format(Locale.ROOT, "%,d", model.parameterCount()), Copy.SUBSTITUTION.split().id(),
                Copy.NUMERIC.split().id(), mixed.size());
        Map<String, Object> provenance = experiment.provenance(BASE_JOB, training);
        TrainingResult result = experiment.train(BASE_JOB, model, mixed, held, training, provenance, resume, manager);
        ModelFolder.save(model, baseFolder(), KvExperiment.withResult(provenance, result));
        return result;
    }

    /** Fine-tunes every parameter of a copy of the shared base on one task. */
    TrainingResult finetune(Copy copy, boolean resume, NDManager manager) throws IOException {
        TrainingConfig training = config.finetune();
        Engine.getInstance().setRandomSeed(Seeds.engineSeed(training.seed(), 0));
        DecoderLM model = ModelFolder.load(baseFolder(), manager);
        Map<String, List<KvExample>> held = Map.of(copy.evalSplit().id(), experiment.data().get(copy.evalSplit()));
        LOG.info("{}: the shared base fine-tuned on {}", copy.job(), copy.split().id());
        Map<String, Object> provenance = experiment.provenance(copy.job(), training);
        TrainingResult result = experiment.train(copy.job(), model, experiment.data().get(copy.split()), held, training,
                provenance, resume, manager);
        ModelFolder.save(model, copyFolder(copy), KvExperiment.withResult(provenance, result));
        return result;
    }

    /**
     * Merges the two copies by every method, each with the settings of its grid that give the
     * lowest loss on D_C's validation split, and records every grid in {@value #MERGES}.
     */
    void mergeAll(NDManager manager) throws IOException {
        List<TrainingExample> validation = experiment.data().get(KvSplit.VALIDATION_COMPOSITION).stream()
                .map(KvExperiment::encode).toList();
        HeldOutEvaluation loss = HeldOutEvaluation.lossOnly(Map.of(KvSplit.VALIDATION_COMPOSITION.id(), validation),
                CharVocabulary.PAD, CharVocabulary.EOS, 64);
        Path candidates = folder(experiment.output()).resolve("candidates");
        // The job's provenance: the config whose sections calm run compares, then what was chosen.
        Map<String, Object> record = experiment.provenance(MERGE_JOB, config.finetune());
        record.put("criterion", validation.isEmpty() ? "none: one setting per method"
                : "loss per completion token on " + KvSplit.VALIDATION_COMPOSITION.id() + " (" + validation.size() + " examples)");
        Map<String, Object> methods = new LinkedHashMap<>();
        for (String method : config.methods()) {
            List<Map<String, Double>> grid = grid(method);
            Map<String, Double> best = grid.get(0);
            double bestLoss = Double.POSITIVE_INFINITY;
            List<Map<String, Object>> tried = new ArrayList<>();
            if (grid.size() == 1) {
                Merge.run(MergeConfig.parse(method + ".yaml", yaml(method, best)), Merge.Options.to(mergedFolder(method)).overwriting());
            } else {
                Path candidate = candidates.resolve(method);
                for (Map<String, Double> settings : grid) {
                    Merge.run(MergeConfig.parse(method + ".yaml", yaml(method, settings)), Merge.Options.to(candidate).overwriting());
                    double value;
                    try (NDManager scope = manager.newSubManager()) {
                        value = loss.evaluate(ModelFolder.load(candidate, scope), scope)
                                .get(KvSplit.VALIDATION_COMPOSITION.id() + ".loss");
                    }
                    Map<String, Object> row = new LinkedHashMap<>(settings);
                    row.put("validationLoss", value);
                    tried.add(row);
                    if (value < bestLoss) {
                        // The best so far is kept as the merge itself, rather than merged again at the end.
                        bestLoss = value;
                        best = settings;
                        Folders.deleteTree(mergedFolder(method));
                        Files.move(candidate, mergedFolder(method), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                Folders.deleteTree(candidates);
            }
            LOG.info("{}: {} with {}{}", MERGE_JOB, method, best, tried.isEmpty() ? "" : String.format(Locale.ROOT,
                    " (lowest validation loss %.4f of %d settings)", bestLoss, tried.size()));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("chosen", best);
            entry.put("grid", tried);
            methods.put(method, entry);
        }
        record.put("methods", methods);
        Files.writeString(folder(experiment.output()).resolve(MERGES), JSON.writeValueAsString(record) + "\n");
    }

    /** @return every combination of the settings a method reads (t, density, lambda), the config's first values first */
    List<Map<String, Double>> grid(String method) {
        MergeMethod merge = MergeMethod.named(method);
        List<Map<String, Double>> grid = new ArrayList<>();
        grid.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<Double>> setting : List.of(Map.entry("t", config.ts()),
                Map.entry("density", config.densities()), Map.entry("lambda", config.lambdas()))) {
            if (merge.reads(setting.getKey())) {
                grid = expand(grid, setting.getKey(), setting.getValue());
            }
        }
        return grid;
    }

    private static List<Map<String, Double>> expand(List<Map<String, Double>> grid, String name, List<Double> values) {
        List<Map<String, Double>> expanded = new ArrayList<>();
        for (Map<String, Double> settings : grid) {
            for (double value : values) {
                Map<String, Double> next = new LinkedHashMap<>(settings);
                next.put(name, value);
                expanded.add(next);
            }
        }
        return expanded;
    }

    /**
     * @return the merge config of a method with these settings, as {@code calm merge} reads it: slerp
     *     runs from the KV-Substitution copy to the Numeric-Arithmetic copy; the other methods with a
     *     base start from the shared base; each reads only the parameters it has
     */
    String yaml(String method, Map<String, Double> settings) {
        MergeMethod merge = MergeMethod.named(method);
        boolean slerp = merge == MergeMethod.SLERP;
        StringBuilder yaml = new StringBuilder("merge_method: " + method + "\n");
        if (merge.needsBase()) {
            Path base = slerp ? copyFolder(Copy.SUBSTITUTION) : baseFolder();
            yaml.append("base_model: ").append(base.toAbsolutePath()).append("\n");
        }
        yaml.append("models:\n");
        for (Copy copy : Copy.values()) {
            if (slerp && copy == Copy.SUBSTITUTION) {
                continue;
            }
            List<String> parameters = new ArrayList<>();
            if (merge.reads("weight")) {
                parameters.add("weight: " + config.weights().get(copy.ordinal()));
            }
            if (merge.reads("density")) {
                parameters.add("density: " + settings.get("density"));
            }
            if (merge.reads("gamma")) {
                parameters.add("gamma: " + config.gamma());
            }
            yaml.append("  - {model: ").append(copyFolder(copy).toAbsolutePath())
                    .append(parameters.isEmpty() ? "" : ", parameters: {" + String.join(", ", parameters) + "}").append("}\n");
        }
        List<String> global = new ArrayList<>();
        for (String name : List.of("t", "lambda")) {
            if (merge.reads(name)) {
                global.add(name + ": " + settings.get(name));
            }
        }
        if (!global.isEmpty()) {
            yaml.append("parameters: {").append(String.join(", ", global)).append("}\n");
        }
        return yaml.append("random_seed: ").append(config.seed()).append("\n").toString();
    }
}
