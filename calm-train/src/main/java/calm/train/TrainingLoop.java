package calm.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import calm.compose.AugmentingStates;
import calm.compose.ComposedModel;
import calm.model.DecoderLM;
import calm.model.LanguageModel;
import calm.train.checkpoint.Checkpoint;
import calm.train.stop.StopRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Trains any {@link LanguageModel} through its {@link LanguageModel#trainableParameters()}: every
 * parameter of a decoder trained from scratch or fine-tuned, or only the connections of a
 * composition.
 *
 * <p>Each update reads {@code batchSize * gradientAccumulation} examples in the order of
 * {@link DataOrder}, sums the gradients of its micro-batches (each loss is divided by the update's
 * total number of completion tokens, so accumulation equals one large batch), clips them to a
 * global norm, and applies {@link AdamW} with the {@link LearningRateSchedule}. Every update runs
 * in its own NDManager scope, so memory stays flat, and re-seeds the engine's generator from
 * (seed, update), so a run is a function of its config and seed. A job's folder holds
 * {@value #METRICS} and {@value #CHECKPOINTS}/; a resumed job continues from the newest checkpoint
 * to the same parameters, bit for bit, as a run that was never interrupted.
 *
 * <p>With {@code predictTokens} above 1 the model, which must then be a {@link DecoderLM} trained
 * whole, trains with the heads of {@link MultiTokenPrediction}; they are checkpointed with it, and
 * the caller reads them from the last checkpoint ({@code calm pretrain} saves them beside the
 * model). With {@code positionShift} above 0 each sequence's position ids start at a
 * random offset (drawn from the seed, the update and the micro-batch).
 *
 * <p>A composition ({@link ComposedModel}) trained over its examples more than once reads its frozen
 * augmenting models' states over them from a table computed before the first update
 * ({@link AugmentingStates}), instead of running those models at every update.
 *
 * <p>A loss or gradient norm that is not finite stops the job before that update with a
 * {@link NonFiniteLossException}; the last checkpoint stays as it was.
 */
public final class TrainingLoop {

    /** The metrics file in a job's folder. */
    public static final String METRICS = "metrics.jsonl";
    /** The checkpoints folder in a job's folder. */
    public static final String CHECKPOINTS = "checkpoints";

    /** The most memory a composition's augmenting states over its training sequences may hold (1 GiB). */
    public static final long HELD_STATES_LIMIT = 1L << 30;

    private static final Logger LOG = LogManager.getLogger(TrainingLoop.class);

    private final String name;
    private final LanguageModel model;
    private final List<TrainingExample> examples;
    private final TrainingConfig config;
    private final int padToken;
    private final Path folder;
    private final Map<String, ?> provenance;
    private final Evaluation evaluation;
    private final Progress progress;
    private final BiFunction<Integer, NDArray, NDArray> lossHook;
    private final boolean holdStates;

    private TrainingLoop(Builder builder) {
        name = builder.name;
        model = Objects.requireNonNull(builder.model, "model");
        examples = List.copyOf(Objects.requireNonNull(builder.examples, "examples"));
        config = Objects.requireNonNull(builder.config, "config");
        padToken = builder.padToken;
        folder = Objects.requireNonNull(builder.folder, "folder");
        provenance = builder.provenance == null ? Map.of() : builder.provenance;
        evaluation = builder.evaluation;
        progress = builder.progress != null ? builder.progress : Progress.forEnvironment(config.logInterval());
        lossHook = builder.lossHook;
        holdStates = builder.holdStates;
    }

    /** @return a builder for training the given model */
    public static Builder builder(LanguageModel model) {
        return new Builder(model);
    }

    /** @return the folder of the job: metrics and checkpoints */
    public Path folder() {
        return folder;
    }

    /**
     * Runs the job to {@code config.steps()} updates.
     *
     * @param manager the manager the model's parameters live on; every scope is opened under it
     * @param resume continue from the newest checkpoint in the job's folder (from scratch if there
     *     is none); without it, a folder that already holds a checkpoint is an error
     * @throws NonFiniteLossException when a loss or gradient norm is not finite
     * @throws IllegalStateException when the folder holds a checkpoint and resume is false, or the
     *     checkpoint was written with other training settings
     */
    public TrainingResult run(NDManager manager, boolean resume) throws IOException {
        if (config.positionShift() > 0) {
            if (!model.readsPositionOffsets()) {
                throw new IllegalArgumentException("positionShift " + config.positionShift() + " needs a decoder trained "
                        + "whole (pretraining), not " + model.getClass().getSimpleName());
            }
            int longest = examples.stream().mapToInt(TrainingExample::inputLength).max().orElse(0);
            if (longest + config.positionShift() > model.contextLength()) {
                throw new IllegalArgumentException("positionShift " + config.positionShift() + " moves an input of "
                        + longest + " tokens up to position " + (longest + config.positionShift() - 1)
                        + ", beyond the model's context length of " + model.contextLength());
            }
        }
        try (NDManager heads = manager.newSubManager()) {
            LanguageModel trained = holdStates ? holdingStates(heads) : model;
            TrainingObjective objective = TrainingObjective.nextToken(trained);
            if (config.predictTokens() > 1) {
                MultiTokenPrediction multiToken = MultiTokenPrediction.of(model, config.predictTokens(), heads);
                trained = multiToken;
                objective = multiToken;
                LOG.info("{}: multi-token prediction, {} tokens per position (the trained parameters below include its "
                        + "heads, which are checkpointed with the model)", name, config.predictTokens());
            }
            return run(trained, objective, manager, resume);
        }
    }

    /**
     * The model reading its frozen parts' outputs over the training sequences from a table computed
     * once ({@link LanguageModel#holding}; a composition's augmenting models' states,
     * {@link AugmentingStates}), so that no update runs them: when the model has such parts, the
     * updates read each example more than once on average and the table fits in
     * {@link #HELD_STATES_LIMIT}. Otherwise the model itself.
     */
    private LanguageModel holdingStates(NDManager manager) {
        int longest = examples.stream().mapToInt(TrainingExample::inputLength).max().orElse(0);
        long bytes = model.heldBytes(examples.size(), longest);
        if (bytes == 0 || (long) config.steps() * config.sequencesPerStep() <= examples.size()) {
            return model;
        }
        if (bytes > HELD_STATES_LIMIT) {
            LOG.info("{}: the augmenting models run at every update: their states over the {} training sequences would "
                    + "take {} MiB, over the limit of {} MiB", name, String.format("%,d", examples.size()),
                    bytes >> 20, HELD_STATES_LIMIT >> 20);
            return model;
        }
        long start = System.nanoTime();
        LanguageModel holding = model.holding(examples.stream().map(TrainingExample::input).toList(), config.batchSize(),
                padToken, manager);
        LOG.info("{}: m_A's states over the {} training sequences computed once ({} MiB, {}); updates read them", name, String.format("%,d", examples.size()),
                String.format("%.1f", bytes / (double) (1 << 20)), String.format("%.1f s", (System.nanoTime() - start) / 1e9));
        return holding;
    }

    private TrainingResult run(LanguageModel trained, TrainingObjective objective, NDManager manager, boolean resume)
            throws IOException {
        Map<String, Parameter> parameters = TrainableParameters.of(trained);
        Path checkpoints = folder.resolve(CHECKPOINTS);
        Optional<Checkpoint> existing = Checkpoint.latest(checkpoints);
        if (existing.isPresent() && !resume) {
            throw new IllegalStateException(folder + " already holds a checkpoint at step " + existing.get().step()
                    + ": resume it, or delete the folder to start over");
        }
        Checkpoint last = resume ? existing.orElse(null) : null;
        if (last != null && !last.training().equals(config)) {
            throw new IllegalStateException("cannot resume from " + last.folder() + ": it was written with training settings "
                    + last.training() + ", this job has " + config);
        }
        int first = last == null ? 0 : last.step();
        LearningRateSchedule schedule = LearningRateSchedule.of(config);
        long start = System.nanoTime();
        try (StopRequest.SafePoints safe = StopRequest.safePoint();
                NDManager state = manager.newSubManager();
                MetricsLog metrics = MetricsLog.open(folder.resolve(METRICS), resume ? first : -1);
                Progress shown = progress) {
            AdamW optimizer = AdamW.builder(config, first).stateManager(state).build();
            if (last != null) {
                last.restore(parameters, optimizer, manager);
                LOG.info("{}: resumed from {} (step {})", name, last.folder(), first);
            }
            LOG.info("{}: {} trained parameters, {} examples, {} updates of {} sequences", name,
                    String.format("%,d", TrainableParameters.count(parameters)), String.format("%,d", examples.size()),
                    config.steps(), config.sequencesPerStep());
            DataOrder order = new DataOrder(examples.size(), config.seed());
            shown.started(name, first, config.steps());
            Map<String, Double> evaluated = Map.of();
            double lastLoss = last == null ? Double.NaN : last.loss();
            double intervalLoss = 0;
            int intervalSteps = 0;
            long intervalTokens = 0;
            long intervalNanos = 0;
            for (int update = first + 1; update <= config.steps(); update++) {
                long stepStart = System.nanoTime();
                Update made = update(objective, update, order, parameters, optimizer, manager,
                        last == null ? null : last.folder());
                double loss = made.loss();
                intervalTokens += made.inputTokens();
                intervalNanos += System.nanoTime() - stepStart;
                intervalLoss += loss;
                intervalSteps++;
                lastLoss = loss;
                StepReport report = new StepReport(update, config.steps(), loss, intervalLoss / intervalSteps, intervalSteps,
                        schedule.rate(update), made.gradientNorm(),
                        intervalTokens / (intervalNanos / 1e9));
                shown.stepped(report);
                boolean end = update == config.steps();
                Map<String, Double> now = null;
                if (evaluation != null && (end || (config.evalInterval() > 0 && update % config.evalInterval() == 0))) {
                    try (NDManager scope = manager.newSubManager()) {
                        now = evaluation.evaluate(update, model, scope);
                    }
                    evaluated = now;
                    shown.evaluated(update, now);
                }
                if (end || now != null || update % config.logInterval() == 0) {
                    metrics.write(report, now, config.predictTokens());
                    intervalLoss = 0;
                    intervalSteps = 0;
                    intervalTokens = 0;
                    intervalNanos = 0;
                }
                if (end || (config.checkpointInterval() > 0 && update % config.checkpointInterval() == 0)) {
                    last = Checkpoint.write(checkpoints, update, loss, config, parameters, optimizer, provenance);
                }
                if (!end && StopRequest.requested() != null) {
                    // The safe point: the update is complete; a checkpoint of it lets the job continue bitwise.
                    if (last == null || last.step() != update) {
                        last = Checkpoint.write(checkpoints, update, loss, config, parameters, optimizer, provenance);
                    }
                    shown.close();
                    safe.check(name + " stopped after update " + update + " of " + config.steps() + ", checkpoint "
                            + last.folder() + "; the same command continues from it (calm run does; pretrain, compose "
                            + "and finetune with --resume)");
                }
            }
            // The bar's last drawing ends its line before anything else is logged below it.
            shown.close();
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("{}: done, step {} in {}", name, config.steps(), String.format("%.1f s", seconds));
            return new TrainingResult(first, config.steps(), lastLoss, evaluated, last == null ? null : last.folder(), seconds);
        }
    }

    /** What one update measured. */
    private record Update(double loss, double gradientNorm, long inputTokens) {}

    /**
     * Makes one update in its own scope: the micro-batches' forward and backward passes, the
     * finiteness checks, clipping and the AdamW step.
     */
    private Update update(TrainingObjective objective, int update, DataOrder order, Map<String, Parameter> parameters,
            AdamW optimizer, NDManager manager, Path lastCheckpoint) {
        Engine engine = Engine.getInstance();
        engine.setRandomSeed(Seeds.engineSeed(config.seed(), update));
        List<List<TrainingExample>> microBatches = microBatches(order, update);
        int targets = microBatches.stream().flatMap(List::stream).mapToInt(e -> e.completion().length).sum();
        double loss = 0;
        long inputTokens = 0;
        try (NDManager scope = manager.newSubManager()) {
            for (int m = 0; m < microBatches.size(); m++) {
                List<TrainingExample> part = microBatches.get(m);
                try (NDManager micro = scope.newSubManager()) {
                    TrainingBatch batch = TrainingBatch.of(part, padToken, model.contextLength(), micro);
                    if (config.positionShift() > 0) {
                        batch = batch.withPositionOffsets(positionOffsets(update, m, part.size(), micro));
                    }
                    try (GradientCollector collector = engine.newGradientCollector()) {
                        NDArray partLoss = objective.loss(batch, targets);
                        if (lossHook != null) {
                            partLoss = lossHook.apply(update, partLoss);
                        }
                        collector.backward(partLoss);
                        loss += partLoss.getFloat();
                    }
                    inputTokens += batch.inputTokens();
                }
            }
            if (!Double.isFinite(loss)) {
                throw new NonFiniteLossException(name, update, "loss", loss, lastCheckpoint);
            }
            List<NDArray> gradients = new ArrayList<>();
            for (Parameter parameter : parameters.values()) {
                NDArray gradient = parameter.getArray().getGradient();
                gradient.attach(scope);
                gradients.add(gradient);
            }
            double gradientNorm = globalNorm(gradients);
            if (!Double.isFinite(gradientNorm)) {
                List<String> culprits = new ArrayList<>();
                int k = 0;
                for (String parameter : parameters.keySet()) {
                    if (!Float.isFinite(gradients.get(k++).square().sum().getFloat())) {
                        culprits.add(parameter);
                    }
                }
                throw new NonFiniteLossException(name, update, "gradient norm (of " + String.join(", ", culprits) + ")",
                        gradientNorm, lastCheckpoint);
            }
            float scale = config.clipNorm() > 0 && gradientNorm > config.clipNorm()
                    ? (float) (config.clipNorm() / (gradientNorm + 1e-6))
                    : 1f;
            int i = 0;
            for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
                NDArray gradient = gradients.get(i++);
                optimizer.update(entry.getKey(), entry.getValue().getArray(), scale == 1f ? gradient : gradient.mul(scale));
            }
            return new Update(loss, gradientNorm, inputTokens);
        }
    }

    /**
     * Draws where each sequence of a micro-batch starts, in [0, positionShift], from (seed, update,
     * micro-batch) alone, so a resumed job draws the same.
     *
     * @return int64 [rows, 1]
     */
    private NDArray positionOffsets(int update, int microBatch, int rows, NDManager manager) {
        Random random = new Random(Seeds.derive(config.seed(), "position-shift",
                (long) (update - 1) * config.gradientAccumulation() + microBatch));
        long[] offsets = new long[rows];
        for (int i = 0; i < rows; i++) {
            offsets[i] = random.nextInt(config.positionShift() + 1);
        }
        return manager.create(offsets, new Shape(rows, 1));
    }

    /** The examples of each micro-batch of an update, in the data order. */
    private List<List<TrainingExample>> microBatches(DataOrder order, int update) {
        List<List<TrainingExample>> parts = new ArrayList<>();
        long position = (long) (update - 1) * config.sequencesPerStep();
        for (int m = 0; m < config.gradientAccumulation(); m++) {
            List<TrainingExample> part = new ArrayList<>();
            for (int index : order.indices(position + (long) m * config.batchSize(), config.batchSize())) {
                part.add(examples.get(index));
            }
            parts.add(part);
        }
        return parts;
    }

    /** @return sqrt of the sum of squares of every gradient, read back as one number */
    static double globalNorm(List<NDArray> gradients) {
        NDArray total = null;
        for (NDArray gradient : gradients) {
            NDArray squares = gradient.square().sum();
            total = total == null ? squares : total.add(squares);
        }
        return Math.sqrt(total.getFloat());
    }

    /** Configures a {@link TrainingLoop}. */
    public static final class Builder {
        private final LanguageModel model;
        private String name = "train";
        private List<TrainingExample> examples;
        private TrainingConfig config;
        private int padToken;
        private Path folder;
        private Map<String, ?> provenance;
        private Evaluation evaluation;
        private Progress progress;
        private BiFunction<Integer, NDArray, NDArray> lossHook;
        private boolean holdStates = true;

        private Builder(LanguageModel model) {
            this.model = model;
        }

        /** Names the job in logs and errors (default "train"). */
        public Builder name(String jobName) {
            this.name = jobName;
            return this;
        }

        /** Sets the training examples (required, non-empty). */
        public Builder examples(List<TrainingExample> trainingExamples) {
            this.examples = trainingExamples;
            return this;
        }

        /** Sets the training settings (required). */
        public Builder config(TrainingConfig trainingConfig) {
            this.config = trainingConfig;
            return this;
        }

        /** Sets the id written into padding (default 0). */
        public Builder padToken(int id) {
            this.padToken = id;
            return this;
        }

        /** Sets the job's folder, for metrics and checkpoints (required). */
        public Builder folder(Path jobFolder) {
            this.folder = jobFolder;
            return this;
        }

        /** Sets the provenance saved with every checkpoint. */
        public Builder provenance(Map<String, ?> map) {
            this.provenance = map;
            return this;
        }

        /** Sets the periodic evaluation (default none). */
        public Builder evaluation(Evaluation periodic) {
            this.evaluation = periodic;
            return this;
        }

        /** Sets how progress is shown (default {@link Progress#forEnvironment}). */
        public Builder progress(Progress display) {
            this.progress = display;
            return this;
        }

        /**
         * Whether a composition's frozen augmenting models run once over the training sequences
         * and every update reads their states (default true; see {@link AugmentingStates}), or run
         * at every update. The held states take memory: at most {@link #HELD_STATES_LIMIT}, else
         * the models run at every update anyway.
         */
        public Builder holdAugmentingStates(boolean hold) {
            this.holdStates = hold;
            return this;
        }

        /**
         * Transforms each micro-batch loss before the backward pass, given the update number: a
         * fault-injection hook for tests (a NaN loss at update k).
         */
        Builder lossHook(BiFunction<Integer, NDArray, NDArray> hook) {
            this.lossHook = hook;
            return this;
        }

        /** @return the loop */
        public TrainingLoop build() {
            if (examples == null || examples.isEmpty()) {
                throw new IllegalArgumentException("a training job needs at least one example");
            }
            return new TrainingLoop(this);
        }
    }
}
