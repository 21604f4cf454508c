package morgana.blog.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import org.junit.jupiter.api.Test;

class CachePolicyTest {

    private static String policy(String path, String type) {
        return CachePolicy.forEntry(BundleEntry.of(path, type, "x".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aNameWithAContentHashIsCachedForAYear() {
        assertThat(policy("/style.0123456789.css", ContentTypes.CSS)).isEqualTo(CachePolicy.FINGERPRINTED);
        assertThat(policy("/images/cat.3f9a1c2e.png", "image/png")).isEqualTo(CachePolicy.FINGERPRINTED);
        assertThat(policy("/fonts/font-9b2d4e6f0a.woff2", "font/woff2")).isEqualTo(CachePolicy.FINGERPRINTED);
    }

    @Test
    void otherNamesAreNot() {
        assertThat(CachePolicy.isHashedName("cat.3f9a1c2.png")).as("7 hex digits").isFalse();
        assertThat(CachePolicy.isHashedName("3f9a1c2e.png")).as("nothing before the hash").isFalse();
        assertThat(CachePolicy.isHashedName("cat_3f9a1c2e.png")).as("not after . or -").isFalse();
        assertThat(CachePolicy.isHashedName("cat.3f9a1c2g.png")).as("not hex").isFalse();
        assertThat(CachePolicy.isHashedName("cat.3f9a1c2e.")).as("no extension").isFalse();
        assertThat(CachePolicy.isHashedName("cat.3f9a1c2e.p-g")).as("odd extension").isFalse();
        assertThat(policy("/posts/a/index.html", ContentTypes.HTML)).isEqualTo(CachePolicy.SHORT);
        assertThat(policy("/images/cat.png", "image/png")).isEqualTo(CachePolicy.DEFAULT);
    }
}
