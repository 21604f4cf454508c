package morgana.blog.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LibcryptoTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 55, 56, 63, 64, 65, 5_000, 1_000_003})
    void sha256IsTheJdksAcrossBlockBoundaries(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);

        assertThat(Libcrypto.sha256(bytes)).isEqualTo(BundleEntry.sha256(bytes));
    }

    @Test
    void aBuiltEntrysEtagIsTheSha256OfItsBody() {
        byte[] page = "<p>a page</p>".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(BundleEntry.of("/a.html", ContentTypes.HTML, page).etag()).isEqualTo(BundleEntry.etagOf(page));
    }
}
