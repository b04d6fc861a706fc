/**
 * A training job's saved state ({@link calm.train.checkpoint.Checkpoint}): parameters, AdamW's
 * moments, the step and the settings, written atomically so that a killed job can resume exactly.
 */
package calm.train.checkpoint;
