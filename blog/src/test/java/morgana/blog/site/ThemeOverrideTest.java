package morgana.blog.site;

import static morgana.blog.site.FixtureSites.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A site replaces any template of the default theme, or adds its own for {@code layout:}, from layouts/. */
class ThemeOverrideTest {

    @TempDir
    Path root;

    @Test
    void aTemplateInLayoutsReplacesTheDefaultOneAndStillExtendsTheBase() throws SiteException {
        TestSite.sample(root).file("layouts/post.html",
                "{% extends \"base.html\" %}{% block content %}<p class=\"mine\">{{ post.title }}</p>{% endblock %}");
        String page = text(SiteBuilder.build(root), "/posts/tables-and-tcp/");

        assertThat(page).contains("<p class=\"mine\">Tables &amp; TCP &lt;options&gt;</p>", "<main id=\"content\">");
    }

    @Test
    void layoutFrontMatterPicksTheSitesTemplateAndFallsBackToPostWhenThereIsNone() throws SiteException {
        TestSite.in(root)
                .file("layouts/wide.html", "WIDE {{ post.title }}")
                .post("a.md", "---\ntitle: A\ndate: 2026-01-01\nlayout: wide\n---\nx\n")
                .post("b.md", "---\ntitle: B\ndate: 2026-01-02\nlayout: post\n---\nx\n");
        var bundle = SiteBuilder.build(root);

        assertThat(text(bundle, "/posts/a/")).isEqualTo("WIDE A");
        assertThat(text(bundle, "/posts/b/")).contains("<h1>B</h1>");
    }

    @Test
    void autoEscapingStaysOnInTheSitesTemplates() throws SiteException {
        TestSite.in(root)
                .file("layouts/post.html", "{{ post.title }}|{{ post.params.note }}")
                .post("a.md", "---\ntitle: \"<script>alert(1)</script>\"\ndate: 2026-01-01\nnote: \"<b>\"\n---\nx\n");

        assertThat(text(SiteBuilder.build(root), "/posts/a/"))
                .isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;|&lt;b&gt;");
    }

    @Test
    void aBrokenTemplateNamesItsFileAndLine() {
        TestSite.sample(root).file("layouts/post.html", "line one\n{% if post.title %}\nnever closed\n");

        assertThatThrownBy(() -> SiteBuilder.build(root))
                .isInstanceOf(SiteException.class)
                .hasMessageStartingWith(root.resolve("layouts/post.html").toAbsolutePath() + ":")
                .hasMessageContaining("template error");
    }

    @Test
    void theStylesheetIsReplacedFromLayoutsAndGetsANewFingerprint() throws SiteException {
        TestSite.sample(root);
        String before = fingerprinted(SiteBuilder.build(root));
        TestSite.in(root).file("layouts/style.css", "body { color: red; }\n");
        var after = SiteBuilder.build(root);

        assertThat(fingerprinted(after)).isNotEqualTo(before);
        assertThat(text(after, fingerprinted(after))).isEqualTo("body { color: red; }\n");
    }

    private static String fingerprinted(morgana.blog.bundle.SiteBundle bundle) {
        return bundle.byPath().keySet().stream().filter(p -> p.matches("/style\\.[0-9a-f]{10}\\.css")).findFirst().orElseThrow();
    }
}
