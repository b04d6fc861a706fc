package calm.eval.run;


import ai.djl.ndarray.NDManager;
import calm.eval.report.Results;
import calm.io.Checksums;
import calm.io.Folders;
import calm.io.TextFiles;
import calm.io.hf.SafetensorsFile;
import calm.train.TrainingLoop;
import calm.train.TrainingResult;
import calm.train.checkpoint.Checkpoint;
import calm.train.experiment.Experiment;
import calm.train.experiment.Job;
import calm.train.stop.StopRequest;
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
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A whole experiment from one config: the data, then every job of its graph
 * ({@link Experiment#jobs()}: m_A and m_B, the composition, the baselines and ablations the config
 * enables), then the evaluation and the report ({@link Evaluation}).
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

    /** The {@code --retrain} value that names every job. */
    public static final String ALL_JOBS = "all";

    private final Experiment experiment;
    private final Set<String> retrain;
    private final PrintWriter out;
    private final ConfigSections sections;
    private final JsonNode current;
    private final SideBySide sideBySide;

    /**
     * Jobs run each in a process of its own ({@code calm job}), up to {@code parallel} at once.
     *
     * @param parallel the most jobs at once
     * @param threads the intra-op threads of each
     * @param arguments the {@code calm} arguments that run a job
     */
    public record SideBySide(int parallel, int threads, Function<Job, List<String>> arguments) {}

    /**
     * @param experiment the experiment
     * @param retrain the jobs to train even where a saved result could be reused, by name, or
     *     {@value #ALL_JOBS}; empty for none
     * @param out where each job's outcome is printed
     */
    public ExperimentRun(Experiment experiment, Set<String> retrain, PrintWriter out) {
        this(experiment, retrain, out, null);
    }

    /**
     * @param experiment the experiment
     * @param retrain the jobs to train even where a saved result could be reused, by name, or
     *     {@value #ALL_JOBS}; empty for none
     * @param out where each job's outcome is printed
     * @param sideBySide how to run the jobs in processes of their own, side by side; null runs them in
     *     this process, one after another
     */
    public ExperimentRun(Experiment experiment, Set<String> retrain, PrintWriter out, SideBySide sideBySide) {
        this.experiment = experiment;
        this.sideBySide = sideBySide;
        this.retrain = Set.copyOf(retrain);
        List<String> jobs = experiment.jobs().stream().map(Job::name).toList();
        for (String name : this.retrain) {
            if (!name.equals(ALL_JOBS) && !jobs.contains(name)) {
                throw new IllegalArgumentException("--retrain: no job '" + name + "' in this experiment; its jobs: "
                        + String.join(", ", jobs) + " (or " + ALL_JOBS + ")");
            }
        }
        this.out = out;
        this.sections = ConfigSections.of(experiment.config().config().experiment());
        this.current = ConfigSections.tree(experiment.config().config());
    }

    /** Runs every job, evaluates and writes the report; returns the results. */
    public Results run(NDManager manager) throws IOException {
        Map<String, Double> phases = new LinkedHashMap<>();
        long start = System.nanoTime();
        experiment.prepare();
        phases.put("data", (System.nanoTime() - start) / 1e9);
        List<JobProcesses.Planned> planned = new ArrayList<>();
        Set<String> reused = new HashSet<>();
        Set<String> trained = new HashSet<>();
        for (Job job : experiment.jobs()) {
            boolean inputsChanged = job.needs().stream().anyMatch(trained::contains);
            boolean retrainJob = retrains(job);
            boolean complete = job.alsoSaved().stream().allMatch(Files::isRegularFile);
            String damaged = damagedResult(job.saved().getParent());
            if (!retrainJob && !inputsChanged && complete && damaged == null && matches(job.saved(), job)) {
                print("%-20s reused %s", job.name(), job.saved().getParent());
                reused.add(job.name());
                continue;
            }
            boolean resume = !retrainJob && !inputsChanged && resumable(job);
            print("%-20s %s", job.name(), startsHow(job, resume, complete, damaged, trained));
            planned.add(new JobProcesses.Planned(job, resume));
            trained.add(job.name());
        }
        if (sideBySide != null && !planned.isEmpty()) {
            for (JobProcesses.Planned job : planned) {
                if (!job.resume()) {
                    Folders.deleteTree(experiment.jobFolder(job.job().name()));
                }
            }
            int parallel = Math.min(sideBySide.parallel(), planned.size());
            LOG.info("{} job(s) to train, up to {} at once, each in its own process with {} intra-op thread(s)",
                    planned.size(), parallel, sideBySide.threads());
            phases.putAll(new JobProcesses(parallel, sideBySide.threads(), sideBySide.arguments(), out, System.err)
                    .run(planned, reused));
        } else {
            try (StopRequest.SafePoints safe = StopRequest.safePoint()) {
                for (JobProcesses.Planned job : planned) {
                    safe.check("calm run stopped before " + job.job().name() + "; the same command continues");
                    phases.put(job.job().name(), runHere(job, manager));
                }
                safe.check("calm run stopped before the evaluation; the same command continues");
            }
        }
        return Evaluation.run(Evaluation.of(experiment), phases, manager);
    }

    /** Runs a job in this process; returns its wall time in seconds. */
    private double runHere(JobProcesses.Planned planned, NDManager manager) throws IOException {
        Job job = planned.job();
        if (!planned.resume()) {
            Folders.deleteTree(experiment.jobFolder(job.name()));
        }
        long jobStart = System.nanoTime();
        TrainingResult result;
        try (NDManager scope = manager.newSubManager()) {
            result = job.step().run(planned.resume(), scope);
        }
        double seconds = (System.nanoTime() - jobStart) / 1e9;
        if (result != null) {
            LOG.info("trained {} steps ({} in this run), last loss {}", result.steps(), result.steps() - result.firstStep(),
                    String.format("%.4f", result.lastLoss()));
        }
        String done = result == null ? "initialised" : planned.resume() ? "resumed and finished" : "trained";
        print("%-20s %s in %.1f s -> %s", job.name(), done, seconds, job.saved().getParent());
        return seconds;
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
        for (Job job : experiment.jobs()) {
            if (!Files.isRegularFile(job.saved())) {
                continue;
            }
            JsonNode saved;
            try {
                saved = TextFiles.json(job.saved(), JSON);
            } catch (IllegalArgumentException e) {
                stale.add(job.name() + " (" + job.saved().getParent() + "): its provenance is damaged: " + e.getMessage());
                continue;
            }
            JsonNode recorded = sections.withNewFields(saved.path("config"));
            if (matches(saved, recorded, job)) {
                continue;
            }
            List<String> differing = new ArrayList<>();
            List<String> excluded = sectionsOf(job).stream().filter(section -> section.startsWith("-")).toList();
            for (String section : sectionsOf(job)) {
                if (section.startsWith("-")) {
                    continue;
                }
                List<String> one = new ArrayList<>(excluded);
                one.add(section);
                if (!ConfigSections.hash(recorded, one).equals(ConfigSections.hash(current, one))) {
                    differing.add(section.substring(1).replace('/', '.'));
                }
            }
            String why = differing.isEmpty() ? "it was saved by job '" + saved.path("job").asText() + "'"
                    : "it was trained with other " + String.join(", ", differing);
            stale.add(job.name() + " (" + job.saved().getParent() + "): " + why);
        }
        return stale;
    }

    /** The sections a job's result depends on: the experiment's kind, and those the job names. */
    private static List<String> sectionsOf(Job job) {
        List<String> all = new ArrayList<>();
        all.add("/experiment");
        all.addAll(job.sections());
        return all;
    }

    /** Whether a provenance file records this job trained from the current config's sections. */
    private boolean matches(Path provenanceFile, Job job) throws IOException {
        if (!Files.isRegularFile(provenanceFile)) {
            return false;
        }
        JsonNode saved;
        try {
            saved = TextFiles.json(provenanceFile, JSON);
        } catch (IllegalArgumentException e) {
            // Written atomically, so this is damage: what it describes cannot be trusted, and the job runs again.
            LOG.warn("{}; {} is not reused", e.getMessage(), job.name());
            return false;
        }
        return matches(saved, sections.withNewFields(saved.path("config")), job);
    }

    /**
     * Whether a provenance record is this job's, trained from the current config's sections.
     *
     * @param recorded the record's config, with {@link ConfigSections#withNewFields} applied
     */
    private boolean matches(JsonNode saved, JsonNode recorded, Job job) {
        List<String> depends = sectionsOf(job);
        return job.name().equals(saved.path("job").asText())
                && ConfigSections.hash(recorded, depends).equals(ConfigSections.hash(current, depends));
    }

    /**
     * Says whether a job to train resumes or starts from zero, and why: {@code --retrain}, a job it
     * reads trained in this run, a damaged saved result, a checkpoint or saved result made from other
     * config sections, a folder a run before left without a checkpoint, or nothing saved yet.
     */
    private String startsHow(Job job, boolean resume, boolean complete, String damaged, Set<String> trained)
            throws IOException {
        Path folder = experiment.jobFolder(job.name());
        Optional<Checkpoint> latest = Checkpoint.latest(folder.resolve(TrainingLoop.CHECKPOINTS));
        if (resume) {
            return "resumes from its checkpoint at step " + latest.orElseThrow().step() + " (" + latest.get().folder() + ")"
                    + (damaged == null ? "" : ": " + damaged);
        }
        if (retrains(job)) {
            return "starts from zero: --retrain" + (retrain.contains(ALL_JOBS) ? "" : "=" + job.name());
        }
        if (latest.isEmpty() && !Files.isRegularFile(job.saved()) && !Files.isDirectory(folder)) {
            return "starts from zero: nothing saved yet";
        }
        List<String> changed = job.needs().stream().filter(trained::contains).toList();
        if (!changed.isEmpty()) {
            return "starts from zero: it reads " + String.join(", ", changed) + ", trained in this run";
        }
        if (Files.isRegularFile(job.saved()) && !complete) {
            return "starts from zero: its saved result lacks "
                    + job.alsoSaved().stream().filter(file -> !Files.isRegularFile(file)).map(Path::toString).toList();
        }
        String damagedCheckpoint = latest.isPresent() ? Checksums.problem(latest.get().folder()) : null;
        if (damaged != null) {
            return "starts from zero: " + damaged + (damagedCheckpoint == null ? ""
                    : "; its checkpoint at step " + latest.get().step() + " is damaged too: " + damagedCheckpoint);
        }
        if (damagedCheckpoint != null) {
            return "starts from zero: its checkpoint at step " + latest.get().step() + " is damaged: " + damagedCheckpoint;
        }
        if (latest.isPresent()) {
            return "starts from zero: its checkpoint at step " + latest.get().step() + " was written for other config "
                    + "sections (" + latest.get().folder() + ")";
        }
        if (Files.isRegularFile(job.saved()) && !validJson(job.saved())) {
            return "starts from zero: its " + job.saved() + " is not valid JSON (damaged), so what it describes is not trusted";
        }
        if (Files.isRegularFile(job.saved())) {
            return "starts from zero: its saved result was trained from other config sections (" + job.saved().getParent() + ")";
        }
        return "starts from zero: a run before left no checkpoint in " + folder + " (one is written every "
                + "checkpointInterval updates; 0 writes one only after the last update)";
    }

    /**
     * Checks every weights file a saved result keeps against the SHA-256 recorded when it was saved
     * ({@link Checksums}), and the structure of each (its header, and each tensor within the file),
     * so that a changed, truncated or damaged file is not reused only to fail at evaluation.
     *
     * @return what is wrong with the first damaged file, or null when all are whole (or none is saved)
     */
    private static String damagedResult(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return null;
        }
        String changed = Checksums.problem(folder);
        if (changed != null) {
            return "its saved result is damaged: " + changed;
        }
        List<Path> files;
        try (var listed = Files.list(folder)) {
            files = listed.filter(file -> file.getFileName().toString().endsWith(".safetensors")).sorted().toList();
        }
        for (Path file : files) {
            try (SafetensorsFile checked = SafetensorsFile.open(file)) {
                checked.tensors();
            } catch (IllegalArgumentException e) {
                return "its saved result is damaged: " + e.getMessage();
            }
        }
        return null;
    }

    private static boolean validJson(Path file) throws IOException {
        try {
            TextFiles.json(file, JSON);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether the job's newest checkpoint was written for the current config's sections. */
    private boolean resumable(Job job) throws IOException {
        Optional<Checkpoint> latest = Checkpoint.latest(experiment.jobFolder(job.name()).resolve(TrainingLoop.CHECKPOINTS));
        return latest.isPresent() && matches(latest.get().folder().resolve(Checkpoint.PROVENANCE), job)
                && Checksums.problem(latest.get().folder()) == null;
    }

    private boolean retrains(Job job) {
        return retrain.contains(ALL_JOBS) || retrain.contains(job.name());
    }

    private void print(String format, Object... args) {
        out.printf(format + "%n", args);
        out.flush();
    }
}
