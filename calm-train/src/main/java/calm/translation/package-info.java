/**
 * Data for the low-resource translation experiment of CALM (arXiv 2401.02412, section 4.2) at CPU
 * scale: XX-&gt;English for languages of the Universal Declaration of Human Rights that the augmenting
 * model m_A learns and the anchor m_B never sees.
 *
 * <p>{@link calm.translation.CorpusCache} fetches the three corpora with the {@code npm} client and
 * checks them against the SHA-256s pinned in {@code calm/translation/sources.json} ({@link
 * calm.translation.CorpusSource}). {@link calm.translation.Udhr}, {@link calm.translation.QuranPairs}
 * and {@link calm.translation.SotuProse} read them; {@link calm.translation.TranslationDatasets#build}
 * makes every {@link calm.translation.TranslationSplit} from them and a seed, as {@link
 * calm.translation.TranslationSettings} says, and writes them as JSON Lines. Sources, splits, format
 * and the leak check are described in {@code datasets/translation/README.md}.
 */
package calm.translation;
