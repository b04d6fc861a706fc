/**
 * Synthetic data for the key-value arithmetic experiment of CALM (arXiv 2401.02412, section 4.1).
 *
 * <p>A {@link calm.kv.data.KeyValueStore} maps short letter keys to unique integers. Expressions over
 * keys ({@link calm.kv.data.KeyExpression}) and over numbers ({@link calm.kv.data.NumericExpression}) are
 * rendered into examples of three tasks ({@link calm.kv.data.KvTask}): KV-Substitution teaches the
 * augmenting model m_A the store, Numeric-Arithmetic teaches the anchor m_B to compute, and
 * KV-Arithmetic needs both. {@link calm.kv.data.KvArithmeticDatasets#build} makes every split of the
 * experiment from one seed; {@link calm.kv.data.KvDatasetFiles} writes them as JSON Lines; and
 * {@link calm.data.CharVocabulary} is the character-level tokenizer the small models read them with.
 * The formats and every choice made against the paper's are described in {@code datasets/README.md}.
 */
package calm.kv.data;
