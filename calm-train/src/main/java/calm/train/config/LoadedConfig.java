package calm.train.config;

import calm.train.TrainingConfig;
import java.nio.file.Path;

/**
 * A configuration and where it came from.
 *
 * @param config the parsed configuration, defaults filled in
 * @param source the file (or resource) it was read from, as given
 * @param name the experiment's name: the file name without {@code .yaml}
 * @param text the file's exact text
 * @param sha256 the SHA-256 of the text
 */
public record LoadedConfig(ExperimentConfig config, String source, String name, String text, String sha256,
        YamlLines lines) {

    /**
     * An error about one field, for problems found after parsing (e.g. a context length too short
     * for the data).
     *
     * @param field the field's dotted path, e.g. {@code models.a.architecture.contextLength}
     * @param problem what is wrong and what is allowed
     */
    public ConfigException error(String field, String problem) {
        int line = lines == null ? -1 : lines.lineOf("/" + field.replace('.', '/').replaceAll("\\[(\\d+)]", "/$1"));
        return new ConfigException(source + (line > 0 ? ":" + line : "") + ": " + field + ": " + problem);
    }

    /** @return the same configuration with every training job capped at {@code steps} updates */
    public LoadedConfig withMaxSteps(int steps) {
        ExperimentConfig c = config;
        ModelsConfig models = new ModelsConfig(
                capped(c.models().a(), steps), capped(c.models().b(), steps));
        SelectionConfig grid = c.selection();
        SelectionConfig selection = grid.searches() ? new SelectionConfig(grid.learningRates(),
                grid.updates().stream().map(u -> Math.min(u, steps)).distinct().toList()) : grid;
        return new LoadedConfig(c.withModels(models).withTraining(capped(c.training(), steps)).withSelection(selection),
                source, name, text, sha256, lines);
    }

    private static ModelSpec capped(ModelSpec model, int steps) {
        PrefixStage stage = model.prefixStage();
        return new ModelSpec(model.architecture(), capped(model.training(), steps), stage.steps() <= steps ? stage
                : new PrefixStage(steps, stage.learningRate(), stage.longest()));
    }

    private static TrainingConfig capped(TrainingConfig training, int steps) {
        return training.steps() <= steps ? training : training.withSteps(steps);
    }

    /** @return the same configuration writing results to another folder */
    public LoadedConfig withOutput(String output) {
        return new LoadedConfig(config.withOutput(output), source, name, text, sha256, lines);
    }

    /** @return the same configuration with other execution settings (how calm run runs its jobs) */
    public LoadedConfig withExecution(ExecutionConfig execution) {
        return new LoadedConfig(config.withExecution(execution), source, name, text, sha256, lines);
    }

    /**
     * The command line's overrides of a config: {@code --output} and {@code --max-steps}.
     *
     * @param output the folder to write to instead of the config's, or null for the config's
     * @param maxSteps the cap on every training job, or null for none
     */
    public LoadedConfig overridden(Path output, Integer maxSteps) {
        LoadedConfig result = output == null ? this : withOutput(output.toString());
        return maxSteps == null ? result : result.withMaxSteps(maxSteps);
    }
}
