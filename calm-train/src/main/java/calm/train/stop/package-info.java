/** Stopping a job on SIGTERM or SIGINT at a safe point, with a checkpoint to continue from. */
package calm.train.stop;
