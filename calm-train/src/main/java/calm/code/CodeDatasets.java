package calm.code;

import calm.io.AtomicFiles;
import calm.translation.SotuProse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The data of the code experiment (CALM, arXiv 2401.02412, section 4.3) at CPU scale, split by
 * library: m_A learns the methods of the training libraries, the evaluation asks about the methods
 * of a library no model sees, and m_B reads English prose only.
 *
 * <p>{@link #build} makes every {@link CodeSplit} from the libraries' sources, the prose and a seed;
 * the same inputs always give the same data. A held-out method is evaluated only if it is documented,
 * has a statement, fits {@code maxMethodBytes}, and none of these holds ({@link Reason}): it is a
 * delegating one-liner; its body, white space removed, occurs in a training method's code; its body
 * is a near duplicate of a training method's ({@link NearDuplicates}); its first sentence documents a
 * training method too; or an earlier held-out method (an overload) has the same first sentence.
 *
 * @param config the data section
 * @param splits the examples of every split, in training order
 * @param libraries what each library gave: its sources' SHA-256 (or "folder") and counts
 * @param dropped the held-out methods left out of the evaluation, each with its reason
 */
public record CodeDatasets(CodeDataConfig config, Map<CodeSplit, List<CodeExample>> splits,
        Map<String, Map<String, Object>> libraries, List<DroppedMethod> dropped) {

    /** The file describing a dataset folder; written last. */
    public static final String MANIFEST_FILE = "manifest.json";
    /** The file listing the held-out methods left out of the evaluation, with their reasons. */
    public static final String DROPPED_FILE = "eval-dropped.jsonl";
    /** The format written to the manifest. */
    public static final String FORMAT = "calm-code/1";

    private static final Logger LOG = LogManager.getLogger(CodeDatasets.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a held-out method is not evaluated. */
    public enum Reason {
        /** Its body is one statement that only calls another method. */
        DELEGATING,
        /** Its body, white space removed, occurs in a training method's code. */
        IN_TRAINING_CODE,
        /** Its body's token 5-grams overlap a training method's at or above {@code nearDuplicate}. */
        NEAR_DUPLICATE,
        /** Its first sentence, case and white space aside, documents a training method too. */
        SENTENCE_IN_TRAINING,
        /** An earlier held-out method (an overload, mostly) has the same first sentence. */
        REPEATED_SENTENCE
    }

    /**
     * A held-out method left out of the evaluation.
     *
     * @param method where it is
     * @param reason why
     * @param detail the training method it resembles and how much, where that is the reason
     */
    public record DroppedMethod(String method, Reason reason, String detail) {}

    /** Copies the splits; every split is present, possibly empty. */
    public CodeDatasets {
        Map<CodeSplit, List<CodeExample>> copy = new EnumMap<>(CodeSplit.class);
        for (CodeSplit split : CodeSplit.values()) {
            copy.put(split, List.copyOf(splits.getOrDefault(split, List.of())));
        }
        splits = Collections.unmodifiableMap(copy);
        dropped = List.copyOf(dropped);
    }

    /** @return a split's examples, in training order */
    public List<CodeExample> get(CodeSplit split) {
        return splits.get(split);
    }

    /**
     * Builds every split.
     *
     * @param config the data section
     * @param sources each library's sources jar or folder, the held-out library's included
     * @param provenance each library's sources SHA-256, or "folder"
     * @param prosePackage the unpacked State of the Union package
     * @throws IllegalArgumentException if the data leaves a split empty that must not be, or the prose
     *     is too short for {@code anchorProse + anchorHeldOut}; the message names the field
     */
    public static CodeDatasets build(CodeDataConfig config, Map<Library, Path> sources, Map<Library, String> provenance,
            Path prosePackage) throws IOException {
        MethodExtractor extractor = new MethodExtractor();
        Map<String, Map<String, Object>> libraries = new LinkedHashMap<>();
        List<JavaMethod> training = new ArrayList<>();
        for (Library library : config.trainingLibraries()) {
            training.addAll(methods(extractor, library, sources.get(library), provenance.get(library), libraries));
        }
        Library heldOutLibrary = config.heldOutLibrary();
        List<JavaMethod> heldOut = methods(extractor, heldOutLibrary, sources.get(heldOutLibrary),
                provenance.get(heldOutLibrary), libraries);
        Map<CodeSplit, List<CodeExample>> splits = new EnumMap<>(CodeSplit.class);
        for (CodeSplit split : CodeSplit.values()) {
            splits.put(split, new ArrayList<>());
        }
        List<JavaMethod> fitting = training.stream().filter(m -> fits(m, config)).toList();
        for (JavaMethod method : fitting) {
            splits.get(CodeSplit.PRETRAIN_A).add(CodeExample.code(method));
        }
        List<JavaMethod> pairs = new ArrayList<>(fitting.stream().filter(CodeDatasets::taskReady).toList());
        Collections.shuffle(pairs, random(config.seed(), "composition"));
        int composition = (int) Math.max(1, Math.round(config.compositionShare() * pairs.size()));
        int validation = (int) Math.max(1, Math.round(config.validationShare() * pairs.size()));
        if (composition + validation > pairs.size()) {
            throw new IllegalArgumentException("libraries: only " + pairs.size() + " documented methods of at most "
                    + config.maxMethodBytes() + " bytes (maxMethodBytes), too few for D_C and its validation split");
        }
        for (JavaMethod method : pairs.subList(0, composition)) {
            splits.get(CodeSplit.TRAIN_COMPOSITION).add(CodeExample.textToCode(method));
            splits.get(CodeSplit.TRAIN_COMPOSITION).add(CodeExample.codeToText(method));
        }
        for (JavaMethod method : pairs.subList(composition, composition + validation)) {
            splits.get(CodeSplit.VALIDATION_COMPOSITION).add(CodeExample.textToCode(method));
            splits.get(CodeSplit.VALIDATION_COMPOSITION).add(CodeExample.codeToText(method));
        }
        List<DroppedMethod> dropped = new ArrayList<>();
        List<JavaMethod> evaluated = evaluated(heldOut, fitting, config, dropped);
        if (evaluated.isEmpty()) {
            throw new IllegalArgumentException("evalLibrary: " + heldOutLibrary + " leaves no method to evaluate once those "
                    + "undocumented, over maxMethodBytes, or like training code are left out (" + dropped.size() + " dropped)");
        }
        Collections.shuffle(evaluated, random(config.seed(), "evaluation"));
        for (JavaMethod method : evaluated) {
            splits.get(CodeSplit.EVAL_TEXT_TO_CODE).add(CodeExample.textToCode(method));
            splits.get(CodeSplit.EVAL_CODE_TO_TEXT).add(CodeExample.codeToText(method));
            if (method.bodyLines().size() >= 3) {
                splits.get(CodeSplit.EVAL_COMPLETION).add(CodeExample.completion(method));
            }
        }
        addProse(config, prosePackage, splits);
        Collections.shuffle(splits.get(CodeSplit.PRETRAIN_A), random(config.seed(), "shuffle pretrain-a"));
        Collections.shuffle(splits.get(CodeSplit.TRAIN_COMPOSITION), random(config.seed(), "shuffle composition"));
        Collections.shuffle(splits.get(CodeSplit.VALIDATION_COMPOSITION), random(config.seed(), "shuffle validation"));
        for (CodeSplit split : CodeSplit.values()) {
            LOG.info("code split {}: {} examples", split.id(), splits.get(split).size());
        }
        Map<Reason, Long> reasons = dropped.stream().collect(Collectors.groupingBy(DroppedMethod::reason,
                () -> new EnumMap<>(Reason.class), Collectors.counting()));
        LOG.info("code data: {} training methods ({} within maxMethodBytes), {} held-out methods evaluated, {} left out: {}",
                training.size(), fitting.size(), evaluated.size(), dropped.size(), reasons);
        return new CodeDatasets(config, splits, libraries, dropped);
    }

    private static List<JavaMethod> methods(MethodExtractor extractor, Library library, Path source, String sha256,
            Map<String, Map<String, Object>> libraries) throws IOException {
        if (source == null) {
            throw new IllegalArgumentException("no sources given for " + library);
        }
        List<JavaMethod> methods = new ArrayList<>();
        int files = 0;
        int unparsed = 0;
        for (SourceFiles.SourceFile file : SourceFiles.read(source)) {
            files++;
            List<JavaMethod> found = extractor.extract(library.coordinates(), file.name(), file.text());
            if (found.isEmpty() && file.text().contains("{")) {
                unparsed++;
            }
            methods.addAll(found);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("sha256", sha256);
        entry.put("javaFiles", files);
        entry.put("filesWithoutMethods", unparsed);
        entry.put("methods", methods.size());
        entry.put("documented", methods.stream().filter(JavaMethod::documented).count());
        libraries.put(library.coordinates(), entry);
        return methods;
    }

    private static boolean fits(JavaMethod method, CodeDataConfig config) {
        return (method.javadoc() + method.code()).getBytes(StandardCharsets.UTF_8).length <= config.maxMethodBytes();
    }

    /** Documented, with at least one statement line, and not a delegating one-liner. */
    private static boolean taskReady(JavaMethod method) {
        return method.documented() && method.bodyLines().size() >= 3 && !method.delegating();
    }

    private static List<JavaMethod> evaluated(List<JavaMethod> heldOut, List<JavaMethod> training, CodeDataConfig config,
            List<DroppedMethod> dropped) {
        StringBuilder joined = new StringBuilder();
        Set<String> trainingSentences = new HashSet<>();
        for (JavaMethod method : training) {
            joined.append(JavaMethod.normalise(method.code())).append('\u0000');
            if (method.documented()) {
                trainingSentences.add(sentenceKey(method.sentence()));
            }
        }
        String trainingCode = joined.toString();
        NearDuplicates index = new NearDuplicates(training);
        Set<String> seenSentences = new HashSet<>();
        List<JavaMethod> kept = new ArrayList<>();
        for (JavaMethod method : heldOut) {
            if (!fits(method, config) || !method.documented() || method.bodyLines().size() < 3) {
                continue;
            }
            if (method.delegating()) {
                dropped.add(new DroppedMethod(method.where(), Reason.DELEGATING, ""));
                continue;
            }
            if (trainingCode.contains(method.normalisedBody())) {
                dropped.add(new DroppedMethod(method.where(), Reason.IN_TRAINING_CODE, ""));
                continue;
            }
            NearDuplicates.Match match = index.closest(method);
            if (match != null && match.jaccard() >= config.nearDuplicate()) {
                dropped.add(new DroppedMethod(method.where(), Reason.NEAR_DUPLICATE, String.format(Locale.ROOT,
                        "%s, Jaccard %.2f", match.method().where(), match.jaccard())));
                continue;
            }
            String sentence = sentenceKey(method.sentence());
            if (trainingSentences.contains(sentence)) {
                dropped.add(new DroppedMethod(method.where(), Reason.SENTENCE_IN_TRAINING, method.sentence()));
                continue;
            }
            if (!seenSentences.add(sentence)) {
                dropped.add(new DroppedMethod(method.where(), Reason.REPEATED_SENTENCE, method.sentence()));
                continue;
            }
            kept.add(method);
        }
        return kept;
    }

    /** @return a sentence lower-cased with its white space collapsed, as sentences are compared */
    static String sentenceKey(String sentence) {
        return sentence.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    private static void addProse(CodeDataConfig config, Path prosePackage, Map<CodeSplit, List<CodeExample>> splits)
            throws IOException {
        List<CodeExample> passages = new ArrayList<>();
        for (SotuProse.Paragraph paragraph : SotuProse.read(prosePackage)) {
            int index = 0;
            for (String passage : SotuProse.passages(paragraph.text(), config.maxProseBytes())) {
                if (passage.getBytes(StandardCharsets.UTF_8).length <= config.maxProseBytes()) {
                    passages.add(CodeExample.prose(paragraph.address() + " " + paragraph.index() + "." + index++, passage));
                }
            }
        }
        int wanted = config.anchorProse() + config.anchorHeldOut();
        if (passages.size() < wanted) {
            throw new IllegalArgumentException("anchorProse + anchorHeldOut: " + wanted + " passages asked for, but "
                    + prosePackage + " gives only " + passages.size() + " of at most " + config.maxProseBytes() + " bytes");
        }
        Collections.shuffle(passages, random(config.seed(), "prose"));
        splits.get(CodeSplit.EVAL_B).addAll(passages.subList(0, config.anchorHeldOut()));
        splits.get(CodeSplit.PRETRAIN_B).addAll(passages.subList(config.anchorHeldOut(), wanted));
    }

    /** A random source per purpose, so that changing one split's size leaves the others' choices alone. */
    private static Random random(long seed, String purpose) {
        return new Random(seed * 1_000_003L + purpose.hashCode());
    }

    /**
     * Reads the splits of a folder written by {@link #write}.
     *
     * @param folder the dataset folder
     * @return every split's examples, in training order
     * @throws IOException if the manifest is missing (the folder is incomplete), a file cannot be
     *     read or is malformed, or a split's size differs from the manifest's; the message names the
     *     file and line
     */
    public static Map<CodeSplit, List<CodeExample>> readSplits(Path folder) throws IOException {
        Path manifestFile = folder.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException(folder + ": no " + MANIFEST_FILE + ", so not a complete code dataset folder (it is "
                    + "written last)");
        }
        JsonNode manifest = JSON.readTree(manifestFile.toFile());
        if (!FORMAT.equals(manifest.path("format").asText())) {
            throw new IOException(manifestFile + ": format must be " + FORMAT + ", got " + manifest.get("format"));
        }
        Map<CodeSplit, List<CodeExample>> splits = new EnumMap<>(CodeSplit.class);
        for (CodeSplit split : CodeSplit.values()) {
            Path file = folder.resolve(split.fileName());
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<CodeExample> examples = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                try {
                    examples.add(JSON.readValue(lines.get(i), CodeExample.class));
                } catch (IOException | IllegalArgumentException | NullPointerException e) {
                    throw new IOException(file + ":" + (i + 1) + ": not a code example {source, task, prompt, completion}: "
                            + e.getMessage(), e);
                }
            }
            int expected = manifest.path("splits").path(split.id()).path("examples").asInt(-1);
            if (examples.size() != expected) {
                throw new IOException(file + ": " + examples.size() + " examples, but " + manifestFile + " says " + expected);
            }
            splits.put(split, List.copyOf(examples));
        }
        return splits;
    }

    /**
     * Writes one {@code <split>.jsonl} per split, lines {@code {"source", "task", "prompt",
     * "completion"}}, then {@value #DROPPED_FILE}, then {@value #MANIFEST_FILE}; each file atomically,
     * the manifest last, so a folder with a manifest is complete.
     *
     * @param folder the folder, created if missing; files of the same names are replaced
     */
    public void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("format", FORMAT);
        manifest.set("data", JSON.valueToTree(config));
        manifest.set("libraries", JSON.valueToTree(libraries));
        ObjectNode splitEntries = manifest.putObject("splits");
        for (CodeSplit split : CodeSplit.values()) {
            List<CodeExample> examples = get(split);
            AtomicFiles.writeText(folder.resolve(split.fileName()), writer -> {
                for (CodeExample example : examples) {
                    writer.write(JSON.writeValueAsString(example));
                    writer.write('\n');
                }
            });
            ObjectNode entry = splitEntries.putObject(split.id());
            entry.put("file", split.fileName());
            entry.put("training", split.training());
            entry.put("examples", examples.size());
            entry.set("tasks", JSON.valueToTree(examples.stream()
                    .collect(Collectors.groupingBy(CodeExample::task, TreeMap::new, Collectors.counting()))));
        }
        AtomicFiles.writeText(folder.resolve(DROPPED_FILE), writer -> {
            for (DroppedMethod method : dropped) {
                writer.write(JSON.writeValueAsString(method));
                writer.write('\n');
            }
        });
        manifest.set("droppedFromEvaluation", JSON.valueToTree(dropped.stream().collect(Collectors.groupingBy(
                DroppedMethod::reason, TreeMap::new, Collectors.counting()))));
        AtomicFiles.writeString(folder.resolve(MANIFEST_FILE),
                JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(manifest) + "\n");
    }
}
