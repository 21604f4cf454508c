package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import morgana.kernel.boot.BootManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSettingsTest {

    private static SiteConfig config(Path dir, String image) throws Exception {
        Files.writeString(dir.resolve("morgana.yaml"), "title: T\nbase_url: \"http://127.0.0.1:8080/\"\n" + image);
        return SiteConfig.load(dir);
    }

    @Test
    void readsTheExampleBlogsImageSection() throws Exception {
        ImageSettings settings = ImageSettings.from(SiteConfig.load(Path.of("..", "examples", "blog")));

        assertThat(settings.memoryMib()).isEqualTo(512);
        assertThat(settings.address().toString()).isEqualTo("10.0.2.15/24");
        assertThat(settings.gateway()).get().hasToString("10.0.2.2");
        assertThat(settings.port()).isEqualTo(80);
        assertThat(settings.modulesToLoad()).containsExactly("virtio_pci", "virtio_net");
    }

    @Test
    void everyKeyIsOptional(@TempDir Path tmp) throws Exception {
        assertThat(ImageSettings.from(config(tmp, ""))).isEqualTo(ImageSettings.QEMU_DEFAULTS);
    }

    @Test
    void memoryTakesMegabytesOrGigabytes(@TempDir Path tmp) throws Exception {
        assertThat(ImageSettings.from(config(tmp, "image:\n  memory: 1G\n")).memoryMib()).isEqualTo(1024);
        assertThat(ImageSettings.from(config(tmp, "image:\n  memory: 768\n")).memoryMib()).isEqualTo(768);
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  memory: lots\n")))
                .isInstanceOf(SiteException.class).hasMessageContaining("morgana.yaml:4").hasMessageContaining("512M");
    }

    @Test
    void badNetworkSettingsNameTheKey(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  network:\n    mode: dhcp\n")))
                .isInstanceOf(SiteException.class).hasMessageContaining("image.network.mode").hasMessageContaining("static");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp,
                "image:\n  network:\n    address: 10.0.2.15/24\n    gateway: 192.168.1.1\n")))
                .isInstanceOf(SiteException.class).hasMessageContaining("not on the guest's network");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  drivers: virtio_net\n")))
                .isInstanceOf(SiteException.class).hasMessageContaining("image.drivers");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  target: vmware\n")))
                .isInstanceOf(SiteException.class).hasMessageContaining("image.target").hasMessageContaining("qemu, xen or ec2");
    }

    @Test
    void manifestNamesTheModulesWhereTheImagePutsThemAndReadsBack() throws Exception {
        List<KernelModule> modules = List.of(new KernelModule("failover", Path.of("/x/failover.ko")),
                new KernelModule("virtio_net", Path.of("/x/virtio_net.ko.xz")));

        String text = SiteImages.manifest(ImageSettings.QEMU_DEFAULTS, modules);
        BootManifest manifest = BootManifest.read(new StringReader(text), "test");

        assertThat(manifest.driverModules()).containsExactly("/lib/modules/failover.ko", "/lib/modules/virtio_net.ko");
        assertThat(manifest.interfaceName()).isEqualTo("eth0");
        assertThat(manifest.bundlePath()).isEqualTo(GuestLaunch.BUNDLE);
        assertThat(manifest.httpPort()).isEqualTo(80);
        assertThat(manifest.address().toString()).isEqualTo("10.0.2.15/24");
    }
}
