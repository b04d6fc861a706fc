package calm.eval.code;

import ai.djl.ndarray.NDManager;
import calm.code.Code;
import calm.code.CodeDataConfig;
import calm.code.CodeDatasets;
import calm.code.CodeExample;
import calm.code.CodeExperiment;
import calm.code.CodeSplit;
import calm.eval.report.ChartSpec;
import calm.eval.report.Results;
import calm.eval.report.Summary;
import calm.eval.report.TableKind;
import calm.eval.report.TableSpec;
import calm.eval.run.EvalSystem;
import calm.eval.run.EvaluationKind;
import calm.eval.run.ExampleOutput;
import calm.eval.run.ExperimentEvaluation;
import calm.eval.run.SavedSystems;
import calm.eval.run.SelectionSummary;
import calm.eval.run.TaskOutputs;
import calm.eval.stats.Bootstrap;
import calm.eval.task.Accuracy;
import calm.eval.task.CorpusMetric;
import calm.eval.task.EvalTask;
import calm.eval.task.TaskExample;
import calm.eval.task.VocabularyFormat;
import calm.train.config.CompositionConfig;
import calm.train.config.ExperimentConfig;
import calm.train.config.ModelSpec;
import calm.train.experiment.Experiment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The evaluation of a code experiment on its held-out library, the paper's section 4.3 at CPU scale:
 * <ul>
 *   <li>code completion: the Javadoc line, the signature and the body's first lines, then the next
 *       line; exact match (the headline) and chrF;</li>
 *   <li>text to code: the Javadoc line and the signature, then the body; chrF (the headline), BLEU,
 *       and the share of bodies that parse with JavaParser;</li>
 *   <li>code to text: the method, then its Javadoc's first sentence; chrF (the paper's metric, the
 *       headline), BLEU and ROUGE-L.</li>
 * </ul>
 * Table 1 is the paper's Table 4 layout (m_A, m_B, CALM by task); Table 2 adds every baseline and
 * ablation. CALM is compared with every other system on every task by the paired bootstrap.
 */
public final class CodeEvaluation implements ExperimentEvaluation {

    /** The id of the table of m_A, m_B and CALM. */
    public static final String MAIN_TABLE = "main";
    /** The id of the table of every system. */
    public static final String SYSTEMS_TABLE = "systems";
    /** The code completion task's name. */
    public static final String COMPLETION = "Code completion";
    /** The text to code task's name. */
    public static final String TEXT_TO_CODE = "Text to code";
    /** The code to text task's name. */
    public static final String CODE_TO_TEXT = "Code to text";
    /** New tokens allowed beyond the longest reference of a task, the stop token included. */
    static final int EXTRA_TOKENS = 16;
    /** Examples shown side by side per task in the report. */
    static final int SHOWN_EXAMPLES = 3;

    private final CodeExperiment experiment;

    /** @param experiment the experiment whose systems are evaluated */
    public CodeEvaluation(CodeExperiment experiment) {
        this.experiment = experiment;
    }

    /** Finds this evaluation by the kind's name. */
    public static final class Kind implements EvaluationKind {
        @Override
        public String experiment() {
            return Code.NAME;
        }

        @Override
        public ExperimentEvaluation of(Experiment experiment) {
            return new CodeEvaluation((CodeExperiment) experiment);
        }
    }

    @Override
    public Experiment experiment() {
        return experiment;
    }

    @Override
    public List<EvalTask> tasks() {
        String library = experiment.dataConfig().evalLibrary();
        VocabularyFormat format = new VocabularyFormat(CodeExperiment.VOCABULARY);
        return List.of(
                new EvalTask(COMPLETION, "code-completion", CodeSplit.EVAL_COMPLETION.id(), "the next line of a method of "
                        + library + " (held out), given its Javadoc's first sentence, its signature and its first lines",
                        new LineFormat(CodeExperiment.VOCABULARY), EXTRA_TOKENS, List.of(Accuracy.INSTANCE, CorpusMetric.CHRF)),
                new EvalTask(TEXT_TO_CODE, "text-to-code", CodeSplit.EVAL_TEXT_TO_CODE.id(), "the body of a method of "
                        + library + " (held out), given its Javadoc's first sentence and its signature", format, EXTRA_TOKENS,
                        List.of(CorpusMetric.CHRF, CorpusMetric.BLEU, CodeMetrics.PARSES)),
                new EvalTask(CODE_TO_TEXT, "code-to-text", CodeSplit.EVAL_CODE_TO_TEXT.id(), "the first sentence of the "
                        + "Javadoc of a method of " + library + " (held out), given the method", format, EXTRA_TOKENS,
                        List.of(CorpusMetric.CHRF, CorpusMetric.BLEU, CodeMetrics.ROUGE_L)));
    }

