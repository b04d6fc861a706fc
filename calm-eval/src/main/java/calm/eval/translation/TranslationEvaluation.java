package calm.eval.translation;

import ai.djl.ndarray.NDManager;
import calm.eval.report.ChartSpec;
import calm.eval.report.Results;
import calm.eval.report.Summary;
import calm.eval.report.TableKind;
import calm.eval.report.TableSpec;
import calm.eval.run.EvalSystem;
import calm.eval.run.EvaluationKind;
import calm.eval.run.ExperimentEvaluation;
import calm.eval.run.SelectionSummary;
import calm.eval.run.TaskOutputs;
import calm.eval.stats.Bootstrap;
import calm.eval.task.CorpusMetric;
import calm.eval.task.EvalTask;
import calm.eval.task.TaskExample;
import calm.eval.task.VocabularyFormat;
import calm.train.config.CompositionConfig;
import calm.train.config.ExperimentConfig;
import calm.train.config.ModelSpec;
import calm.train.experiment.Experiment;
import calm.translation.Translation;
import calm.translation.TranslationDataConfig;
import calm.translation.TranslationExample;
import calm.translation.TranslationExperiment;
import calm.translation.TranslationSplit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The evaluation of a translation experiment: one task per evaluated language, XX to English on the
 * held-out articles, scored with corpus chrF (the paper's metric, sacrebleu's definition) and BLEU;
 * and m_B's own skill, Spanish to English on held-out verses.
 *
 * <p>Tables: chrF by language for m_A, m_B and CALM (the paper's Table 3 at this scale), then every
 * system by language. CALM is compared with every other system on every language by the paired
 * bootstrap over sentences.
 */
public final class TranslationEvaluation implements ExperimentEvaluation {

    /** The id of the per-language table of m_A, m_B and CALM. */
    public static final String MAIN_TABLE = "main";
    /** The id of the per-language table of every system. */
    public static final String SYSTEMS_TABLE = "systems";
    /** The id of m_B's own task. */
    public static final String ANCHOR_TASK = "spa-eng";
    /** New tokens allowed beyond the longest reference of a language, the stop token included. */
    static final int EXTRA_TOKENS = 16;

    private final TranslationExperiment experiment;

    /** @param experiment the experiment whose systems are evaluated */
    public TranslationEvaluation(TranslationExperiment experiment) {
        this.experiment = experiment;
    }

    /** Finds this evaluation by the kind's name. */
    public static final class Kind implements EvaluationKind {
        @Override
        public String experiment() {
            return Translation.NAME;
        }

        @Override
        public ExperimentEvaluation of(Experiment experiment) {
            return new TranslationEvaluation((TranslationExperiment) experiment);
        }
    }

    @Override
    public Experiment experiment() {
        return experiment;
    }

    /** @return the task of a language, e.g. {@code mri → English (D_C)} for a language of D_C */
    public String taskName(String language) {
        return language + " → English" + (inComposition(language) ? " (D_C)" : "");
    }

    /** @return the languages of the config, in its order */
    public List<String> languages() {
        return experiment.dataConfig().languages();
    }

    /** @return whether a language's pairs are in D_C */
    public boolean inComposition(String language) {
        return experiment.dataConfig().compositionLanguages().contains(language);
    }

    @Override
    public List<EvalTask> tasks() {
        TranslationDataConfig data = experiment.dataConfig();
        VocabularyFormat format = new VocabularyFormat(TranslationExperiment.VOCABULARY);
        List<EvalTask> tasks = new ArrayList<>();
        for (String language : data.languages()) {
            tasks.add(new EvalTask(taskName(language), language.toLowerCase().replace('_', '-') + "-eng",
                    TranslationSplit.EVAL.id(), (inComposition(language) ? "in D_C" : "outside D_C")
                    + ": the held-out articles " + data.heldOutArticles() + " of the UDHR, " + language + " to English",
                    format, EXTRA_TOKENS, List.of(CorpusMetric.CHRF, CorpusMetric.BLEU)));
        }
        if (data.anchorHeldOut() > 0) {
            tasks.add(new EvalTask("spa → English (m_B's skill)", ANCHOR_TASK, TranslationSplit.EVAL_B.id(),
                    "m_B's own skill: held-out Spanish verses to English", format, EXTRA_TOKENS,
                    List.of(CorpusMetric.CHRF, CorpusMetric.BLEU)));
        }
        return tasks;
    }

    /** @return every language into English: the composed task, m_B's own skill left out */
    @Override
    public List<String> composedTasks(Results results) {
        return languages().stream().map(this::taskName).toList();
    }

    @Override
    public List<TaskExample> examples(EvalTask task) throws IOException {
        TranslationSplit split = TranslationSplit.fromId(task.split());
        String language = task.id().equals(ANCHOR_TASK) ? null
                : languages().stream().filter(code -> taskName(code).equals(task.name())).findFirst().orElseThrow();
        int limit = experiment.config().config().evaluation().examples();
        List<TaskExample> examples = new ArrayList<>();
        for (TranslationExample example : experiment.data().get(split)) {
            if (language == null || example.language().equals(language)) {
                examples.add(new TaskExample(example.prompt(), example.completion()));
            }
        }
        if (examples.isEmpty()) {
            throw experiment.config().error("data.languages", "'" + language + "' has no paragraph of the held-out "
                    + "articles " + experiment.dataConfig().heldOutArticles() + " within data.maxSourceBytes and "
                    + "data.maxTargetBytes, so it cannot be evaluated");
        }
        return limit == 0 ? examples : examples.subList(0, Math.min(limit, examples.size()));
    }

    @Override
    public List<EvalSystem> systems(NDManager manager, Consumer<String> warn) throws IOException {
        return TranslationSystems.load(experiment, manager, warn);
    }

    @Override
    public List<String> references() {
        return List.of(TranslationSystems.CALM);
    }

    @Override
    public List<Summary> summaries(Results results, Map<String, Map<String, TaskOutputs>> outputs, Bootstrap bootstrap)
            throws IOException {
        List<Summary> summaries = new ArrayList<>();
        summaries.add(setup());
        summaries.addAll(new TranslationSummaries(this, results, outputs, bootstrap).all());
        Summary selection = selection();
        if (selection != null) {
            summaries.add(selection);
        }
        return summaries;
    }

    /** Where this run departs from the paper's section 4.2, so that the numbers are read with it. */
    Summary setup() throws IOException {
        ExperimentConfig config = experiment.config().config();
        TranslationDataConfig data = experiment.dataConfig();
        long mA = bytes(TranslationSplit.PRETRAIN_A);
        long dc = bytes(TranslationSplit.TRAIN_COMPOSITION);
        int evaluated = experiment.data().get(TranslationSplit.EVAL).size();
        String reads = config.composition().reads() == CompositionConfig.Reads.STATES ? "m_A's layer outputs (the paper's)"
                : "what m_A predicts: the one-hot of its next byte, as a layer after its last"
                + (config.composition().predictionsFrom().isEmpty() ? "" : ", from the first "
                + printable(config.composition().predictionsFrom()) + " on");
        List<List<String>> rows = List.of(
                List.of("m_A", "PaLM2-XXS, ~1,000 languages of web text and translation pairs",
                        describe(config.models().a()) + ", the UDHR text and pairs to English of " + data.languages().size()
                                + " languages, held-out articles excepted"),
                List.of("m_B", "PaLM2-S, writes English and translates high-resource pairs",
                        describe(config.models().b()) + ", State of the Union prose, English UDHR paragraphs and "
                                + "Spanish-English verse pairs; none of m_A's languages"),
                List.of("Tokenizer", "PaLM2's SentencePiece", "UTF-8 bytes, shared"),
                List.of("D_C", "~5% of m_A's corpus",
                        experiment.data().get(TranslationSplit.TRAIN_COMPOSITION).size() + " pairs of "
                                + data.compositionLanguages().size() + " of the " + data.languages().size() + " languages, "
                                + Math.round(100.0 * dc / mA) + "% of m_A's corpus in bytes"),
                List.of("Connections read", "m_A's layer outputs", reads),
                List.of("Evaluation", "FLORES-200 devtest, 192 languages, chrF",
                        "the UDHR's held-out articles " + data.heldOutArticles() + ", " + data.languages().size()
                                + " languages, " + evaluated + " paragraphs of at most " + data.maxSourceBytes()
                                + " bytes, chrF and BLEU"),
                List.of("Tuning", "not stated per system", config.selection().searches()
                        ? "one grid for every system trained on D_C, chosen on D_C's validation split (below)"
                        : "the training section as written, the same for every system"));
        return new Summary("setup", "This run against the paper's section 4.2", List.of("", "Paper", "Here"), rows,
                "Every choice and why: docs/translation.md.");
    }

    private long bytes(TranslationSplit split) throws IOException {
        return experiment.data().get(split).stream()
                .mapToLong(e -> (e.prompt() + e.completion()).getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
    }

    private static String describe(ModelSpec spec) {
        return String.format(Locale.ROOT, "a %d-layer GPT of width %d, %d updates of %d", spec.architecture().numLayers(),
                spec.architecture().hiddenSize(), spec.training().steps(), spec.training().batchSize());
    }

    private static String printable(String text) {
        return text.equals("\n") ? "line break" : "'" + text + "'";
    }

    /** The grid and what each system trained on D_C chose from it; null when the config has no grid. */
    Summary selection() throws IOException {
        return SelectionSummary.of(experiment, "the validation split (pairs of D_C's languages from articles "
                + experiment.dataConfig().validationArticles() + ", never evaluated)");
    }

    /** chrF of m_B and CALM by language, sorted by CALM's lead. */
    @Override
    public List<ChartSpec> charts(Results results) {
        List<String> tasks = new ArrayList<>(languages().stream().map(this::taskName).toList());
        java.util.function.ToDoubleFunction<String> lead = task ->
                results.headline(task, TranslationSystems.CALM).orElseThrow().value()
                        - results.headline(task, TranslationSystems.M_B).orElseThrow().value();
        tasks.sort(java.util.Comparator.comparingDouble(lead).reversed());
        return List.of(new ChartSpec("by-language", "chrF of m_B and CALM by language, sorted by CALM minus m_B; "
                + "(D_C) marks a language of D_C", tasks, List.of(TranslationSystems.M_B, TranslationSystems.CALM)));
    }

    @Override
    public String summaryTable() {
        return MAIN_TABLE;
    }

    @Override
    public List<TableSpec> tables(List<EvalSystem> systems, List<EvalTask> tasks) {
        List<String> taskNames = tasks.stream().map(EvalTask::name).toList();
        List<String> main = List.of(TranslationSystems.M_A, TranslationSystems.M_B, TranslationSystems.CALM);
        List<TableSpec> tables = new ArrayList<>();
        tables.add(new TableSpec(MAIN_TABLE, TableKind.MAIN, "Table 1: XX to English by language, m_A, m_B and their "
                + "composition (chrF)", taskNames, main));
        List<String> others = systems.stream().map(EvalSystem::name).filter(name -> !main.contains(name)).toList();
        if (!others.isEmpty()) {
            List<String> columns = new ArrayList<>();
            columns.add(TranslationSystems.CALM);
            columns.addAll(others);
            tables.add(new TableSpec(SYSTEMS_TABLE, TableKind.MAIN, "Table 2: CALM against baselines and ablations by "
                    + "language (chrF)", taskNames, columns));
        }
        return tables;
    }
}
