package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an image build refuses before it builds anything, each with the file, the key and what to do. */
class SiteImagesValidationTest {

    private static final String SITE_HEAD = "title: T\nbase_url: \"http://127.0.0.1:8080/\"\n";

    private static SiteImages.Request request(Path tmp) {
        return new SiteImages.Request(tmp.resolve("out"), Optional.empty(), tmp.resolve("no-guest-lib"),
                KernelPackage.defaultCacheDir());
    }

    @Test
    void aDriverTheChosenKernelLacksIsNamedWithItsLineBeforeAnythingIsBuilt(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("morgana.yaml"), SITE_HEAD + "image:\n  drivers:\n    - virtio_net\n    - e1000z\n");

        assertThatThrownBy(() -> SiteImages.build(tmp, Optional.empty(), request(tmp)))
                .isInstanceOf(SiteException.class)
                .hasMessageContaining(tmp.resolve("morgana.yaml") + ":6")
                .hasMessageContaining("image.drivers names e1000z, which kernel ")
                .hasMessageContaining("modules.dep")
                .hasMessageContaining("expected a NIC driver module such as virtio_net");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void aMissingConfigurationNamesTheFileAndTheCommandThatWritesOne(@TempDir Path tmp) {
        assertThatThrownBy(() -> SiteImages.build(tmp, Optional.empty(), request(tmp)))
                .isInstanceOf(ImageException.class)
                .hasMessage(tmp.resolve("morgana.yaml") + " is missing: an image is built from a site's morgana.yaml;"
                        + " `morgana new " + tmp + "` writes a working one");
    }

    @Test
    void anEmptyConfigurationSaysSoAndPointsAtMorganaNew(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve(SiteConfig.FILE_NAME), "");

        assertThatThrownBy(() -> SiteImages.build(tmp, Optional.empty(), request(tmp)))
                .isInstanceOf(SiteException.class)
                .hasMessageContaining(tmp.resolve("morgana.yaml").toString())
                .hasMessageContaining("empty")
                .hasMessageContaining("morgana new");
    }
}
