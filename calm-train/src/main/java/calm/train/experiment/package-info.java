/**
 * Experiments as plug-ins: a config's {@code experiment} field names an {@link
 * calm.train.experiment.ExperimentKind} (found through {@link java.util.ServiceLoader}), which binds
 * its data section and opens an {@link calm.train.experiment.Experiment}: a graph of
 * {@link calm.train.experiment.Job}s that the generic commands run. Also the composition of two
 * existing model folders on prompt/completion text ({@link calm.train.experiment.FolderComposition}).
 */
package calm.train.experiment;
