package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.rometools.rome.feed.atom.Entry;
import com.rometools.rome.feed.atom.Feed;
import com.rometools.rome.feed.atom.Link;
import com.rometools.rome.io.WireFeedInput;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import morgana.blog.site.FixtureSites;
import morgana.blog.site.SiteBuilder;
import morgana.blog.site.TestSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Atom feed read back by ROME, a feed parser that readers' software uses, as Atom 1.0 (RFC 4287). */
class AtomFeedTest {

    @TempDir
    Path root;

    private Feed feed() throws Exception {
        String xml = FixtureSites.text(SiteBuilder.build(root), "/feed.xml");
        var input = new WireFeedInput();
        input.setXmlHealerOn(false); // no forgiving of bad XML
        return (Feed) input.build(new StringReader(xml));
    }

    @Test
    void feedIsAtomOneWithEveryRequiredElement() throws Exception {
        TestSite.sample(root);
        Feed feed = feed();

        assertThat(feed.getFeedType()).isEqualTo("atom_1.0");
        assertThat(feed.getTitle()).isEqualTo("Test Blog");
        assertThat(feed.getId()).isEqualTo("http://127.0.0.1:8080/");
        assertThat(feed.getUpdated().toInstant()).isEqualTo(Instant.parse("2026-03-14T00:00:00Z"));
        assertThat(feed.getAuthors()).extracting(a -> a.getName()).containsExactly("Ada");
        assertThat(feed.getOtherLinks()).extracting(Link::getRel, Link::getHref)
                .contains(org.assertj.core.groups.Tuple.tuple("self", "http://127.0.0.1:8080/feed.xml"));
        List<Entry> entries = feed.getEntries();
        assertThat(entries).extracting(Entry::getTitle)
                .containsExactly("The Minnesota goodbye", "Tables & TCP <options>", "First light");
        for (Entry entry : entries) {
            assertThat(entry.getId()).startsWith("http://127.0.0.1:8080/posts/");
            assertThat(entry.getUpdated()).isNotNull();
            assertThat(entry.getAlternateLinks()).extracting(Link::getHref).containsExactly(entry.getId());
        }
        assertThat(entries.getFirst().getContents().getFirst().getValue()).contains("<table>");
        assertThat(entries.getFirst().getCategories()).extracting(c -> c.getTerm()).containsExactly("tcp", "http");
    }

    @Test
    void feedCarriesTheNewestTwentyPostsAndTheirUpdatedDates() throws Exception {
        TestSite site = TestSite.in(root);
        for (int i = 1; i <= 25; i++) {
            site.post("p" + i + ".md", "---\ntitle: \"Post " + i + " <&>\"\ndate: 2026-01-" + String.format("%02d", i)
                    + "\n" + (i == 25 ? "updated: 2026-02-01T12:00:00Z\n" : "") + "---\nBody " + i + ".\n");
        }
        Feed feed = feed();

        assertThat(feed.getEntries()).hasSize(20);
        assertThat(feed.getEntries().getFirst().getTitle()).isEqualTo("Post 25 <&>");
        assertThat(feed.getEntries().getFirst().getUpdated().toInstant()).isEqualTo(Instant.parse("2026-02-01T12:00:00Z"));
        assertThat(feed.getUpdated().toInstant()).isEqualTo(Instant.parse("2026-02-01T12:00:00Z"));
        var titles = new ArrayList<String>();
        feed.getEntries().forEach(e -> titles.add(e.getTitle()));
        assertThat(titles).doesNotContain("Post 5 <&>");
    }

    @Test
    void emptySiteStillHasAValidFeed() throws Exception {
        TestSite.in(root);
        assertThat(feed().getEntries()).isEmpty();
    }

}
