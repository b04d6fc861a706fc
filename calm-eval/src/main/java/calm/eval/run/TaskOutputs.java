package calm.eval.run;

import calm.eval.stats.IndexedMetric;
import calm.eval.task.EvalTask;
import calm.eval.task.TaskMetric;
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

    /** @return the outputs scored by one of the task's metrics */
    public IndexedMetric score(TaskMetric metric) {
        boolean[] stopped = new boolean[examples.size()];
        for (int i = 0; i < stopped.length; i++) {
            stopped[i] = examples.get(i).stopped();
        }
        return metric.score(examples.stream().map(ExampleOutput::output).toList(),
                examples.stream().map(ExampleOutput::expected).toList(), stopped);
    }

    /** @return the task's headline metric on all outputs, on the report's 0-100 scale */
    public double headline() {
        TaskMetric metric = task.headline();
        return metric.scale() * score(metric).score();
    }

    /** @return the fraction of examples that are correct */
    public double accuracy() {
        return examples.stream().filter(ExampleOutput::correct).count() / (double) examples.size();
    }
}
