package calm.train.experiment;

import calm.data.Vocabulary;
import calm.train.config.ExperimentConfig;
import calm.train.config.LoadedConfig;

/**
 * One kind of experiment, as a config's {@code experiment} field names it (key-value arithmetic,
 * translation, ...): its data section, its tokenizer, its defaults and its jobs. The generic
 * commands ({@code pretrain}, {@code compose}, {@code finetune}, {@code eval}, {@code run}) find
 * kinds through {@link java.util.ServiceLoader} ({@link ExperimentKinds}), so a new experiment is a
 * package of its own plus a line in {@code META-INF/services}, and knows nothing of the others.
 */
public interface ExperimentKind {

    /** @return the config's name for it, e.g. {@code kv-arithmetic}: lower-case letters, digits and '-' */
    String name();

    /** @return one line on what it is, for errors that list the kinds */
    String description();

    /** @return the tokenizer every model of the experiment reads */
    Vocabulary vocabulary();

    /** @return the record its {@code data} section binds to */
    Class<? extends ExperimentData> dataType();

    /**
     * @param configName the config file's name without {@code .yaml}, which names the default
     *     output folder {@code runs/<configName>}
     * @return every section's default, the ones a config file lays its fields over
     */
    ExperimentConfig defaults(String configName);

    /**
     * Checks what no single section can and what is particular to this kind, before anything runs.
     *
     * @throws calm.train.config.ConfigException naming the field ({@link LoadedConfig#error})
     */
    default void validate(LoadedConfig loaded) {}

    /** @return whether the kind's jobs train the further CALM rows of a config's {@code variants} section (none do by default) */
    default boolean trainsVariants() {
        return false;
    }

    /**
     * @return whether the kind trains and evaluates the training-free combinations of
     *     {@code merging}; false by default
     */
    default boolean trainsMerges() {
        return false;
    }

    /** @return the experiment of a config of this kind */
    Experiment open(LoadedConfig loaded);
}
