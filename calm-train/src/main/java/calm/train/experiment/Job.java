package calm.train.experiment;

import ai.djl.ndarray.NDManager;
import calm.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One job of an experiment's graph ({@link Experiment#jobs()}): what it saves, what its result
 * depends on, and what it does. {@code calm run} reuses a saved result whose provenance records the
 * same config sections and whose inputs were not retrained, and otherwise runs the step.
 *
 * @param name the job's name, as its provenance and job folder name it, e.g. {@code pretrain-a}
 * @param saved the provenance file of its saved result
 * @param sections the config sections its result depends on, as JSON pointers, e.g. {@code /models/a};
 *     a pointer after a '-' names a field inside one of them that it does not depend on, e.g.
 *     {@code -/data/sizes/compositionValidation}
 * @param needs the jobs whose results it reads
 * @param step what it does
 * @param alsoSaved files its saved result must hold besides the provenance file, else it is not
 *     reused (a model's multi-token heads, which saves before they were kept lack)
 */
public record Job(String name, Path saved, List<String> sections, List<String> needs, Step step, List<Path> alsoSaved) {

    /** What a job does. */
    @FunctionalInterface
    public interface Step {
        /**
         * @param resume continue from the job's newest checkpoint
         * @return what it trained, or null for a job that trains nothing (a random initialisation)
         */
        TrainingResult run(boolean resume, NDManager manager) throws IOException;
    }

    /** Checks the fields. */
    public Job {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(saved, "saved");
        sections = List.copyOf(sections);
        needs = List.copyOf(needs);
        Objects.requireNonNull(step, "step");
        alsoSaved = List.copyOf(alsoSaved);
    }

    /** A job whose result is its provenance file's folder and nothing more. */
    public Job(String name, Path saved, List<String> sections, List<String> needs, Step step) {
        this(name, saved, sections, needs, step, List.of());
    }
}
