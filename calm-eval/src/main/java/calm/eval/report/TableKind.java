package calm.eval.report;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The layout of a report table. */
public enum TableKind {

    /** The paper's Table 1: a row per task, a column per system. */
    @JsonProperty("main")
    MAIN,

    /** Ablations: a row per system or ablation, a column per task. */
    @JsonProperty("ablation")
    ABLATION
}
