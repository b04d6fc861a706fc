package calm.eval.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The paired comparisons at a glance, for the top of both reports: the paper's claim checked system
 * by system, and one matrix per metric of every difference against the reference system (CALM),
 * marked where its interval excludes zero. The per-pair sentences stay in a collapsed section.
 */
final class AtAGlance {

    /** Marks a difference whose interval lies above zero: the reference system is ahead. */
    static final String AHEAD = "▲";
    /** Marks a difference whose interval lies below zero: the other system is ahead. */
    static final String BEHIND = "▼";
    /**
     * More tasks than this make a table a breakdown (by language, say): it goes below the summaries,
     * and a comparison matrix over them lists tasks as rows.
     */
    static final int MOST_TASKS_ON_TOP = 8;

    /** How a claim came out. */
    enum Verdict {
        /** The interval lies above zero on every composed task. */
        HOLDS("✓"),
        /** Above zero on some composed tasks, not all. */
        PARTLY("◐"),
        /** Above zero on none. */
        FAILS("✗");

        final String mark;

        Verdict(String mark) {
            this.mark = mark;
        }
    }

    /** One line of the checklist: the reference system against one other system. */
    record Claim(Verdict verdict, String text) {}

    private AtAGlance() {}

    /** @return the system every comparison's {@code system} names first (CALM), if there are comparisons */
    static Optional<String> reference(Results results) {
        return results.comparisons().stream().map(Comparison::system).findFirst();
    }

    /** @return the sentence the reports' lead adds when there are matrices: what a cell and its mark mean */
    static String matrixLegend(Results results) {
        String reference = reference(results).orElse("CALM");
        return "A cell of a \"" + reference + " minus each system\" table is the paired difference in points with its "
                + "interval; " + AHEAD + " marks one whose interval lies above zero (" + reference + " ahead), " + BEHIND
                + " below.";
    }

    /** @return the sentence above the checklist: what the paper claims and on which tasks it is checked */
    static String claimIntro(Results results) {
        String reference = reference(results).orElse("CALM");
        List<String> tasks = results.composedTasks();
        String on = tasks.size() == 1 ? tasks.get(0)
                : tasks.size() <= 3 ? String.join(", ", tasks) : "each of its " + tasks.size() + " tasks";
        return "The paper's claim: " + reference + " beats each base model, baseline and ablation on the composed task. "
                + "Checked here on " + on + ", by the paired bootstrap: " + Verdict.HOLDS.mark + " the whole "
                + ReportText.level(results.bootstrap()) + " interval of the difference lies above zero"
                + (tasks.size() > 1 ? " on every task, " + Verdict.PARTLY.mark + " on some" : "") + ", "
                + Verdict.FAILS.mark + " " + (tasks.size() > 1 ? "on none" : "it does not") + ".";
    }

    /**
     * @return one line per system compared with the reference on the composed tasks, in the order of
     *     {@link Results#systems()}; empty without composed tasks or comparisons
     */
    static List<Claim> claims(Results results) {
        Optional<String> reference = reference(results);
        if (reference.isEmpty() || results.composedTasks().isEmpty()) {
            return List.of();
        }
        List<Claim> claims = new ArrayList<>();
        for (SystemInfo other : results.systems()) {
            List<Comparison> found = new ArrayList<>();
            for (String task : results.composedTasks()) {
                find(results, reference.get(), other.name(), task).ifPresent(found::add);
            }
            if (found.isEmpty()) {
                continue;
            }
            long ahead = found.stream().filter(c -> c.low() > 0).count();
            long behind = found.stream().filter(c -> c.high() < 0).count();
            Verdict verdict = ahead == found.size() ? Verdict.HOLDS : ahead > 0 ? Verdict.PARTLY : Verdict.FAILS;
            String text;
            if (found.size() == 1) {
                Comparison c = found.get(0);
                text = reference.get() + (c.low() > 0 ? " beats " : " does not beat ") + other.name() + " on " + c.task()
                        + ": " + ReportText.signed(c.difference()) + " points " + ReportText.interval(c.low(), c.high())
                        + (c.high() < 0 ? " (" + other.name() + " is ahead)" : c.low() > 0 ? "" : " (the interval includes zero)");
            } else {
                text = reference.get() + " beats " + other.name() + " on " + ahead + " of " + found.size() + " tasks"
                        + (behind > 0 ? "; " + other.name() + " is ahead on " + behind : "")
                        + "; mean difference " + ReportText.signed(found.stream().mapToDouble(Comparison::difference)
                                .average().orElseThrow()) + " points";
            }
            claims.add(new Claim(verdict, text));
        }
        return claims;
    }

