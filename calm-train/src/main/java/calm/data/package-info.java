/**
 * What every experiment's data shares: the {@link calm.data.Vocabulary} a model reads (the
 * character-level {@link calm.data.CharVocabulary} of the key-value experiment, the byte-level
 * {@link calm.data.ByteVocabulary} of real text), and {@link calm.data.TextExample}s, prompts and
 * completions read from JSON Lines files, which compositions of existing model folders train on.
 * Each experiment's own data lives in its package ({@code calm.kv.data}, {@code calm.translation}).
 */
package calm.data;
