/**
 * Saved trained compositions ({@link calm.train.io.CompositionFolder}), written atomically with
 * {@link calm.io.Folders}.
 */
package calm.train.io;
