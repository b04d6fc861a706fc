package calm.translation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The experiment's splits, built from the committed samples: English, Welsh, Breton and Hawaiian
 * declarations with the preamble and articles 1, 2, 3, 9, 11 and 21 (English paragraphs 10, 1, 2, 1,
 * 1, 2, 3), 16 verse pairs and two State of the Union excerpts. The three languages' preambles are
 * split into other numbers of paragraphs than English's, so article 0 gives them no pairs.
 */
class TranslationDatasetsTest {

    static final TranslationSettings SAMPLE_SETTINGS = new TranslationSettings(List.of("cym", "bre", "haw"),
            List.of("cym", "bre"), List.of(3, 21), List.of(9), 1.0, 1024, 1024, 4, 8, 3);
    static final long SEED = 2401;

    static TranslationDatasets buildSample(TranslationSettings settings, long seed) throws IOException {
        return build(settings, seed, UdhrTest.UDHR, UdhrTest.SAMPLES.resolve("sotu"));
    }

    private static TranslationDatasets build(TranslationSettings settings, long seed, Path udhr, Path sotu)
            throws IOException {
        return TranslationDatasets.build(settings, seed, udhr, UdhrTest.SAMPLES.resolve("quran-json"), sotu);
    }

    @Test
    void splitsHaveTheExpectedSizesAndLanguages() throws Exception {
        TranslationDatasets data = buildSample(SAMPLE_SETTINGS, SEED);

        // Monolingual: the preamble (13, 11, 8 paragraphs) and 6 paragraphs of articles 1, 2, 9, 11;
        // pairs: the same 6 paragraphs.
        assertEquals(Map.of("cym", 13L + 6 + 6, "bre", 11L + 6 + 6, "haw", 8L + 6 + 6), languages(data, TranslationSplit.PRETRAIN_A));
        // English UDHR paragraphs of the training articles (10 + 6), 4 passages, 8 verse pairs.
        assertEquals(Map.of("eng", 16L + 4, "spa", 8L), languages(data, TranslationSplit.PRETRAIN_B));
        assertEquals(Map.of("spa", 3L), languages(data, TranslationSplit.EVAL_B));
        // Articles 1, 2, 11: five pairs per D_C language; article 9 is validation.
        assertEquals(Map.of("cym", 5L, "bre", 5L), languages(data, TranslationSplit.TRAIN_COMPOSITION));
        assertEquals(Map.of("cym", 1L, "bre", 1L), languages(data, TranslationSplit.VALIDATION_COMPOSITION));
        // Articles 3 and 21: 1 + 3 pairs in every language.
        assertEquals(Map.of("cym", 4L, "bre", 4L, "haw", 4L), languages(data, TranslationSplit.EVAL));
        assertEquals(new TranslationDatasets.Dropped(0, 0, 3), data.dropped());
    }

    @Test
    void pairsArePromptSourceLineCompletionEnglishAndTextHasAnEmptyPrompt() throws Exception {
        TranslationDatasets data = buildSample(SAMPLE_SETTINGS, SEED);
        UdhrText english = Udhr.read(UdhrTest.UDHR, Udhr.ENGLISH);
        UdhrText welsh = Udhr.read(UdhrTest.UDHR, "cym");

        for (TranslationExample example : data.get(TranslationSplit.EVAL)) {
            UdhrText source = Udhr.read(UdhrTest.UDHR, example.language());
            assertEquals(source.paragraphs(example.article()).get(example.paragraph()) + "\n", example.prompt());
            assertEquals(english.paragraphs(example.article()).get(example.paragraph()), example.completion());
        }
        TranslationExample welshText = data.get(TranslationSplit.PRETRAIN_A).stream()
                .filter(example -> example.language().equals("cym") && !example.isPair() && example.article() == 0
                        && example.paragraph() == 12)
                .findFirst().orElseThrow();
        assertEquals(welsh.paragraphs(0).get(12), welshText.completion());
        assertEquals("", welshText.prompt());
    }

