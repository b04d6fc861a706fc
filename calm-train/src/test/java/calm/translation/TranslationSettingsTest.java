package calm.translation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The settings' checks name the field and what is allowed. */
class TranslationSettingsTest {

    private static final TranslationSettings BASE = TranslationSettings.defaults();

    @Test
    void defaultsAreValidAndComposeOnASubset() {
        assertEquals(12, BASE.languages().size());
        assertTrue(BASE.languages().containsAll(BASE.compositionLanguages()));
        assertEquals(1.0, BASE.compositionShare());
    }

    @Test
    void eachFieldIsCheckedByName() {
        assertMessage("compositionLanguages: cym is not in languages [ace, bcl, cha, hat_popular, mri, niu, smo, tpi, tsn, "
                + "war, wol, xho]", () -> BASE.withLanguages(BASE.languages(), List.of("cym")));
        assertMessage("languages: eng is the target language", () -> BASE.withLanguages(List.of("cym", "eng"), List.of("cym")));
        assertMessage("languages: cym is listed twice", () -> BASE.withLanguages(List.of("cym", "cym"), List.of("cym")));
        assertMessage("languages: 'fr-FR' is not a UDHR code", () -> BASE.withLanguages(List.of("fr-FR"), List.of("fr-FR")));
        assertMessage("compositionLanguages must list at least one", () -> BASE.withLanguages(List.of("cym"), List.of()));
        assertMessage("heldOutArticles: 31 is not an article number; allowed are 0 (the preamble) to 30",
                () -> BASE.withArticles(List.of(31), List.of(5)));
        assertMessage("validationArticles: article 5 is also in heldOutArticles",
                () -> BASE.withArticles(List.of(2, 5), List.of(5)));
        assertMessage("validationArticles must list at least one", () -> BASE.withArticles(List.of(2), List.of()));
        assertMessage("compositionShare must be in (0, 1], got 0.0", () -> BASE.withCompositionShare(0));
        assertMessage("compositionShare must be in (0, 1], got NaN", () -> BASE.withCompositionShare(Double.NaN));
        assertMessage("maxSourceBytes must be at least 1, got 0", () -> BASE.withMaxBytes(0, 10));
        assertMessage("anchorHeldOut must be at least 0, got -1", () -> BASE.withAnchor(1, 1, -1));
    }

    private static void assertMessage(String start, Supplier<TranslationSettings> settings) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, settings::get);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
