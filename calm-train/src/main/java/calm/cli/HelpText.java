package calm.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Help text wrapped at spaces, never inside a word: file names and config fields stay whole. */
final class HelpText {

    private HelpText() {}

    /**
     * @param paragraphs the text, one paragraph per element (a blank element is an empty line)
     * @param width the widest line
     * @return the paragraphs, each filled to the width, every line ending in a line separator;
     *     a word longer than the width gets a line of its own
     */
    static String wrap(String[] paragraphs, int width) {
        StringBuilder text = new StringBuilder();
        for (String paragraph : paragraphs) {
            List<String> filled = lines(paragraph, width, width);
            if (filled.isEmpty()) {
                text.append(System.lineSeparator());
            }
            filled.forEach(line -> text.append(line).append(System.lineSeparator()));
        }
        return text.toString();
    }

    /** The widest label column before a description moves to a line of its own. */
    private static final int LABEL = 24;

    /**
     * The parameters and options as picocli lays them out (positional parameters first, options by
     * name), their descriptions wrapped at spaces.
     */
    static String options(CommandSpec spec, int width) {
        List<String[]> rows = new ArrayList<>();
        spec.positionalParameters().stream().filter(p -> !p.hidden())
                .forEach(p -> rows.add(new String[] {"      " + p.paramLabel(), description(p)}));
        spec.options().stream().filter(o -> !o.hidden())
                .sorted(Comparator.comparing(o -> o.longestName().replaceFirst("^-+", "").toLowerCase(Locale.ROOT)))
                .forEach(o -> rows.add(new String[] {"  " + label(o), description(o)}));
        return table(rows, width);
    }

    /** The subcommands, each with the first line of its description, wrapped at spaces. */
    static String commands(CommandSpec spec, int width) {
        List<String[]> rows = new ArrayList<>();
        spec.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && name.equals(sub.getCommandName())) {
                String[] description = sub.getCommandSpec().usageMessage().description();
                rows.add(new String[] {"  " + name, description.length == 0 ? "" : description[0]});
            }
        });
        return table(rows, width);
    }

    private static String label(OptionSpec option) {
        String[] names = option.names();
        String shortName = names.length > 1 || option.shortestName().length() == 2 ? option.shortestName() : null;
        String longName = option.longestName().length() > 2 ? option.longestName() : null;
        String param = option.typeInfo().isBoolean() ? "" : "=" + option.paramLabel();
        if (shortName != null && longName != null) {
            return shortName + ", " + longName + param;
        }
        return shortName != null ? shortName + param : "    " + longName + param;
    }

    private static String description(ArgSpec arg) {
        return String.join(" ", arg.description());
    }

    /** Two columns: the labels, and the descriptions wrapped beside them, later lines indented by two. */
    private static String table(List<String[]> rows, int width) {
        int labelWidth = Math.min(LABEL, rows.stream().mapToInt(row -> row[0].length()).max().orElse(0));
        int column = labelWidth + 2;
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            text.append(row[0]);
            List<String> lines = lines(row[1], Math.max(20, width - column - 2), width - column);
            if (row[0].length() > labelWidth && !lines.isEmpty()) {
                text.append(System.lineSeparator()).append(" ".repeat(column));
            } else {
                text.append(" ".repeat(column - row[0].length()));
            }
            for (int i = 0; i < lines.size(); i++) {
                if (i > 0) {
                    text.append(" ".repeat(column + 2));
                }
                text.append(lines.get(i)).append(System.lineSeparator());
            }
            if (lines.isEmpty()) {
                text.append(System.lineSeparator());
            }
        }
        return text.toString();
    }

    /** @return the text filled at spaces, the first line to {@code first} characters, the others to {@code rest} */
    private static List<String> lines(String text, int rest, int first) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            int limit = lines.isEmpty() ? first : rest;
            if (line.length() > 0 && line.length() + 1 + word.length() > limit) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