    @Test
    void onlyCompositionLanguagesAreInDcAndValidationArticlesOnlyInItsValidationSplit() throws Exception {
        TranslationDatasets data = buildSample(SAMPLE_SETTINGS, SEED);

        for (TranslationSplit split : List.of(TranslationSplit.TRAIN_COMPOSITION, TranslationSplit.VALIDATION_COMPOSITION)) {
            assertTrue(data.get(split).stream().allMatch(e -> e.isPair() && List.of("cym", "bre").contains(e.language())),
                    split.id());
        }
        assertTrue(data.get(TranslationSplit.TRAIN_COMPOSITION).stream().noneMatch(e -> e.article() == 9));
        assertTrue(data.get(TranslationSplit.VALIDATION_COMPOSITION).stream().allMatch(e -> e.article() == 9));
        assertTrue(data.get(TranslationSplit.EVAL).stream().noneMatch(e -> e.article() == 9));
        assertTrue(data.get(TranslationSplit.PRETRAIN_A).stream().anyMatch(e -> e.article() == 9),
                "m_A may learn the validation articles: D_C is drawn from its corpus");
        assertTrue(data.get(TranslationSplit.PRETRAIN_B).stream().noneMatch(e -> List.of("cym", "bre", "haw")
                .contains(e.language())), "m_B never sees the source languages");
    }

    @Test
    void heldOutArticlesAreInNoTrainingSplitInAnyLanguage() throws Exception {
        TranslationDatasets data = buildSample(SAMPLE_SETTINGS, SEED);
        Set<String> heldOutText = new HashSet<>();
        for (String code : List.of("eng", "cym", "bre", "haw")) {
            UdhrText text = Udhr.read(UdhrTest.UDHR, code);
            heldOutText.addAll(text.paragraphs(3));
            heldOutText.addAll(text.paragraphs(21));
        }

        for (TranslationSplit split : TranslationSplit.values()) {
            if (!split.training()) {
                continue;
            }
            for (TranslationExample example : data.get(split)) {
                boolean udhr = !example.language().equals("spa") && example.article() <= TranslationSettings.LAST_ARTICLE;
                assertFalse(udhr && SAMPLE_SETTINGS.heldOutArticles().contains(example.article()), split.id() + ": " + example);
                for (String paragraph : heldOutText) {
                    assertFalse(example.prompt().contains(paragraph) || example.completion().contains(paragraph),
                            split.id() + " holds the held-out paragraph " + paragraph);
                }
            }
        }
        assertEquals(Set.of(3, 21), data.get(TranslationSplit.EVAL).stream().map(TranslationExample::article)
                .collect(Collectors.toSet()));
    }

    @Test
    void sameSeedGivesTheSameDataAndAnotherSeedAnotherOrder() throws Exception {
        TranslationDatasets first = buildSample(SAMPLE_SETTINGS, SEED);

        assertEquals(first, buildSample(SAMPLE_SETTINGS, SEED));
        TranslationDatasets other = buildSample(SAMPLE_SETTINGS, SEED + 1);
        assertNotEquals(first.get(TranslationSplit.PRETRAIN_A), other.get(TranslationSplit.PRETRAIN_A));
        assertEquals(Set.copyOf(first.get(TranslationSplit.PRETRAIN_A)), Set.copyOf(other.get(TranslationSplit.PRETRAIN_A)),
                "the UDHR splits hold the same examples whatever the seed");
    }

    @Test
    void compositionShareDrawsThatShareOfEachLanguagesPairs() throws Exception {
        TranslationDatasets half = buildSample(SAMPLE_SETTINGS.withCompositionShare(0.4), SEED);

        assertEquals(Map.of("cym", 2L, "bre", 2L), languages(half, TranslationSplit.TRAIN_COMPOSITION));
        assertEquals(buildSample(SAMPLE_SETTINGS, SEED).get(TranslationSplit.PRETRAIN_A),
                half.get(TranslationSplit.PRETRAIN_A), "m_A's data does not depend on D_C's size");
    }

    @Test
    void overLongParagraphsAreDroppedEverywhereAndCounted() throws Exception {
        TranslationDatasets data = buildSample(SAMPLE_SETTINGS.withMaxBytes(200, 1024).withAnchor(4, 8, 3), SEED);

        assertTrue(data.dropped().tooLong() > 0);
        for (TranslationSplit split : TranslationSplit.values()) {
            for (TranslationExample example : data.get(split)) {
                String source = example.isPair() ? example.prompt() : example.completion();
                if (!example.language().equals("eng")) {
                    assertTrue(source.strip().getBytes(StandardCharsets.UTF_8).length <= 200, example.toString());
                }
            }
        }
    }

