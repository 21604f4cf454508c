package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.render.Theme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default theme is rendered by Java code (DefaultTheme) unless a site overrides one of its templates; then
 * Pebble renders the templates. A site built with verbatim copies of the default templates as its own overrides
 * (so by Pebble) must give the very same bundle as the same site built without them.
 */
class DefaultThemeTest {

    private static final String THEME = "morgana/blog/theme/";
    private static final Instant NOW = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void theJavaTemplatesAreEveryTemplateOfTheTheme() throws IOException, URISyntaxException {
        Path dir = Path.of(DefaultThemeTest.class.getClassLoader().getResource(THEME).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> templates = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".html"))
                    .sorted().toList();
            assertThat(Theme.DEFAULT_TEMPLATES).containsExactlyElementsOf(templates);
        }
    }

    @Test
    void theExampleBlogIsTheSameByJavaAndByPebble(@TempDir Path dir) throws IOException, SiteException {
        Path site = dir.resolve("example");
        FixtureSites.copyTree(Path.of("../examples/blog"), site);
        assertSameBothWays(site, dir.resolve("copy"));
    }

    @Test
    void theFixtureSitesAreTheSameByJavaAndByPebble(@TempDir Path dir) throws IOException, SiteException {
        for (String name : List.of("octopress", "hugo")) {
            Path site = FixtureSites.copy(name, dir.resolve(name));
            assertSameBothWays(site, dir.resolve(name + "-copy"));
        }
    }

    /**
     * Text that needs escaping everywhere a template prints, characters beyond Latin-1, no author, pages of the
     * index, categories, an update date, a table of contents, a stand-alone page, and the reload script.
     */
    @Test
    void anAwkwardSiteIsTheSameByJavaAndByPebble(@TempDir Path dir) throws IOException, SiteException {
        Path site = dir.resolve("awkward");
        var test = TestSite.in(site).file("morgana.yaml", """
                title: "Wire & <Notes> \\"quoted\\" 'single' – ünïcödé 😀"
                description: "  "
                base_url: "http://example.org/blog/"
                paginate: 2
                language: de
                """);
        for (int i = 1; i <= 5; i++) {
            test.post("p" + i + ".md", """
                    ---
                    title: "Post <%d> & 'friends' “quoted” 日本"
                    date: 2026-0%d-1%dT10:00:00+02:00
                    %s
                    tags: ["a&b", "<c>", "Ünï code"]
                    categories: [%s]
                    ---
                    Intro with <b>markup</b> & an [link](/posts/p1/).

                    ## One & two

                    ### Three <x>

                    ## Four

                    Text.
                    """.formatted(i, i, i, i == 2 ? "updated: 2026-12-01T09:00:00Z" : "",
                    i % 2 == 0 ? "\"News & <views>\", Other" : ""));
        }
        test.file("pages/about.md", "---\ntitle: About <me>\n---\nAbout & more.\n");
        SiteBundle bundle = assertSameBothWays(site, dir.resolve("awkward-copy"));
        assertThat(FixtureSites.text(bundle, "/")).contains("Page 1 of 3", "&lt;5&gt;", "&#39;friends&#39;", "😀")
                .doesNotContain("class=\"intro\"", "&copy;");
        assertThat(FixtureSites.text(bundle, "/posts/p2/"))
                .contains("updated <time", "<nav class=\"toc\"", "News &amp; &lt;views&gt;</a>, <a", "rel=\"next\"");
    }

    @Test
    void aSiteWithAnAuthorAndNoPostsIsTheSameByJavaAndByPebble(@TempDir Path dir) throws IOException, SiteException {
        Path site = TestSite.in(dir.resolve("empty")).root();
        assertSameBothWays(site, dir.resolve("empty-copy"));
    }

    @Test
    void aSiteThatOverridesOneTemplateIsRenderedByPebbleThroughout(@TempDir Path dir) throws IOException, SiteException {
        Path site = TestSite.sample(dir.resolve("s")).file("layouts/base.html",
                "<html>{% block content %}{% endblock %}<p>own base</p></html>").root();
        SiteBundle bundle = build(site, false);
        assertThat(FixtureSites.text(bundle, "/posts/first-light/")).contains("<p>own base</p>").doesNotContain("<!doctype");
        assertThat(FixtureSites.text(bundle, "/")).contains("<p>own base</p>");
    }

    /** Builds {@code site} as it is, then a copy of it with the default templates as its own, with and without reload. */
    private static SiteBundle assertSameBothWays(Path site, Path copy) throws IOException, SiteException {
        FixtureSites.copyTree(site, copy);
        Path templates = copy.resolve("templates");
        Files.createDirectories(templates);
        for (String name : Theme.DEFAULT_TEMPLATES) {
            try (InputStream in = DefaultThemeTest.class.getClassLoader().getResourceAsStream(THEME + name)) {
                Files.write(templates.resolve(name), in.readAllBytes());
            }
        }
        assertThat(Theme.withOverrides(List.of(site.resolve("templates"))).rendersDefaultTemplatesInJava()).isTrue();
        assertThat(Theme.withOverrides(List.of(templates)).rendersDefaultTemplatesInJava()).isFalse();
        SiteBundle first = null;
        for (boolean liveReload : List.of(false, true)) {
            SiteBundle byJava = build(site, liveReload);
            SiteBundle byPebble = build(copy, liveReload);
            assertThat(byJava.byPath().keySet()).isEqualTo(byPebble.byPath().keySet());
            var different = new ArrayList<String>();
            for (BundleEntry entry : byJava.entries()) {
                String java = new String(entry.body(), StandardCharsets.UTF_8);
                String pebble = new String(byPebble.get(entry.path()).orElseThrow().body(), StandardCharsets.UTF_8);
                if (!java.equals(pebble)) {
                    different.add(entry.path() + "\n--- java:\n" + java + "\n--- pebble:\n" + pebble);
                }
            }
            assertThat(different).as(site + (liveReload ? " (serve mode)" : "")).isEmpty();
            assertThat(byJava.bundleHash()).isEqualTo(byPebble.bundleHash());
            first = first == null ? byJava : first;
        }
        return first;
    }

    private static SiteBundle build(Path site, boolean liveReload) throws SiteException {
        return new SiteBuilder(site, new BuildOptions(false, false, NOW, liveReload)).build().bundle();
    }
}
