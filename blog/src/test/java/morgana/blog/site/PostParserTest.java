package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostParserTest {

    private static final Path FILE = Path.of("site/posts/2026-03-14-minnesota-goodbye.md");

    @Test
    void slugComesFromTheFileNameWithoutDatePrefix() {
        assertThat(PostParser.slugFromFileName("2026-03-14-some-slug.md")).isEqualTo("some-slug");
        assertThat(PostParser.slugFromFileName("some-slug.md")).isEqualTo("some-slug");
        assertThat(PostParser.slugFromFileName("2026-minutes.md")).isEqualTo("2026-minutes");
    }

    @Test
    void readsEveryFrontMatterField() throws SiteException {
        Post post = PostParser.parse(FILE, """
                ---
                title: The Minnesota goodbye
                date: 2026-03-14
                summary: "A server that never sent FIN"
                tags: [tcp, http]
                draft: true
                ---
                Body *here*.
                """);

        assertThat(post.title()).isEqualTo("The Minnesota goodbye");
        assertThat(post.date()).isEqualTo(LocalDate.of(2026, 3, 14));
        assertThat(post.published()).isEqualTo(Instant.parse("2026-03-14T00:00:00Z"));
        assertThat(post.summary()).hasValue("A server that never sent FIN");
        assertThat(post.tags()).containsExactly("tcp", "http");
        assertThat(post.draft()).isTrue();
        assertThat(post.slug()).isEqualTo("minnesota-goodbye");
        assertThat(post.urlPath()).isEqualTo("/posts/minnesota-goodbye/");
        assertThat(post.markdown()).isEqualTo("Body *here*.\n");
        assertThat(post.bodyFirstLine()).isEqualTo(8);
    }

    @Test
    void frontMatterSlugOverridesTheFileName() throws SiteException {
        Post post = PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\nslug: goodbye\n---\n");

        assertThat(post.slug()).isEqualTo("goodbye");
        assertThat(post.tags()).isEmpty();
        assertThat(post.draft()).isFalse();
        assertThat(post.summary()).isEmpty();
    }

    @Test
    void acceptsIsoDateTimesWithAndWithoutOffset() throws SiteException {
        Post utc = PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14T09:30:00Z\n---\n");
        Post offset = PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14T09:30:00+02:00\n---\n");
        Post local = PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14T09:30\n---\n");

        assertThat(utc.published()).isEqualTo(Instant.parse("2026-03-14T09:30:00Z"));
        assertThat(offset.published()).isEqualTo(Instant.parse("2026-03-14T07:30:00Z"));
        assertThat(local.published()).isEqualTo(Instant.parse("2026-03-14T09:30:00Z"));
        assertThat(List.of(utc.date(), offset.date(), local.date())).containsOnly(LocalDate.of(2026, 3, 14));
    }

    @Test
    void aliasesAreOldAbsolutePathsOfThePost() throws SiteException {
        Post post = PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\naliases: [/2013/09/goodbye.html, /old/goodbye/]\n---\nbody\n");
        assertThat(post.aliases()).containsExactly("/2013/09/goodbye.html", "/old/goodbye/");
        assertThat(PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\n---\nbody\n").aliases()).isEmpty();
    }

    @Test
    void anAliasThatIsRelativeOrClimbsOrIsTheRootNamesItsLine() throws SiteException {
        for (String bad : new String[] {"old/goodbye.html", "/a/../b", "/a/./b", "/", "/a?b=1", "/a//b", "7"}) {
            assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\naliases:\n  - /fine\n  - "
                    + bad + "\n---\nbody\n"))
                    .as(bad)
                    .isInstanceOf(SiteException.class)
                    .hasMessageStartingWith(FILE + ":6: each alias must be an absolute path");
        }
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\naliases: 7\n---\n"))
                .hasMessageStartingWith(FILE + ":4: aliases must be a list of paths");
        assertThat(PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\nredirect_from: /old.html\n---\n").aliases())
                .as("Jekyll's redirect_from, one path as a string")
                .containsExactly("/old.html");
    }

    @Test
    void badDateNamesFileAndTheLineInTheFile() {
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\n\ndate: March 14\n---\nbody\n"))
                .isInstanceOf(SiteException.class)
                .hasMessage(FILE + ":4: date must be YYYY-MM-DD or an ISO date-time such as 2026-03-14T09:30:00Z,"
                        + " got \"March 14\"");
    }

    @Test
    void yamlSyntaxErrorIsReportedAtTheFileLine() {
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\ntags: [tcp\n---\n"))
                .hasMessageMatching(".*minnesota-goodbye\\.md:[45]: invalid YAML: .*");
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\n  date: x: y\n---\n"))
                .hasMessageStartingWith(FILE + ":3: invalid YAML");
    }

    @Test
    void missingFrontMatterIsReportedAtLineOne() {
        assertThatThrownBy(() -> PostParser.parse(FILE, "# Just markdown\n"))
                .hasMessageStartingWith(FILE + ":1: a post starts with front matter between --- lines");
    }

    @Test
    void unclosedFrontMatterIsReported() {
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\n\nBody\n"))
                .hasMessageStartingWith(FILE + ":1: the front matter opened here is never closed");
    }

    @Test
    void titleIsRequired() {
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ndate: 2026-03-14\n---\n"))
                .hasMessageStartingWith(FILE + ":2: title is required");
    }

    @Test
    void dateIsRequired() {
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\n---\n"))
                .hasMessageStartingWith(FILE + ":2: date is required");
    }

    @Test
    void tagsAreAListOrJekyllsSpaceSeparatedString() throws SiteException {
        assertThat(PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\ntags: tcp  http\n---\n").tags())
                .containsExactly("tcp", "http");
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\ntags: {a: b}\n---\n"))
                .hasMessageStartingWith(FILE + ":4: tags must be a list");
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\ntags:\n  - tcp\n  - [x]\n---\n"))
                .hasMessageStartingWith(FILE + ":6: each of tags must be a non-empty string");
    }

    @Test
    void draftMustBeABoolean() {
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\ndraft: maybe\n---\n"))
                .hasMessageStartingWith(FILE + ":4: draft must be true or false");
    }

    @Test
    void slugMustBeUrlSafe() {
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-03-14\nslug: a/b\n---\n"))
                .hasMessageStartingWith(FILE + ":4: slug must be letters, digits");
    }

    @Test
    void windowsLineEndingsAndByteOrderMarkAreAccepted() throws SiteException {
        Post post = PostParser.parse(FILE, "\uFEFF---\r\ntitle: T\r\ndate: 2026-03-14\r\n---\r\nBody\r\n");

        assertThat(post.title()).isEqualTo("T");
        assertThat(post.markdown()).isEqualTo("Body\n");
        assertThat(post.bodyFirstLine()).isEqualTo(5);
    }

    /** The body and its first line as the parser found them when it split the whole file into lines. */
    private static String splitWholeFile(String text) {
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        String fence = lines[0].replace("\uFEFF", "").strip();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            if (line.equals(fence) || (fence.equals("---") && line.equals("..."))) {
                return (i + 2) + ":" + String.join("\n", java.util.Arrays.asList(lines).subList(i + 1, lines.length));
            }
        }
        throw new AssertionError("no closing fence in the test's own input");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "---\ntitle: T\ndate: 2026-01-01\n---\nBody\n",
            "---\ntitle: T\ndate: 2026-01-01\n---\nBody",
            "---\ntitle: T\ndate: 2026-01-01\n---",
            "---\ntitle: T\ndate: 2026-01-01\n---\n",
            "---\ntitle: T\ndate: 2026-01-01\n---  \n\n\nTwo\n\nparagraphs\n\n",
            "---\r\ntitle: T\r\ndate: 2026-01-01\r\n---\r\nWindows\r\nlines\r\n",
            "---\rtitle: T\rdate: 2026-01-01\r---\rOld Mac\rlines",
            "\uFEFF---\ntitle: T\ndate: 2026-01-01\n---\nAfter a byte order mark\n",
            "---  \ntitle: T\ndate: 2026-01-01\n...\nYAML's document end\n--- \nstays in the body\n",
            "+++\ntitle = \"T\"\ndate = 2026-01-01\n+++\nTOML\n---\n"})
    void cutsTheBodyWhereSplittingTheWholeFileIntoLinesDid(String text) throws SiteException {
        Post post = PostParser.parse(FILE, text);

        assertThat(post.bodyFirstLine() + ":" + post.markdown()).isEqualTo(splitWholeFile(text));
        assertThat(post.title()).isEqualTo("T");
    }

    @Test
    void aFrontMatterThatIsNeverClosedIsAnErrorOnLineOne() {
        assertThatThrownBy(() -> PostParser.parse(FILE, "---\ntitle: T\ndate: 2026-01-01\n"))
                .isInstanceOf(SiteException.class).hasMessageContaining(":1:").hasMessageContaining("never closed");
        assertThatThrownBy(() -> PostParser.parse(FILE, "---"))
                .isInstanceOf(SiteException.class).hasMessageContaining("never closed");
    }
}
