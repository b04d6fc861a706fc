package calm.eval.report;

import java.util.List;

/**
 * A table of text that an experiment computes from its scores and shows below its score tables:
 * for translation, how many languages each system beats m_B on, or averages inside and outside
 * D_C. Reports render it as it is; results.json keeps it.
 *
 * @param id a short identifier, unique in a report
 * @param title the caption
 * @param header the column headings
 * @param rows the cells, each row as long as the header
 * @param note a sentence under the table saying how the cells were computed; may be empty
 */
public record Summary(String id, String title, List<String> header, List<List<String>> rows, String note) {

    /** Validates the fields: every row has one cell per heading. */
    public Summary {
        FieldChecks.text("id", id);
        FieldChecks.text("title", title);
        header = FieldChecks.list("header", header);
        if (header.isEmpty()) {
            throw new InvalidFieldException("header", "must name at least one column, got none");
        }
        rows = FieldChecks.list("rows", rows).stream().map(List::copyOf).toList();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).size() != header.size()) {
                throw new InvalidFieldException("rows[" + i + "]", "must have " + header.size() + " cells, one per "
                        + "heading, got " + rows.get(i).size());
            }
        }
        if (note == null) {
            throw new InvalidFieldException("note", "must be text (possibly empty), got null");
        }
    }
}
