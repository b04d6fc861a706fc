package calm.eval.run;

import ai.djl.ndarray.NDManager;
import calm.eval.report.Results;
import calm.io.Folders;
import calm.io.ModelFolder;
import calm.train.TrainingLoop;
import calm.train.TrainingResult;
import calm.train.checkpoint.Checkpoint;
import calm.train.config.ExperimentConfig;
import calm.train.config.ModelSpec;
import calm.train.experiment.Ablation;
import calm.train.experiment.KvBaselines;
import calm.train.experiment.KvExperiment;
import calm.train.experiment.ModelRole;
import calm.train.io.CompositionFolder;
import calm.train.lora.LoraFolder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A whole key-value arithmetic experiment from one config: the data, m_A and m_B, the composition,
 * the baselines and ablations the config enables, then the evaluation and the report
 * ({@link KvEvaluation}).
 *
 * <p>A job whose saved result was trained from the same config sections (its provenance records
 * the full config; {@link ConfigSections} hashes the sections the job depends on) and whose inputs
 * were not retrained in this run is reused. Otherwise it trains: from its newest checkpoint when
 * that checkpoint was written for the same sections (a run that was killed), else from scratch,
 * after its old job folder is removed.
 */
public final class ExperimentRun {

    private static final Logger LOG = LogManager.getLogger(ExperimentRun.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMPOSITION_SECTIONS = List.of("/data", "/models", "/composition", "/training");

    private final KvExperiment experiment;
    private final KvBaselines baselines;
    private final boolean retrain;
    private final PrintWriter out;
    private final JsonNode current;

    /** What one job does. */
    @FunctionalInterface
    private interface Step {
        void run(boolean resume, NDManager manager) throws IOException;
    }

    /**
     * One job of the experiment.
     *
     * @param name the job's name, as its provenance and job folder name it
     * @param saved the provenance file of its saved result
     * @param sections the config sections its result depends on
     * @param needs the jobs whose results it reads
     * @param step what it does
     * @param alsoSaved files its saved result must hold besides the provenance file, else it is not
     *     reused (a model's multi-token heads, which saves before they were kept lack)
     */
    private record Job(String name, Path saved, List<String> sections, List<String> needs, Step step, List<Path> alsoSaved) {

        Job(String name, Path saved, List<String> sections, List<String> needs, Step step) {
            this(name, saved, sections, needs, step, List.of());
        }
    }

    /**
     * @param experiment the experiment
     * @param retrain train every job even when a saved result could be reused
     * @param out where each job's outcome is printed
     */
    public ExperimentRun(KvExperiment experiment, boolean retrain, PrintWriter out) {
        this.experiment = experiment;
        this.baselines = new KvBaselines(experiment);
        this.retrain = retrain;
        this.out = out;
        this.current = ConfigSections.tree(experiment.config().config());
    }

    /** Runs every job, evaluates and writes the report; returns the results. */
    public Results run(NDManager manager) throws IOException {
        Map<String, Double> phases = new LinkedHashMap<>();
        long start = System.nanoTime();
        experiment.data();
        experiment.checkContexts();
        phases.put("data", (System.nanoTime() - start) / 1e9);
        Set<String> trained = new HashSet<>();
        for (Job job : jobs()) {
            boolean inputsChanged = job.needs().stream().anyMatch(trained::contains);
            boolean complete = job.alsoSaved().stream().allMatch(Files::isRegularFile);
            if (!retrain && !inputsChanged && complete && matches(job.saved(), job)) {
                print("%-20s reused %s", job.name(), job.saved().getParent());
                continue;
            }
            boolean resume = !retrain && !inputsChanged && resumable(job);
            if (!resume) {
                Folders.deleteTree(experiment.jobFolder(job.name()));
            }
            long jobStart = System.nanoTime();
            try (NDManager scope = manager.newSubManager()) {
                job.step().run(resume, scope);
            }
            double seconds = (System.nanoTime() - jobStart) / 1e9;
            phases.put(job.name(), seconds);
            trained.add(job.name());
            String done = job.name().equals(KvBaselines.RANDOM_INIT_JOB) ? "initialised"
                    : resume ? "resumed and finished" : "trained";
            print("%-20s %s in %.1f s -> %s", job.name(), done, seconds, job.saved().getParent());
        }
        return new KvEvaluation(experiment).run(phases, manager);
    }

    /**
     * Finds the saved results that the current config would not reuse: each job whose result is
     * saved but was trained from other config sections than the current ones (or under another
     * job's name). {@code calm eval} refuses to score such results as the config's.
     *
     * @return one line per such result: the job, its folder and the sections that differ
     */
    public List<String> staleResults() throws IOException {
        List<String> stale = new ArrayList<>();
        for (Job job : jobs()) {
            if (!Files.isRegularFile(job.saved())) {
                continue;
            }
            JsonNode saved = JSON.readTree(job.saved().toFile());
            JsonNode recorded = ConfigSections.withNewFields(saved.path("config"));
            if (matches(saved, recorded, job)) {
                continue;
            }
            List<String> differing = new ArrayList<>();
            for (String section : job.sections()) {
                if (!ConfigSections.hash(recorded, List.of(section))
                        .equals(ConfigSections.hash(current, List.of(section)))) {
                    differing.add(section.substring(1).replace('/', '.'));
                }
            }
            String why = differing.isEmpty() ? "it was saved by job '" + saved.path("job").asText() + "'"
                    : "it was trained with other " + String.join(", ", differing);
            stale.add(job.name() + " (" + job.saved().getParent() + "): " + why);
        }
        return stale;
    }

    /** The jobs the config asks for, in an order that trains every input before its user. */
    private List<Job> jobs() {
        ExperimentConfig config = experiment.config().config();
        List<Job> jobs = new ArrayList<>();
        for (ModelRole role : ModelRole.values()) {
            jobs.add(new Job(KvExperiment.pretrainJob(role), experiment.modelFolder(role).resolve(ModelFolder.PROVENANCE),
                    List.of("/data", "/models/" + role.key()), List.of(),
                    (resume, manager) -> report(experiment.pretrain(role, resume, manager)),
                    heads(experiment.modelFolder(role), (role == ModelRole.A ? config.models().a() : config.models().b()))));
        }
        List<String> bases = List.of(KvExperiment.pretrainJob(ModelRole.A), KvExperiment.pretrainJob(ModelRole.B));
        String anchor = KvExperiment.pretrainJob(ModelRole.B);
        jobs.add(new Job(KvExperiment.COMPOSE_JOB, experiment.compositionFolder().resolve(CompositionFolder.PROVENANCE),
                COMPOSITION_SECTIONS, bases, (resume, manager) -> report(experiment.compose(resume, manager))));
        if (config.data().scratchpad()) {
            jobs.add(new Job(KvExperiment.COMPOSE_SCRATCHPAD_JOB,
                    experiment.scratchpadCompositionFolder().resolve(CompositionFolder.PROVENANCE), COMPOSITION_SECTIONS, bases,
                    (resume, manager) -> report(experiment.composeScratchpad(resume, manager))));
        }
        if (config.baselines().finetune()) {
            jobs.add(new Job(KvExperiment.FINETUNE_JOB, experiment.finetunedFolder().resolve(ModelFolder.PROVENANCE),
                    List.of("/data", "/models/b", "/training"), List.of(anchor),
                    (resume, manager) -> report(experiment.finetune(resume, manager))));
        }
        if (config.baselines().lora()) {
            List<String> sections = new ArrayList<>(COMPOSITION_SECTIONS);
            sections.addAll(List.of("/baselines/loraRank", "/baselines/loraTargets"));
            jobs.add(new Job(KvBaselines.LORA_JOB, baselines.loraFolder().resolve(LoraFolder.PROVENANCE), sections,
                    List.of(anchor), (resume, manager) -> report(baselines.lora(resume, manager))));
        }
        for (Ablation ablation : KvSystems.enabled(config)) {
            List<String> sections = new ArrayList<>(COMPOSITION_SECTIONS);
            String augmenting = switch (ablation) {
                case VANILLA_AUGMENTING -> {
                    sections.add("/ablations/vanillaData");
                    if (baselines.anchorIsVanilla()) {
                        yield anchor;
                    }
                    jobs.add(new Job(KvBaselines.VANILLA_PRETRAIN_JOB, provenance(baselines.augmentingFolder(ablation)),
                            List.of("/data", "/models/a", "/ablations/vanillaData"), List.of(),
                            (resume, manager) -> report(baselines.pretrainVanillaAugmenting(resume, manager)),
                            heads(baselines.augmentingFolder(ablation), config.models().a())));
                    yield KvBaselines.VANILLA_PRETRAIN_JOB;
                }
                case RANDOM_AUGMENTING -> {
                    jobs.add(new Job(KvBaselines.RANDOM_INIT_JOB, provenance(baselines.augmentingFolder(ablation)),
                            List.of("/models/a"), List.of(), (resume, manager) -> baselines.saveRandomAugmenting(manager),
                            heads(baselines.augmentingFolder(ablation), config.models().a())));
                    yield KvBaselines.RANDOM_INIT_JOB;
                }
                case ENCODER_AUGMENTING -> KvExperiment.pretrainJob(ModelRole.A);
            };
            jobs.add(new Job(ablation.job(), provenance(baselines.compositionFolder(ablation)), sections,
                    List.of(augmenting, anchor), (resume, manager) -> report(baselines.compose(ablation, resume, manager))));
        }
        return jobs;
    }

    /** Whether a provenance file records this job trained from the current config's sections. */
    private boolean matches(Path provenanceFile, Job job) throws IOException {
        if (!Files.isRegularFile(provenanceFile)) {
            return false;
        }
        JsonNode saved = JSON.readTree(provenanceFile.toFile());
        return matches(saved, ConfigSections.withNewFields(saved.path("config")), job);
    }

    /**
     * Whether a provenance record is this job's, trained from the current config's sections.
     *
     * @param recorded the record's config, with {@link ConfigSections#withNewFields} applied
     */
    private boolean matches(JsonNode saved, JsonNode recorded, Job job) {
        return job.name().equals(saved.path("job").asText())
                && ConfigSections.hash(recorded, job.sections()).equals(ConfigSections.hash(current, job.sections()));
    }

    /** Whether the job's newest checkpoint was written for the current config's sections. */
    private boolean resumable(Job job) throws IOException {
        Optional<Checkpoint> latest = Checkpoint.latest(experiment.jobFolder(job.name()).resolve(TrainingLoop.CHECKPOINTS));
        return latest.isPresent() && matches(latest.get().folder().resolve(Checkpoint.PROVENANCE), job);
    }

    /** @return the heads file a model pretrained with these settings is saved with, if any */
    private static List<Path> heads(Path modelFolder, ModelSpec spec) {
        return spec.training().predictTokens() > 1 ? List.of(modelFolder.resolve(ModelFolder.HEADS)) : List.of();
    }

    private static Path provenance(Path folder) {
        return folder.resolve(ModelFolder.PROVENANCE);
    }

    private void report(TrainingResult result) {
        LOG.info("trained {} steps ({} in this run), last loss {}", result.steps(), result.steps() - result.firstStep(),
                String.format("%.4f", result.lastLoss()));
    }

    private void print(String format, Object... args) {
        out.printf(format + "%n", args);
        out.flush();
    }
}
