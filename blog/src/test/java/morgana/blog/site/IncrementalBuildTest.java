package morgana.blog.site;

import static morgana.blog.site.FixtureSites.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A builder that built once rebuilds only the changed post and the pages that list it. */
class IncrementalBuildTest {

    @TempDir
    Path root;

    private SiteBuilder builder() {
        TestSite site = TestSite.in(root).file("morgana.yaml", TestSite.CONFIG + "paginate: 5\n");
        for (int i = 1; i <= 30; i++) {
            site.post(String.format("p%02d.md", i), "---\ntitle: Post " + i + "\ndate: 2026-01-" + String.format("%02d", i)
                    + "\ntags: [t" + (i % 3) + "]\n---\nBody " + i + ".\n");
        }
        return new SiteBuilder(root, BuildOptions.publishing(Instant.parse("2026-06-01T00:00:00Z")));
    }

    private void edit(String file, String text) throws Exception {
        Path path = root.resolve("posts").resolve(file);
        Files.writeString(path, text);
        // a later modification time, even on file systems with coarse timestamps
        Files.setLastModifiedTime(path, FileTime.from(Files.getLastModifiedTime(path).toInstant().plusSeconds(2)));
    }

    @Test
    void turningSmartPunctuationOnOrOffRendersEveryPostAgain() throws Exception {
        SiteBuilder builder = builder();
        edit("p03.md", "---\ntitle: Post 3\ndate: 2026-01-03\n---\nIt's \"quoted\" -- or not...\n");
        assertThat(text(builder.build().bundle(), "/posts/p03/")).contains("It's &quot;quoted&quot; -- or not...");

        Files.writeString(root.resolve("morgana.yaml"), TestSite.CONFIG + "paginate: 5\nsmart_punctuation: true\n");
        var smart = builder.build();
        assertThat(smart.stats().postsRead()).isEqualTo(30);
        assertThat(text(smart.bundle(), "/posts/p03/")).contains("It’s “quoted” – or not…");

        Files.writeString(root.resolve("morgana.yaml"), TestSite.CONFIG + "paginate: 5\nsmart_punctuation: false\n");
        assertThat(text(builder.build().bundle(), "/posts/p03/")).contains("It's &quot;quoted&quot; -- or not...");

        Files.writeString(root.resolve("morgana.yaml"), TestSite.CONFIG + "paginate: 5\nsmart_punctuation: yes please\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(builder::build).isInstanceOf(SiteException.class)
                .hasMessageContaining("morgana.yaml").hasMessageContaining("smart_punctuation must be true or false");
    }

    @Test
    void nothingChangedMeansNothingIsReadOrRendered() throws Exception {
        SiteBuilder builder = builder();
        var first = builder.build();
        var second = builder.build();

        assertThat(first.stats().postsRead()).isEqualTo(30);
        assertThat(second.stats().postsRead()).isZero();
        assertThat(second.stats().pagesRendered()).isZero();
        assertThat(second.bundle().bundleHash()).isEqualTo(first.bundle().bundleHash());
    }

    @Test
    void editingTheBodyOfAnOldPostRerendersItAndTheListsThatShowIt() throws Exception {
        SiteBuilder builder = builder();
        builder.build();
        edit("p03.md", "---\ntitle: Post 3\ndate: 2026-01-03\ntags: [t0]\n---\nA new body.\n");
        var rebuilt = builder.build();

        assertThat(rebuilt.stats().postsRead()).isEqualTo(1);
        // its page, its neighbours (they link to it by title only: unchanged text, re-rendered but not re-compressed),
        // its index page, its tag page, the archives and its year
        assertThat(rebuilt.stats().pagesRendered()).isLessThanOrEqualTo(8);
        assertThat(text(rebuilt.bundle(), "/posts/p03/")).contains("A new body.");
        assertThat(text(rebuilt.bundle(), "/page/6/")).contains("A new body.");
    }

    @Test
    void aRebuildGivesTheSameBundleAsAFreshBuild() throws Exception {
        SiteBuilder builder = builder();
        builder.build();
        edit("p10.md", "---\ntitle: Post ten, renamed\ndate: 2026-01-10\ntags: [new]\n---\nChanged.\n");
        Files.delete(root.resolve("posts/p20.md"));
        var rebuilt = builder.build();
        var fresh = new SiteBuilder(root, BuildOptions.publishing(Instant.parse("2026-06-01T00:00:00Z"))).build();

        assertThat(rebuilt.bundle().bundleHash()).isEqualTo(fresh.bundle().bundleHash());
        assertThat(rebuilt.bundle().find("/posts/p20/")).isEmpty();
        assertThat(text(rebuilt.bundle(), "/tags/new/")).contains("Post ten, renamed");
    }

    @Test
    void aLinkBrokenByDeletingAnotherPostIsReportedOnTheUnchangedPostAndClearedWhenItComesBack() throws Exception {
        SiteBuilder builder = builder();
        edit("p02.md", "---\ntitle: Post 2\ndate: 2026-01-02\n---\nSee [post 1](/posts/p01/).\n");
        assertThat(builder.build().brokenLinks()).isEmpty();

        Path p01 = root.resolve("posts/p01.md");
        String saved = Files.readString(p01);
        Files.delete(p01);
        var broken = builder.build().brokenLinks();
        assertThat(broken).extracting(b -> b.post().source().getFileName().toString(), LinkChecker.BrokenLink::destination)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p02.md", "/posts/p01/"));

        assertThat(builder.build().brokenLinks()).as("still broken when nothing changed").hasSize(1);
        Files.writeString(p01, saved);
        assertThat(builder.build().brokenLinks()).isEmpty();
    }

    @Test
    void aPostThatIsALinkIsPublishedAndReadAgainWhenTheFileItLeadsToChanges() throws Exception {
        SiteBuilder builder = builder();
        Path elsewhere = Files.createDirectories(root.resolve("drafts")).resolve("linked.md");
        Files.writeString(elsewhere, "---\ntitle: Linked\ndate: 2026-02-01\n---\nThrough a link.\n");
        Files.createSymbolicLink(root.resolve("posts").resolve("linked.md"), elsewhere);
        assertThat(text(builder.build().bundle(), "/posts/linked/")).contains("Through a link.");

        Files.writeString(elsewhere, "---\ntitle: Linked\ndate: 2026-02-01\n---\nChanged at the other end.\n");
        Files.setLastModifiedTime(elsewhere, FileTime.from(Files.getLastModifiedTime(elsewhere).toInstant().plusSeconds(2)));
        var rebuilt = builder.build();

        assertThat(rebuilt.stats().postsRead()).isEqualTo(1);
        assertThat(text(rebuilt.bundle(), "/posts/linked/")).contains("Changed at the other end.");
    }

    @Test
    void aTemplateAddedOrEditedBetweenBuildsIsUsedForEveryPage() throws Exception {
        SiteBuilder builder = builder();
        builder.build();
        Path template = Files.createDirectories(root.resolve("layouts")).resolve("post.html");
        Files.writeString(template, "FIRST {{ post.title }}");
        assertThat(text(builder.build().bundle(), "/posts/p07/")).isEqualTo("FIRST Post 7");

        Files.writeString(template, "SECOND {{ post.title }}");
        Files.setLastModifiedTime(template, FileTime.from(Files.getLastModifiedTime(template).toInstant().plusSeconds(2)));
        var rebuilt = builder.build();

        assertThat(text(rebuilt.bundle(), "/posts/p07/")).isEqualTo("SECOND Post 7");
        assertThat(text(rebuilt.bundle(), "/posts/p21/")).isEqualTo("SECOND Post 21");
    }
}
