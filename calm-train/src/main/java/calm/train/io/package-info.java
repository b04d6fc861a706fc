/**
 * Saved trained compositions ({@link calm.train.io.CompositionFolder}) and atomic folder writes
 * ({@link calm.train.io.Folders}).
 */
package calm.train.io;
