package calm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import calm.generate.DecodingConfig;
import calm.generate.Generator;
import calm.model.DecoderLM;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exact match on held-out examples whose longest prompt and longest completion do not fit the context together. */
class HeldOutEvaluationTest {

    @Test
    void aLongPromptAndALongCompletionOfOtherExamplesEachGetTheRoomTheirOwnExampleNeeds() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM model = TinyTraining.gpt(manager, 7);
            assertEquals(16, model.contextLength());
            // A prompt of 3 tokens whose completion is the model's own 10-token greedy continuation: at most 14 of 16.
            int[] shortPrompt = {TinyTraining.BOS, 5, 6};
            Generator.Output own = Generator.generate(model, List.of(shortPrompt),
                    DecodingConfig.greedy(10, TinyTraining.EOS), manager).get(0);
            int[] longCompletion = own.stopped() ? append(own.tokens(), TinyTraining.EOS) : own.tokens();
            // A prompt of 13 tokens with a 2-token completion: 15 of 16. Together, 13 + 10 would not fit.
            int[] longPrompt = new int[13];
            Arrays.fill(longPrompt, 4);
            longPrompt[0] = TinyTraining.BOS;
            List<TrainingExample> examples = List.of(new TrainingExample(shortPrompt, longCompletion),
                    new TrainingExample(longPrompt, new int[] {3, TinyTraining.EOS}));

            Map<String, Double> metrics = new HeldOutEvaluation(Map.of("held", examples), 0, TinyTraining.EOS, 16)
                    .evaluate(model, manager);

            double secondRight = matches(model, longPrompt, manager) ? 1 : 0;
            assertEquals((1 + secondRight) / 2, metrics.get("held.accuracy"), 1e-12);
        }
    }

    @Test
    void lossOnlyReportsTheSameLossWithoutGenerating() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecoderLM model = TinyTraining.gpt(manager, 7);
            Map<String, List<TrainingExample>> held = Map.of("held", TinyTraining.examples(6, 9));
            Map<String, Double> full = new HeldOutEvaluation(held, 0, TinyTraining.EOS, 4).evaluate(model, manager);
            Map<String, Double> loss = HeldOutEvaluation.lossOnly(held, 0, TinyTraining.EOS, 4).evaluate(model, manager);
            assertEquals(List.of("held.loss", "held.accuracy"), List.copyOf(full.keySet()));
            assertEquals(Map.of("held.loss", full.get("held.loss")), loss);
        }
    }

    /** Whether the model's greedy continuation of the long prompt is 3 then EOS. */
    private static boolean matches(DecoderLM model, int[] prompt, NDManager manager) {
        Generator.Output output = Generator.generate(model, List.of(prompt), DecodingConfig.greedy(2, TinyTraining.EOS),
                manager).get(0);
        return output.stopped() && Arrays.equals(output.tokens(), new int[] {3});
    }

    private static int[] append(int[] tokens, int last) {
        int[] longer = Arrays.copyOf(tokens, tokens.length + 1);
        longer[tokens.length] = last;
        return longer;
    }
}
