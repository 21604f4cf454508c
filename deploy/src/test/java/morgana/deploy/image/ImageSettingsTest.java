package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import morgana.kernel.boot.Addressing;
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
        assertThat(settings.addressing()).isEqualTo(ImageSettings.QEMU_USER_NETWORK);
        assertThat(settings.ports()).containsExactly(80);
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
    void dhcpTakesNeitherAddressNorGateway(@TempDir Path tmp) throws Exception {
        assertThat(ImageSettings.from(config(tmp, "image:\n  network:\n    mode: dhcp\n")).addressing())
                .isEqualTo(new Addressing.Dhcp());
        assertThatThrownBy(() -> ImageSettings.from(config(tmp,
                "image:\n  network:\n    mode: dhcp\n    address: 10.0.2.15/24\n")))
                .isInstanceOf(SiteException.class).hasMessageContaining("morgana.yaml:6")
                .hasMessageContaining("image.network.address is for mode static");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLineAndTheKeysThatExist(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  memory: 512M\n  drviers: [virtio_net]\n")))
                .isInstanceOf(SiteException.class)
                .hasMessageContaining(tmp.resolve("morgana.yaml").toString())
                .hasMessageContaining("morgana.yaml:5")
                .hasMessageContaining("image.drviers is not a setting Morgana knows")
                .hasMessageContaining("drivers, hostname, interface, log_level, memory, network");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  network:\n    mode: static\n    gw: 10.0.2.2\n")))
                .hasMessageContaining("morgana.yaml:6").hasMessageContaining("image.network.gw is not a setting")
                .hasMessageContaining("address, gateway, mode");
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatWasExpectedAndWhatWasFound(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  port: \"eighty\"\n")))
                .hasMessageContaining("morgana.yaml:4")
                .hasMessageContaining("image.port must be a TCP port (a whole number from 1 to 65535), not the string \"eighty\"");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  hostname: [a, b]\n")))
                .hasMessageContaining("image.hostname must be a non-empty string, not a list");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  network: dhcp\n")))
                .hasMessageContaining("image.network must be a mapping with mode (dhcp or static)");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  drivers: virtio_net\n")))
                .hasMessageContaining("image.drivers must be a list, like [virtio_net]");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  drivers: [virtio_net, 7]\n")))
                .hasMessageContaining("image.drivers.1 must be a kernel module name");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  on_fatal: explode\n")))
                .hasMessageContaining("image.on_fatal must be one of poweroff, reboot, not explode");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  interface: a-name-longer-than-15\n")))
                .hasMessageContaining("image.interface must be a network interface name");
        assertThat(ImageSettings.from(config(tmp, "image:\n  interface: ens3\n")).nic()).isEqualTo("ens3");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  watchdog: 0\n")))
                .hasMessageContaining("image.watchdog must be seconds from 1 to 3600, not 0");
    }

    @Test
    void aPortListedTwiceCollidesAndBothLinesAreNamed(@TempDir Path tmp) throws Exception {
        assertThat(ImageSettings.from(config(tmp, "image:\n  ports: [80, 8080]\n")).ports()).containsExactly(80, 8080);
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  ports:\n    - 80\n    - 8080\n    - 80\n")))
                .isInstanceOf(SiteException.class)
                .hasMessageContaining("morgana.yaml:7")
                .hasMessageContaining("image.ports.2 collides with image.ports.0 (line 5): port 80 is already served");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  port: 80\n  ports: [8080]\n")))
                .hasMessageContaining("image.ports and image.port both name ports");
    }

    @Test
    void badNetworkSettingsNameTheKey(@TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  network:\n    mode: bootp\n")))
                .isInstanceOf(SiteException.class).hasMessageContaining("image.network.mode must be one of static, dhcp");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp,
                "image:\n  network:\n    address: 10.0.2.15/24\n    gateway: 192.168.1.1\n")))
                .isInstanceOf(SiteException.class).hasMessageContaining("not on the guest's network");
        assertThatThrownBy(() -> ImageSettings.from(config(tmp, "image:\n  target: vmware\n")))
                .isInstanceOf(SiteException.class).hasMessageContaining("image.target").hasMessageContaining("qemu, xen, ec2");
    }

    @Test
    void theManifestNamesTheModulesWhereTheImagePutsThemAndReadsBack() throws Exception {
        List<KernelModule> modules = List.of(new KernelModule("failover", Path.of("/x/failover.ko")),
                new KernelModule("virtio_net", Path.of("/x/virtio_net.ko.xz")));

        String text = SiteImages.manifest(ImageSettings.QEMU_DEFAULTS, new ImageTarget.Qemu(), modules,
                java.util.Optional.empty(), new byte[] {1, 2, 3}).text();
        BootManifest manifest = BootManifest.read(new StringReader(text), "test");

        assertThat(manifest.driverModules()).containsExactly("/lib/modules/failover.ko", "/lib/modules/virtio_net.ko");
        assertThat(manifest.interfaceName()).isEqualTo("eth0");
        assertThat(manifest.bundlePath()).isEqualTo(GuestLaunch.BUNDLE);
        assertThat(manifest.bundleSha256()).contains("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81");
        assertThat(manifest.ports()).containsExactly(80);
        assertThat(manifest.addressing()).isEqualTo(ImageSettings.QEMU_USER_NETWORK);
        assertThat(manifest.policy().console()).isEqualTo("ttyS0");
        assertThat(manifest.policy().memoryMib()).isEqualTo(512);
    }
}
