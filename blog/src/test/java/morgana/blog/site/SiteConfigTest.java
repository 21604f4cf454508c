package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteConfigTest {

    @TempDir
    Path root;

    @Test
    void readsTitleDescriptionAuthorAndBaseUrl() throws SiteException {
        SiteConfig config = SiteConfig.load(TestSite.in(root).root());

        assertThat(config.title()).isEqualTo("Test Blog");
        assertThat(config.description()).isEqualTo("Notes on <wires> & packets");
        assertThat(config.author()).isEqualTo("Ada");
        assertThat(config.baseUrl()).isEqualTo("http://127.0.0.1:8080/");
        assertThat(config.file()).isEqualTo(root.resolve("morgana.yaml"));
    }

    @Test
    void keepsTheImageSectionAsWritten() throws SiteException {
        SiteConfig config = SiteConfig.load(TestSite.in(root).root());

        Map<String, Object> image = config.section("image");
        assertThat(image).containsEntry("memory", "256M").containsEntry("network", Map.of("mode", "dhcp"));
        assertThat(config.section("permalinks")).isEmpty();
        assertThatThrownBy(() -> config.section("image").put("memory", "1G"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(config.lineOf("image.network.mode")).hasValue(8);
        assertThat(config.error("image.memory", "image.memory must be a size"))
                .hasMessage(root.resolve("morgana.yaml") + ":6: image.memory must be a size");
    }

    @Test
    void addsTheTrailingSlashToBaseUrl() throws SiteException {
        TestSite.in(root).file("morgana.yaml", "title: T\nbase_url: https://blog.example.org\n");

        assertThat(SiteConfig.load(root).baseUrl()).isEqualTo("https://blog.example.org/");
    }

    @Test
    void missingFileNamesItAndMorganaNew() {
        assertThatThrownBy(() -> SiteConfig.load(root))
                .isInstanceOf(SiteException.class)
                .hasMessageStartingWith(root.resolve("morgana.yaml") + ": missing")
                .hasMessageContaining("`morgana new` writes");
    }

    @Test
    void missingSiteDirectoryIsNamed() {
        Path nowhere = root.resolve("nowhere");

        assertThatThrownBy(() -> SiteConfig.load(nowhere))
                .hasMessageStartingWith(nowhere + ": no such site directory");
    }

    @Test
    void titleThatIsNotAStringNamesFileLineAndKey() {
        TestSite.in(root).file("morgana.yaml", """
                # my blog
                base_url: http://127.0.0.1:8080/
                title: 2026
                """);

        assertThatThrownBy(() -> SiteConfig.load(root))
                .isInstanceOf(SiteException.class)
                .hasMessageStartingWith(root.resolve("morgana.yaml") + ":3: title must be a string")
                .satisfies(e -> assertThat(((SiteException) e).line()).hasValue(3));
    }

    @Test
    void missingTitleIsRequired() {
        TestSite.in(root).file("morgana.yaml", "base_url: http://127.0.0.1:8080/\n");

        assertThatThrownBy(() -> SiteConfig.load(root)).hasMessageContaining(":1: title is required");
    }

    @Test
    void relativeBaseUrlNamesItsLine() {
        TestSite.in(root).file("morgana.yaml", "title: T\n\nbase_url: /blog/\n");

        assertThatThrownBy(() -> SiteConfig.load(root))
                .hasMessageContaining("morgana.yaml:3: base_url must be an absolute http(s) URL");
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        TestSite.in(root).file("morgana.yaml", "title: T\nbase_url: http://x/\nimage:\n  memory: [256M\n");

        assertThatThrownBy(() -> SiteConfig.load(root))
                .hasMessageMatching(".*morgana\\.yaml:[45]: invalid YAML: .*");
    }

    @Test
    void duplicateKeyIsAnError() {
        TestSite.in(root).file("morgana.yaml", "title: T\nbase_url: http://x/\ntitle: U\n");

        assertThatThrownBy(() -> SiteConfig.load(root))
                .hasMessageContaining("morgana.yaml:3: invalid YAML")
                .hasMessageContaining("title");
    }

    @Test
    void sectionThatIsNotAMappingNamesItsLine() throws SiteException {
        TestSite.in(root).file("morgana.yaml", "title: T\nbase_url: http://x/\nimage: big\n");
        SiteConfig config = SiteConfig.load(root);

        assertThatThrownBy(() -> config.section("image"))
                .hasMessageContaining("morgana.yaml:3: image must be a mapping");
    }

    @Test
    void fileThatIsAListIsRejected() {
        TestSite.in(root).file("morgana.yaml", "- title\n- base_url\n");

        assertThatThrownBy(() -> SiteConfig.load(root))
                .hasMessageContaining("morgana.yaml:1: expected a mapping");
    }
}