    /**
     * One matrix per (reference, metric): a row per other system, a column per task (transposed, a
     * row per task, beyond {@link #MOST_TASKS_ON_TOP} tasks), each cell the reference minus that
     * system in points with its interval, marked {@link #AHEAD} or {@link #BEHIND} where the interval
     * excludes zero.
     */
    static List<Grid> matrices(Results results) {
        Map<List<String>, List<Comparison>> groups = new LinkedHashMap<>();
        for (Comparison comparison : results.comparisons()) {
            groups.computeIfAbsent(List.of(comparison.system(), comparison.metric()), key -> new ArrayList<>())
                    .add(comparison);
        }
        List<Grid> grids = new ArrayList<>();
        for (Map.Entry<List<String>, List<Comparison>> group : groups.entrySet()) {
            String reference = group.getKey().get(0);
            String metric = group.getKey().get(1);
            Set<String> inGroup = new LinkedHashSet<>();
            group.getValue().forEach(c -> inGroup.add(c.task()));
            List<String> tasks = results.tasks().stream().map(TaskInfo::name).filter(inGroup::contains).toList();
            Set<String> compared = new LinkedHashSet<>();
            group.getValue().forEach(c -> compared.add(c.baseline()));
            List<String> systems = results.systems().stream().map(SystemInfo::name).filter(compared::contains).toList();
            String caption = reference + " minus each system: " + metric + ", in points";
            boolean transposed = tasks.size() > MOST_TASKS_ON_TOP;
            List<String> columns = transposed ? systems : tasks;
            List<String> header = new ArrayList<>();
            header.add(transposed ? "Task" : "System");
            header.addAll(columns);
            List<List<String>> rows = new ArrayList<>();
            for (String row : transposed ? tasks : systems) {
                List<String> cells = new ArrayList<>();
                cells.add(row);
                for (String column : columns) {
                    String system = transposed ? column : row;
                    String task = transposed ? row : column;
                    cells.add(group.getValue().stream().filter(c -> c.baseline().equals(system) && c.task().equals(task))
                            .findFirst().map(AtAGlance::cell).orElse(ReportText.MISSING));
                }
                rows.add(cells);
            }
            grids.add(new Grid(caption, header, "l" + "r".repeat(columns.size()), rows));
        }
        return grids;
    }

    /** @return whether a matrix goes in the report's first part (few tasks) rather than with the breakdowns */
    static boolean onTop(Grid matrix) {
        return matrix.header().get(0).equals("System");
    }

    /** @return whether a table is a breakdown (more tasks than {@link #MOST_TASKS_ON_TOP}), shown below the summaries */
    static boolean breakdown(TableSpec table) {
        return table.taskNames().size() > MOST_TASKS_ON_TOP;
    }

    /** {@code +78.4 [74.1, 82.5] ▲}. */
    static String cell(Comparison comparison) {
        String mark = comparison.low() > 0 ? " " + AHEAD : comparison.high() < 0 ? " " + BEHIND : "";
        return ReportText.signed(comparison.difference()) + " " + ReportText.interval(comparison.low(), comparison.high())
                + mark;
    }

    private static Optional<Comparison> find(Results results, String system, String baseline, String task) {
        String metric = results.task(task).metric();
        return results.comparisons().stream().filter(c -> c.system().equals(system) && c.baseline().equals(baseline)
                && c.task().equals(task) && c.metric().equals(metric)).findFirst();
    }
}