    @Override
    public List<TaskExample> examples(EvalTask task) throws IOException {
        int limit = experiment.config().config().evaluation().examples();
        List<TaskExample> examples = new ArrayList<>();
        for (CodeExample example : experiment.data().get(CodeSplit.fromId(task.split()))) {
            examples.add(new TaskExample(example.prompt(), example.completion()));
        }
        if (examples.isEmpty()) {
            throw experiment.config().error("data.evalLibrary", experiment.dataConfig().evalLibrary() + " gives no example "
                    + "for " + task.name());
        }
        return limit == 0 ? examples : examples.subList(0, Math.min(limit, examples.size()));
    }

    @Override
    public List<EvalSystem> systems(NDManager manager, Consumer<String> warn) throws IOException {
        return SavedSystems.all(experiment, manager, warn);
    }

    @Override
    public List<String> references() {
        return List.of(SavedSystems.CALM);
    }

    @Override
    public String summaryTable() {
        return MAIN_TABLE;
    }

    @Override
    public List<TableSpec> tables(List<EvalSystem> systems, List<EvalTask> tasks) {
        List<String> taskNames = tasks.stream().map(EvalTask::name).toList();
        List<String> main = List.of(SavedSystems.M_A, SavedSystems.M_B, SavedSystems.CALM);
        List<TableSpec> tables = new ArrayList<>();
        tables.add(new TableSpec(MAIN_TABLE, TableKind.MAIN, "Table 1: code completion (exact match), text to code and "
                + "code to text (chrF) on the held-out library, m_A, m_B and their composition (the paper's Table 4)",
                taskNames, main));
        List<String> others = systems.stream().map(EvalSystem::name).filter(name -> !main.contains(name)).toList();
        if (!others.isEmpty()) {
            List<String> columns = new ArrayList<>();
            columns.add(SavedSystems.CALM);
            columns.addAll(others);
            tables.add(new TableSpec(SYSTEMS_TABLE, TableKind.MAIN, "Table 2: CALM against baselines and ablations",
                    taskNames, columns));
        }
        return tables;
    }

    @Override
    public List<Summary> summaries(Results results, Map<String, Map<String, TaskOutputs>> outputs, Bootstrap bootstrap)
            throws IOException {
        List<Summary> summaries = new ArrayList<>();
        summaries.add(setup());
        summaries.add(sideBySide(outputs));
        Summary selection = SelectionSummary.of(experiment, "D_C's validation split (further methods of m_A's libraries "
                + "as pairs in both directions, never evaluated)");
        if (selection != null) {
            summaries.add(selection);
        }
        return summaries;
    }

    /** The headline of m_A, m_B and CALM on each task. */
    @Override
    public List<ChartSpec> charts(Results results) {
        return List.of(new ChartSpec("by-task", "Each task's headline score: exact match for code completion, chrF for "
                + "text to code and code to text", tasks().stream().map(EvalTask::name).toList(),
                List.of(SavedSystems.M_A, SavedSystems.M_B, SavedSystems.CALM)));
    }