    @Test
    void unknownLanguageIsNamed() {
        TranslationSettings settings = SAMPLE_SETTINGS.withLanguages(List.of("cym", "xyz"), List.of("cym"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> buildSample(settings, SEED));

        assertTrue(e.getMessage().startsWith("UDHR language 'xyz': no declaration xyz.html"), e.getMessage());
    }

    @Test
    void languageAlignedOnFewerThanHalfTheArticlesIsRejectedWithTheCounts(@TempDir Path temp) throws Exception {
        Path udhr = copyOf(UdhrTest.UDHR, temp.resolve("udhr"));
        // An English-derived declaration that lost one paragraph of articles 2, 11 and 21: with the
        // preamble, 4 of 7 articles differ.
        Document document = Jsoup.parse(udhr.resolve("declaration/eng.html").toFile(), "UTF-8");
        document.selectFirst("html").attr("data-code", "mis");
        document.select("title").first().text("Misaligned");
        for (int article : List.of(2, 11, 21)) {
            document.select("article[data-number=" + article + "] p").last().remove();
        }
        document.select("header p").last().remove();
        Files.writeString(udhr.resolve("declaration/mis.html"), document.outerHtml());
        TranslationSettings settings = SAMPLE_SETTINGS.withLanguages(List.of("cym", "mis"), List.of("cym"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> build(settings, SEED, udhr, UdhrTest.SAMPLES.resolve("sotu")));

        assertTrue(e.getMessage().startsWith("UDHR language 'mis' (Misaligned) aligns paragraph for paragraph with English "
                + "on only 3 of 7 articles, fewer than half: article 0 has 9 paragraphs where English has 10; article 2 "
                + "has 1 paragraphs where English has 2;"), e.getMessage());
    }

    @Test
    void proseQuotingAHeldOutSentenceIsDropped(@TempDir Path temp) throws Exception {
        Path sotu = copyOf(UdhrTest.SAMPLES.resolve("sotu"), temp.resolve("sotu"));
        Path address = sotu.resolve("data/1790_george_washington_n.txt");
        Files.writeString(address, Files.readString(address).replace("In meeting you again",
                "As the Declaration says, EVERYONE HAS THE RIGHT TO LIFE,  liberty and the security of person. In meeting you again"));

        TranslationDatasets data = build(SAMPLE_SETTINGS.withAnchor(3, 8, 3), SEED, UdhrTest.UDHR, sotu);

        assertEquals(1, data.dropped().leaked());
        assertTrue(data.get(TranslationSplit.PRETRAIN_B).stream()
                .noneMatch(example -> example.completion().toLowerCase().contains("right to life")));
    }

    @Test
    void tooFewAnchorTextsNameTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> buildSample(SAMPLE_SETTINGS.withAnchor(4, 14, 3), SEED));
        assertTrue(e.getMessage().startsWith("anchorPairs + anchorHeldOut: 14 + 3 verse pairs asked for"), e.getMessage());
    }

    @Test
    void writtenFilesReadBackAsBuilt(@TempDir Path temp) throws Exception {
        TranslationDatasets data = buildSample(SAMPLE_SETTINGS, SEED);

        data.write(temp);

        assertEquals(data, TranslationDatasets.read(temp));
        assertEquals(data.get(TranslationSplit.EVAL).size(), Files.readAllLines(temp.resolve("eval.jsonl")).size());
        String line = Files.readAllLines(temp.resolve("eval.jsonl")).get(0);
        assertTrue(line.matches("\\{\"language\":\"[a-z]+\",\"article\":[0-9]+,\"paragraph\":[0-9]+,\"prompt\":\".*\","
                + "\"completion\":\".*\"}"), line);
        try (Stream<Path> files = Files.list(temp)) {
            assertEquals(7, files.count(), "six splits and the manifest, no temporary files");
        }
    }

    private static Map<String, Long> languages(TranslationDatasets data, TranslationSplit split) {
        return data.get(split).stream().collect(Collectors.groupingBy(TranslationExample::language, TreeMap::new,
                Collectors.counting()));
    }

    static Path copyOf(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : paths.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
        return target;
    }
}
