package calm.eval.translation;

import calm.eval.report.Results;
import calm.eval.report.Summary;
import calm.eval.run.ExampleOutput;
import calm.eval.run.TaskOutputs;
import calm.eval.stats.Bootstrap;
import calm.eval.stats.IndexedMetric;
import calm.eval.stats.MacroAverage;
import calm.eval.stats.PairedComparison;
import calm.eval.task.CorpusMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The translation report's summaries, as the paper reads its section 4.2: on how many languages
 * each system beats m_B (its Table 5) and m_A; the average chrF inside and outside D_C, with the
 * paired interval of CALM against every system; and translations side by side.
 */
final class TranslationSummaries {

    /** The paper's Table 5: languages (of 192, FLORES-200 XX to English) where each system beats m_B. */
    private static final Map<String, String> PAPER_TABLE_5 = Map.of(TranslationSystems.CALM, "175 of 192",
            "CALM (vanilla m_A)", "115 of 192", "CALM (random m_A)", "43 of 192", "CALM (m_A as encoder)", "102 of 192",
            TranslationSystems.LORA, "82 of 192");

    private final TranslationEvaluation evaluation;
    private final Results results;
    private final Map<String, Map<String, TaskOutputs>> outputs;
    private final Bootstrap bootstrap;
    private final List<String> languages;
    /** Each language's chrF statistics by system, computed once for every comparison that reads them. */
    private final Map<String, IndexedMetric> chrfs = new java.util.HashMap<>();

    TranslationSummaries(TranslationEvaluation evaluation, Results results, Map<String, Map<String, TaskOutputs>> outputs,
            Bootstrap bootstrap) {
        this.evaluation = evaluation;
        this.results = results;
        this.outputs = outputs;
        this.bootstrap = bootstrap;
        this.languages = evaluation.languages();
    }

    List<Summary> all() {
        return List.of(beating(), averages(), sideBySide());
    }

    /** The count of languages where each system's chrF is above m_B's (and m_A's), as the paper's Table 5. */
    private Summary beating() {
        List<List<String>> rows = new ArrayList<>();
        for (String system : systems()) {
            if (system.equals(TranslationSystems.M_B)) {
                continue;
            }
            int aboveB = 0;
            int significant = 0;
            int aboveA = 0;
            int insideAboveB = 0;
            int outsideAboveB = 0;
            for (String language : languages) {
                double score = chrf(language, system);
                if (score > chrf(language, TranslationSystems.M_B)) {
                    aboveB++;
                    if (evaluation.inComposition(language)) {
                        insideAboveB++;
                    } else {
                        outsideAboveB++;
                    }
                    if (compare(language, system, TranslationSystems.M_B).difference().lower() > 0) {
                        significant++;
                    }
                }
                if (!system.equals(TranslationSystems.M_A) && score > chrf(language, TranslationSystems.M_A)) {
                    aboveA++;
                }
            }
            rows.add(List.of(system, aboveB + " of " + languages.size(), significant + "",
                    insideAboveB + " of " + inside(), outsideAboveB + " of " + (languages.size() - inside()),
                    system.equals(TranslationSystems.M_A) ? "–" : aboveA + " of " + languages.size(),
                    PAPER_TABLE_5.getOrDefault(system, "–")));
        }
        return new Summary("beating-m-b", "Languages where each system beats m_B (the paper's Table 5)",
                List.of("System", "Beats m_B (chrF)", "of which significantly", "in D_C", "outside D_C", "Beats m_A",
                        "Paper"),
                rows, "A system beats m_B on a language when its corpus chrF on the language's held-out paragraphs is "
                        + "higher; significantly when the " + level() + " paired bootstrap interval over the language's "
                        + "sentences lies above zero. The paper counts by chrF alone over FLORES-200.");
    }

    /** Averages of per-language chrF inside and outside D_C, and CALM's paired difference to each system. */
    private Summary averages() {
        List<List<String>> rows = new ArrayList<>();
        for (String system : systems()) {
            double in = 0;
            double out = 0;
            for (String language : languages) {
                if (evaluation.inComposition(language)) {
                    in += chrf(language, system);
                } else {
                    out += chrf(language, system);
                }
            }
            int inside = inside();
            String difference = "–";
            if (!system.equals(TranslationSystems.CALM)) {
                PairedComparison paired = bootstrap.compare(macro(TranslationSystems.CALM), macro(system));
                difference = String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", paired.observedDifference(),
                        paired.difference().lower(), paired.difference().upper());
            }
            rows.add(List.of(system, inside == 0 ? "–" : number(in / inside),
                    inside == languages.size() ? "–" : number(out / (languages.size() - inside)),
                    number((in + out) / languages.size()), difference));
        }
        return new Summary("averages", "Average chrF over languages, inside and outside D_C",
                List.of("System", "D_C languages (" + inside() + ")", "Other languages (" + (languages.size() - inside())
                        + ")", "All (" + languages.size() + ")", "CALM minus system, all languages"),
                rows, "Each language counts once (the mean of per-language corpus chrF). The difference's interval is "
                        + "the " + level() + " paired bootstrap over sentences of every language at once.");
    }

    /** The first held-out paragraph of two languages in D_C and two outside, as m_B and CALM translate it. */
    private Summary sideBySide() {
        List<String> chosen = new ArrayList<>();
        languages.stream().filter(evaluation::inComposition).limit(2).forEach(chosen::add);
        languages.stream().filter(language -> !evaluation.inComposition(language)).limit(2).forEach(chosen::add);
        List<List<String>> rows = new ArrayList<>();
        for (String language : chosen) {
            Map<String, TaskOutputs> byTask = outputs.get(evaluation.taskName(language));
            ExampleOutput b = byTask.get(TranslationSystems.M_B).examples().get(0);
            ExampleOutput calm = byTask.get(TranslationSystems.CALM).examples().get(0);
            rows.add(List.of(language + (evaluation.inComposition(language) ? " (D_C)" : ""), b.prompt().strip(),
                    b.expected(), b.output(), calm.output()));
        }
        return new Summary("examples", "Translations side by side", List.of("Language", "Source", "Reference", "m_B",
                "CALM"), rows, "Greedy decoding; every output of every system is in outputs/SYSTEM/TASK.jsonl.");
    }

    private List<String> systems() {
        return results.systems().stream().map(info -> info.name()).toList();
    }

    private int inside() {
        return (int) languages.stream().filter(evaluation::inComposition).count();
    }

    private double chrf(String language, String system) {
        return results.score(evaluation.taskName(language), system, CorpusMetric.CHRF.name()).orElseThrow()
                .value();
    }

    private PairedComparison compare(String language, String system, String baseline) {
        return bootstrap.compare(statistics(language, system), statistics(language, baseline));
    }

    private IndexedMetric macro(String system) {
        List<IndexedMetric> groups = new ArrayList<>();
        for (String language : languages) {
            groups.add(statistics(language, system));
        }
        return new MacroAverage(groups);
    }

    private IndexedMetric statistics(String language, String system) {
        return chrfs.computeIfAbsent(language + "\n" + system,
                key -> outputs.get(evaluation.taskName(language)).get(system).score(CorpusMetric.CHRF));
    }

    private String level() {
        return Math.round(100 * bootstrap.level()) + "%";
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
