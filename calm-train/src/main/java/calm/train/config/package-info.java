/**
 * Experiment configs: YAML files read strictly into records ({@link
 * calm.train.config.ExperimentConfig}, {@link calm.train.config.FolderCompositionConfig}) by {@link calm.train.config.ConfigLoader}, every error a
 * {@link calm.train.config.ConfigException} naming the file, line, field and what is allowed.
 * Every field is documented in {@code docs/configs.md}.
 */
package calm.train.config;
