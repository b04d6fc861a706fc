package calm.eval.run;

import calm.eval.task.EvalTask;
import java.util.List;

/**
 * One system's outputs on every example of one task, in task order.
 *
 * @param task the task
 * @param system the system's name
 * @param examples the outputs
 */
public record TaskOutputs(EvalTask task, String system, List<ExampleOutput> examples) {

    /** Copies the list. */
    public TaskOutputs {
        examples = List.copyOf(examples);
    }

    /** @return 1 for each correct example, 0 for each wrong one, in task order */
    public double[] outcomes() {
        return examples.stream().mapToDouble(example -> example.correct() ? 1 : 0).toArray();
    }

    /** @return the fraction of examples that are correct */
    public double accuracy() {
        return examples.stream().filter(ExampleOutput::correct).count() / (double) examples.size();
    }
}
