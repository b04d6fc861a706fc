package calm.translation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the translation experiment's data holds (CALM, arXiv 2401.02412, section 4.2, at CPU scale):
 * which UDHR languages m_A learns and D_C teaches, which articles are held out, and how much text
 * the anchor m_B gets. The field names are the config's.
 *
 * @param languages the UDHR codes of the source languages: m_A learns all of them, and each is
 *     evaluated; English ({@value Udhr#ENGLISH}) is the target and not among them
 * @param compositionLanguages the languages whose pairs make D_C; a subset of {@code languages}
 * @param heldOutArticles the articles held out for evaluation, in every language, English included:
 *     no model is trained on them (0 is the preamble, 1 to 30 the articles)
 * @param validationArticles the articles whose composition-language pairs are D_C's validation split:
 *     in m_A's corpus, but neither in D_C's training split nor evaluated
 * @param compositionShare the share, in (0, 1], of each composition language's training pairs drawn
 *     into D_C
 * @param maxSourceBytes the most UTF-8 bytes of a source-language paragraph (UDHR language or Spanish);
 *     longer ones are dropped everywhere
 * @param maxTargetBytes the most UTF-8 bytes of an English paragraph or passage; longer ones are dropped
 * @param anchorProse how many State of the Union passages m_B is trained on
 * @param anchorPairs how many Spanish-English verse pairs m_B is trained on
 * @param anchorHeldOut how many further verse pairs measure m_B's own translation skill
 */
public record TranslationSettings(List<String> languages, List<String> compositionLanguages,
        List<Integer> heldOutArticles, List<Integer> validationArticles, double compositionShare,
        int maxSourceBytes, int maxTargetBytes, int anchorProse, int anchorPairs, int anchorHeldOut) {

    /** The highest article number of the declaration. */
    public static final int LAST_ARTICLE = 30;

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_]+");

    /** Checks every field; a message names the field, the value and what is allowed. */
    public TranslationSettings {
        languages = codes("languages", languages);
        if (languages.contains(Udhr.ENGLISH)) {
            throw new IllegalArgumentException("languages: " + Udhr.ENGLISH + " is the target language; list only "
                    + "source languages, got " + languages);
        }
        compositionLanguages = codes("compositionLanguages", compositionLanguages);
        for (String language : compositionLanguages) {
            if (!languages.contains(language)) {
                throw new IllegalArgumentException("compositionLanguages: " + language + " is not in languages "
                        + languages + "; D_C may only use languages m_A learns");
            }
        }
        heldOutArticles = articles("heldOutArticles", heldOutArticles);
        validationArticles = articles("validationArticles", validationArticles);
        for (int article : validationArticles) {
            if (heldOutArticles.contains(article)) {
                throw new IllegalArgumentException("validationArticles: article " + article + " is also in "
                        + "heldOutArticles; an article is held out or used for validation, not both");
            }
        }
        if (heldOutArticles.size() + validationArticles.size() > LAST_ARTICLE) {
            throw new IllegalArgumentException("heldOutArticles and validationArticles together take "
                    + (heldOutArticles.size() + validationArticles.size()) + " of the 31 articles (0 to "
                    + LAST_ARTICLE + "); at least one must be left for training");
        }
        if (!(compositionShare > 0 && compositionShare <= 1)) {
            throw new IllegalArgumentException("compositionShare must be in (0, 1], got " + compositionShare);
        }
        atLeast("maxSourceBytes", maxSourceBytes, 1);
        atLeast("maxTargetBytes", maxTargetBytes, 1);
        atLeast("anchorProse", anchorProse, 0);
        atLeast("anchorPairs", anchorPairs, 0);
        atLeast("anchorHeldOut", anchorHeldOut, 0);
    }

    /**
     * The settings of the CPU-scale experiment: twelve low-resource languages written in Latin script
     * that align paragraph for paragraph with English on every article of udhr 6.0.0, half of them
     * in D_C; five articles held out and three for validation.
     *
     * @return the default settings
     */
    public static TranslationSettings defaults() {
        return new TranslationSettings(
                List.of("ace", "bcl", "cha", "hat_popular", "mri", "niu", "smo", "tpi", "tsn", "war", "wol", "xho"),
                List.of("ace", "hat_popular", "smo", "tpi", "tsn", "war"),
                List.of(2, 9, 16, 21, 26), List.of(5, 12, 19), 1.0, 1024, 1024, 2000, 4000, 300);
    }

    /**
     * @param newLanguages the languages m_A learns
     * @param newCompositionLanguages those D_C uses
     * @return these settings with other languages
     */
    public TranslationSettings withLanguages(List<String> newLanguages, List<String> newCompositionLanguages) {
        return new TranslationSettings(newLanguages, newCompositionLanguages, heldOutArticles, validationArticles,
                compositionShare, maxSourceBytes, maxTargetBytes, anchorProse, anchorPairs, anchorHeldOut);
    }

    /**
     * @param newHeldOutArticles the articles held out for evaluation
     * @param newValidationArticles the articles of D_C's validation split
     * @return these settings with other articles
     */
    public TranslationSettings withArticles(List<Integer> newHeldOutArticles, List<Integer> newValidationArticles) {
        return new TranslationSettings(languages, compositionLanguages, newHeldOutArticles, newValidationArticles,
                compositionShare, maxSourceBytes, maxTargetBytes, anchorProse, anchorPairs, anchorHeldOut);
    }

    /**
     * @param prose State of the Union passages for m_B
     * @param pairs verse pairs for m_B
     * @param heldOut verse pairs held out from m_B
     * @return these settings with other anchor sizes
     */
    public TranslationSettings withAnchor(int prose, int pairs, int heldOut) {
        return new TranslationSettings(languages, compositionLanguages, heldOutArticles, validationArticles,
                compositionShare, maxSourceBytes, maxTargetBytes, prose, pairs, heldOut);
    }

    /**
     * @param share the share of the composition languages' training pairs in D_C
     * @return these settings with another share
     */
    public TranslationSettings withCompositionShare(double share) {
        return new TranslationSettings(languages, compositionLanguages, heldOutArticles, validationArticles,
                share, maxSourceBytes, maxTargetBytes, anchorProse, anchorPairs, anchorHeldOut);
    }

    /**
     * @param sourceBytes the most bytes of a source paragraph
     * @param targetBytes the most bytes of an English paragraph
     * @return these settings with other limits
     */
    public TranslationSettings withMaxBytes(int sourceBytes, int targetBytes) {
        return new TranslationSettings(languages, compositionLanguages, heldOutArticles, validationArticles,
                compositionShare, sourceBytes, targetBytes, anchorProse, anchorPairs, anchorHeldOut);
    }

    private static List<String> codes(String field, List<String> codes) {
        if (codes == null || codes.isEmpty()) {
            throw new IllegalArgumentException(field + " must list at least one UDHR code (a declaration's file name "
                    + "such as cym or hat_popular), got " + codes);
        }
        Set<String> seen = new HashSet<>();
        for (String code : codes) {
            if (code == null || !CODE.matcher(code).matches()) {
                throw new IllegalArgumentException(field + ": '" + code + "' is not a UDHR code (letters, digits and _, "
                        + "such as cym or hat_popular)");
            }
            if (!seen.add(code)) {
                throw new IllegalArgumentException(field + ": " + code + " is listed twice");
            }
        }
        return List.copyOf(codes);
    }

    private static List<Integer> articles(String field, List<Integer> articles) {
        if (articles == null || articles.isEmpty()) {
            throw new IllegalArgumentException(field + " must list at least one article number (0 is the preamble, 1 to "
                    + LAST_ARTICLE + " the articles), got " + articles);
        }
        List<Integer> checked = new ArrayList<>();
        for (Integer article : articles) {
            if (article == null || article < 0 || article > LAST_ARTICLE) {
                throw new IllegalArgumentException(field + ": " + article + " is not an article number; allowed are 0 "
                        + "(the preamble) to " + LAST_ARTICLE);
            }
            if (checked.contains(article)) {
                throw new IllegalArgumentException(field + ": article " + article + " is listed twice");
            }
            checked.add(article);
        }
        return List.copyOf(checked);
    }

    private static void atLeast(String field, int value, int least) {
        if (value < least) {
            throw new IllegalArgumentException(field + " must be at least " + least + ", got " + value);
        }
    }
}
