/**
 * The training jobs of the key-value arithmetic experiment ({@link
 * calm.train.experiment.KvExperiment}): pretraining m_A and m_B, training their composition, and
 * the fine-tuning baseline, all driven by one config.
 */
package calm.train.experiment;
