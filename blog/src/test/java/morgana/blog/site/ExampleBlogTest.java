package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example site in the repository builds, links and all. */
class ExampleBlogTest {

    private static final Path EXAMPLE = Path.of("../examples/blog");

    @Test
    void exampleBlogBuildsWithAtLeastSixPosts() throws SiteException {
        SiteBuilder.BuiltSite site = SiteBuilder.buildSite(EXAMPLE);

        assertThat(site.posts()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(site.bundle().byPath().keySet().stream().filter(p -> p.startsWith("/posts/")))
                .hasSize(site.posts().size() + 1); // and the section's page, /posts/
        assertThat(site.config().section("image")).containsKey("memory");
    }
}
