package calm.eval.report;

/**
 * A system the evaluation scored: one of the two frozen models, the composition, a baseline or
 * an ablation.
 *
 * @param name the label used in tables and charts, unique in a report, e.g. {@code "CALM"}
 * @param role what the system is; conventional values are {@code "m_A"}, {@code "m_B"},
 *     {@code "CALM"}, {@code "LoRA"}, {@code "fine-tuned anchor"} and {@code "ablation: ..."}
 *     (e.g. {@code "ablation: random m_A"})
 * @param totalParameters every parameter the system runs with, frozen or not
 * @param trainableParameters the parameters that training changed (Theta_C for CALM, 0 for a
 *     frozen model evaluated as it is)
 * @param formula how the trainable count arises, free text, e.g.
 *     {@code "n (D_A D_B + D_B + 4 D_B^2), n = 4"}; may be empty
 */
public record SystemInfo(String name, String role, long totalParameters, long trainableParameters,
        String formula) {

    /** Validates names and counts ({@code 0 <= trainableParameters <= totalParameters}). */
    public SystemInfo {
        FieldChecks.text("name", name);
        FieldChecks.text("role", role);
        FieldChecks.nonNegative("totalParameters", totalParameters);
        FieldChecks.nonNegative("trainableParameters", trainableParameters);
        if (trainableParameters > totalParameters) {
            throw new InvalidFieldException("trainableParameters", "must be <= totalParameters ("
                    + totalParameters + "), got " + trainableParameters);
        }
        FieldChecks.nonNull("formula", formula);
    }
}
