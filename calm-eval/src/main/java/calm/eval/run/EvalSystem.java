package calm.eval.run;

import calm.model.LanguageModel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A system to evaluate: any {@link LanguageModel} with what the report says about it.
 *
 * @param id a file-name-safe identifier, e.g. {@code calm-random-a}; its outputs go to a folder of
 *     that name
 * @param name the label in reports, e.g. {@code CALM, random m_A}
 * @param role what it is (see {@link calm.eval.report.SystemInfo#role()})
 * @param model the model, ready to generate
 * @param totalParameters every parameter it runs with
 * @param trainableParameters the parameters its last training changed (0 for a frozen model)
 * @param formula how the trainable count arises; may be empty
 * @param metricsLog the metrics log of the job that trained it, or null
 */
public record EvalSystem(String id, String name, String role, LanguageModel model, long totalParameters,
        long trainableParameters, String formula, Path metricsLog) {

    /** Checks the fields. */
    public EvalSystem {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("a system id must be lower-case letters, digits and '-', got " + id);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(formula, "formula");
    }
}
