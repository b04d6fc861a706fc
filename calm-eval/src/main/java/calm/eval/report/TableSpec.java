package calm.eval.report;

import java.util.List;

/**
 * A table the report renders. Every cell shows the headline metric ({@link TaskInfo#metric()}) of
 * its task for its system, with the interval.
 *
 * @param id a short identifier, unique in a report, e.g. {@code "main"}
 * @param kind the layout
 * @param title the caption, e.g. {@code "Table 1: CALM against its baselines"}
 * @param rows task names for {@link TableKind#MAIN}, system names for {@link TableKind#ABLATION}
 * @param columns system names for {@link TableKind#MAIN}, task names for {@link TableKind#ABLATION}
 */
public record TableSpec(String id, TableKind kind, String title, List<String> rows,
        List<String> columns) {

    /** Validates the fields; rows and columns must not be empty. */
    public TableSpec {
        FieldChecks.text("id", id);
        if (kind == null) {
            throw new InvalidFieldException("kind", "must be \"main\" or \"ablation\", got null");
        }
        FieldChecks.text("title", title);
        rows = FieldChecks.names("rows", rows);
        columns = FieldChecks.names("columns", columns);
        if (rows.isEmpty()) {
            throw new InvalidFieldException("rows", "must name at least one entry, got none");
        }
        if (columns.isEmpty()) {
            throw new InvalidFieldException("columns", "must name at least one entry, got none");
        }
    }

    /** Returns the task names this table shows. */
    public List<String> taskNames() {
        return kind == TableKind.MAIN ? rows : columns;
    }

    /** Returns the system names this table shows. */
    public List<String> systemNames() {
        return kind == TableKind.MAIN ? columns : rows;
    }
}
