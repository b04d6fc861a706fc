package calm.eval.run;

import ai.djl.ndarray.NDManager;
import calm.eval.metric.ExactMatch;
import calm.eval.task.EvalTask;
import calm.eval.task.PromptFormat;
import calm.eval.task.TaskExample;
import calm.generate.DecodingConfig;
import calm.generate.Generator;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a system on a task: prompts are generated in batches (left-padded, through
 * {@link Generator}'s caches) with greedy decoding up to the task's stop token, and every output is
 * kept with whether it scores.
 *
 * <p>Every prompt gets the same budget of new tokens: the longest expected answer of the task plus
 * {@link EvalTask#extraTokens()} (for the stop token), cut to what the model's context leaves. An
 * answer that runs past it cannot be right, so scores do not depend on the batch size.
 */
public final class Evaluator {

    private Evaluator() {}

    /** What the evaluator reports as it goes. */
    @FunctionalInterface
    public interface Listener {
        /** Called after each batch with the number of examples it held. */
        void done(int examples);
    }

    /**
     * @param system the system
     * @param task the task
     * @param examples the task's examples, in order
     * @param batchSize prompts generated together
     * @param manager where the generation's arrays live; nothing stays on it
     * @param listener told after each batch
     * @return the outputs, in example order
     * @throws IllegalArgumentException when a prompt leaves no room in the model's context
     */
    public static TaskOutputs run(EvalSystem system, EvalTask task, List<TaskExample> examples, int batchSize,
            NDManager manager, Listener listener) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("task " + task.name() + " has no examples to evaluate");
        }
        PromptFormat format = task.format();
        int longestAnswer = examples.stream().mapToInt(example -> format.length(example.expected())).max().orElseThrow();
        int budget = longestAnswer + task.extraTokens();
        List<ExampleOutput> outputs = new ArrayList<>();
        for (int from = 0; from < examples.size(); from += batchSize) {
            List<TaskExample> batch = examples.subList(from, Math.min(examples.size(), from + batchSize));
            List<int[]> prompts = batch.stream().map(example -> format.encode(example.prompt())).toList();
            int longestPrompt = prompts.stream().mapToInt(prompt -> prompt.length).max().orElseThrow();
            int room = Math.min(budget, system.model().contextLength() - longestPrompt);
            if (room < 1) {
                throw new IllegalArgumentException(system.name() + " cannot answer " + task.name() + ": a prompt of "
                        + longestPrompt + " tokens fills its context of " + system.model().contextLength());
            }
            List<Generator.Output> generated = Generator.generate(system.model(), prompts,
                    DecodingConfig.greedy(room, format.stopToken()), manager);
            for (int i = 0; i < batch.size(); i++) {
                TaskExample example = batch.get(i);
                Generator.Output output = generated.get(i);
                String text = format.decode(output.tokens());
                boolean correct = output.stopped() && ExactMatch.score(text, example.expected()) == 1;
                outputs.add(new ExampleOutput(from + i, example.prompt(), example.expected(), text, output.stopped(), correct));
            }
            listener.done(batch.size());
        }
        return new TaskOutputs(task, system.name(), outputs);
    }
}