    /** Where this run departs from the paper's section 4.3, so that the numbers are read with it. */
    Summary setup() throws IOException {
        ExperimentConfig config = experiment.config().config();
        CodeDataConfig data = experiment.dataConfig();
        int methods = experiment.data().get(CodeSplit.PRETRAIN_A).size();
        int pairs = experiment.data().get(CodeSplit.TRAIN_COMPOSITION).size() / 2;
        String reads = config.composition().reads() == CompositionConfig.Reads.STATES ? "m_A's layer outputs (the paper's)"
                : "what m_A predicts: the one-hot of its next byte, as a layer after its last";
        List<List<String>> rows = List.of(
                List.of("m_A", "PaLM2-XXS trained on open-source code", describe(config.models().a()) + ", "
                        + String.format(Locale.ROOT, "%,d", methods) + " methods of " + data.libraries().size()
                        + " Java libraries (" + String.join(", ", data.trainingLibraries().stream()
                        .map(library -> library.artifactId()).toList()) + "), each with its Javadoc's first sentence"),
                List.of("m_B", "PaLM2-S, a general model", describe(config.models().b()) + ", "
                        + experiment.data().get(CodeSplit.PRETRAIN_B).size() + " passages of State of the Union addresses; "
                        + "no code"),
                List.of("Tokenizer", "PaLM2's SentencePiece", "UTF-8 bytes, shared"),
                List.of("D_C", "7% of m_A's code data", String.format(Locale.ROOT, "%,d", pairs) + " methods ("
                        + Math.round(100 * data.compositionShare()) + "% of m_A's documented methods) as "
                        + "documentation-to-code and code-to-documentation pairs"),
                List.of("Connections read", "m_A's layer outputs", reads),
                List.of("Code completion", "HumanEval, pass@1 (tests run)", "the next line of a held-out method, exact match "
                        + "and chrF (no tests: the library's methods have none of their own)"),
                List.of("Text to code", "MBPP, pass@1 (tests run)", "the body from the Javadoc's first sentence and the "
                        + "signature: chrF, BLEU and the share that parses (no tests run)"),
                List.of("Code to text", "CodeXGLUE, six languages, chrF", "Java only: the Javadoc's first sentence of a "
                        + "held-out method, chrF, BLEU and ROUGE-L"),
                List.of("Held out", "the benchmarks' own problems", data.evalLibrary() + ", never in any training set; "
                        + "near duplicates of training code left out (data/" + CodeDatasets.DROPPED_FILE + ")"),
                List.of("Tuning", "not stated per system", config.selection().searches()
                        ? "one grid for every system trained on D_C, chosen on D_C's validation split (below)"
                        : "the training section as written, the same for every system"));
        return new Summary("setup", "This run against the paper's section 4.3", List.of("", "Paper", "Here"), rows,
                "Every choice and why: docs/code.md.");
    }

    /** A few examples of each task with what m_A, m_B and CALM wrote. */
    Summary sideBySide(Map<String, Map<String, TaskOutputs>> outputs) {
        List<List<String>> rows = new ArrayList<>();
        for (EvalTask task : tasks()) {
            Map<String, TaskOutputs> bySystem = outputs.get(task.name());
            if (bySystem == null || !bySystem.containsKey(SavedSystems.CALM)) {
                continue;
            }
            List<ExampleOutput> calm = bySystem.get(SavedSystems.CALM).examples();
            for (int i = 0; i < Math.min(SHOWN_EXAMPLES, calm.size()); i++) {
                List<String> row = new ArrayList<>();
                row.add(task.name());
                row.add(tail(calm.get(i).prompt()));
                row.add(calm.get(i).expected());
                for (String system : List.of(SavedSystems.M_A, SavedSystems.M_B, SavedSystems.CALM)) {
                    TaskOutputs systemOutputs = bySystem.get(system);
                    row.add(systemOutputs == null ? "" : systemOutputs.examples().get(i).output());
                }
                rows.add(row);
            }
        }
        return new Summary("examples", "Examples side by side (the first of each task)",
                List.of("Task", "Prompt (its end)", "Expected", "m_A", "m_B", "CALM"), rows,
                "Prompts are cut to their last 160 characters; every output is in outputs/.");
    }

    private static String tail(String prompt) {
        return prompt.length() <= 160 ? prompt : "…" + prompt.substring(prompt.length() - 160);
    }

    private static String describe(ModelSpec spec) {
        return String.format(Locale.ROOT, "a %d-layer GPT of width %d, %d updates of %d", spec.architecture().numLayers(),
                spec.architecture().hiddenSize(), spec.training().steps(), spec.training().batchSize());
    }
}
