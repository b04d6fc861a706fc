package calm.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import calm.model.DecoderLM;
import calm.model.gpt.GptConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

/** Tiny models and data for training tests. */
final class TinyTraining {

    static final int VOCAB = 12;
    static final int BOS = 1;
    static final int EOS = 2;

    private TinyTraining() {}

    /** A one-layer GPT initialised from a seed. */
    static DecoderLM gpt(NDManager manager, long seed) {
        GptConfig config = new GptConfig(VOCAB, 16, 16, 1, 2, 32, true, GptConfig.Activation.GELU_TANH, 1e-5);
        DecoderLM model = config.newModel();
        Engine.getInstance().setRandomSeed((int) seed);
        model.initialize(manager, DataType.FLOAT32);
        return model;
    }

    /** Prompts of 2-5 random tokens after BOS, completions of 1-3 tokens then EOS. */
    static List<TrainingExample> examples(int count, long seed) {
        Random random = new Random(seed);
        List<TrainingExample> examples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] prompt = new int[1 + 2 + random.nextInt(4)];
            prompt[0] = BOS;
            for (int j = 1; j < prompt.length; j++) {
                prompt[j] = 3 + random.nextInt(VOCAB - 3);
            }
            int[] completion = new int[1 + 1 + random.nextInt(3)];
            for (int j = 0; j < completion.length - 1; j++) {
                completion[j] = 3 + (prompt[1] + j) % (VOCAB - 3);
            }
            completion[completion.length - 1] = EOS;
            examples.add(new TrainingExample(prompt, completion));
        }
        return examples;
    }

    /**
     * Trains the tiny GPT of seed 3 on 10 examples of seed 5.
     *
     * @param hook transforms each micro-batch loss (see {@link #killedAt}); null for none
     * @return the trained parameters' values, by name
     */
    static Map<String, float[]> trainGpt(NDManager manager, Path job, TrainingConfig config, boolean resume,
            BiFunction<Integer, NDArray, NDArray> hook) throws IOException {
        DecoderLM model = gpt(manager, 3);
        TrainingLoop.builder(model)
                .name("tiny")
                .examples(examples(10, 5))
                .config(config)
                .folder(job)
                .progress(Progress.logLines(100))
                .lossHook(hook)
                .build()
                .run(manager, resume);
        return snapshot(TrainableParameters.of(model));
    }

    /** @return a loss hook that kills the job during the given update, after its forward pass */
    static BiFunction<Integer, NDArray, NDArray> killedAt(int update) {
        return (current, loss) -> {
            if (current == update) {
                throw new IllegalStateException("killed");
            }
            return loss;
        };
    }

    /** A short config: 6 updates of 4 sequences. */
    static TrainingConfig config() {
        return TrainingConfig.builder().steps(6).batchSize(4).learningRate(1e-2).minLearningRate(1e-3).warmupSteps(2)
                .evalInterval(0).evalExamples(0).checkpointInterval(2).logInterval(1).seed(7).build();
    }

    /** @return a copy of every parameter's values, by name */
    static Map<String, float[]> snapshot(Map<String, Parameter> parameters) {
        Map<String, float[]> values = new LinkedHashMap<>();
        parameters.forEach((name, p) -> values.put(name, p.getArray().toFloatArray()));
        return values;
    }
}
