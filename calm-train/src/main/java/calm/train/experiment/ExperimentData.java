package calm.train.experiment;

/**
 * The {@code data} section of an experiment's config: each {@link ExperimentKind} binds it to a
 * record of its own ({@link ExperimentKind#dataType()}).
 */
public interface ExperimentData {

    /** @return the seed the data is built with; the same section and seed give the same data */
    long seed();
}
