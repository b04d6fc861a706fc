/**
 * The training jobs of the key-value arithmetic experiment ({@link
 * calm.train.experiment.KvExperiment}): pretraining m_A and m_B, training their composition, and
 * the fine-tuning baseline, all driven by one config; and the composition of two existing model
 * folders on prompt/completion text ({@link calm.train.experiment.FolderComposition}).
 */
package calm.train.experiment;
