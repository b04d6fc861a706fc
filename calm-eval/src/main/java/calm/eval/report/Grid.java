package calm.eval.report;

import java.util.List;

/**
 * A table's text, before Markdown or HTML: the same cells reach both formats.
 *
 * @param caption shown above the table; may be empty
 * @param header the column headings
 * @param alignment one letter per column, {@code l} or {@code r} (numbers)
 * @param rows the cells, one list per row, as wide as the header
 */
record Grid(String caption, List<String> header, String alignment, List<List<String>> rows) {

    Grid {
        header = List.copyOf(header);
        rows = rows.stream().map(List::copyOf).toList();
        if (alignment.length() != header.size()) {
            throw new IllegalArgumentException("alignment must have one letter per column ("
                    + header.size() + "), got \"" + alignment + "\"");
        }
        for (List<String> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("every row must have " + header.size()
                        + " cells, got " + row);
            }
        }
    }

    /** Returns whether column {@code column} holds numbers, which read best right-aligned. */
    boolean rightAligned(int column) {
        return alignment.charAt(column) == 'r';
    }
}
