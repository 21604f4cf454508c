package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuImageTest {

    @Test
    void findsJffisStubInTheGuestJarThatCarriesIt(@TempDir Path tmp) throws Exception {
        Path plain = tmp.resolve("plain.jar");
        Path nativeJar = tmp.resolve("jffi-native.jar");
        try (var zip = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(plain))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("a/B.class"));
            zip.write(1);
        }
        try (var zip = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(nativeJar))) {
            zip.putNextEntry(new java.util.zip.ZipEntry(morgana.kernel.boot.GuestJvm.JFFI_STUB_RESOURCE));
            zip.write(new byte[] {0x7f, 'E', 'L', 'F'});
        }

        assertThat(QemuImage.jffiStub(List.of(plain, nativeJar))).get().isEqualTo(new byte[] {0x7f, 'E', 'L', 'F'});
        assertThat(QemuImage.jffiStub(List.of(plain))).isEmpty();
    }

    @Test
    void aGuestLibWithoutTheMainClassIsRefusedBeforeAnythingIsBuilt(@TempDir Path tmp) throws Exception {
        Path lib = HelloGuest.writeGuestLib(tmp.resolve("guest"));
        KernelPackage kernel = KernelPackage.fromCache(KernelPackage.defaultCacheDir());
        QemuImage image = new QemuImage(kernel, List.of(), lib, GuestLaunch.unikernel(256), 512, 80,
                KernelPackage.defaultCacheDir());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> image.writeTo(tmp.resolve("out"), new byte[0], ""))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("morgana.unikernel.GuestMain").hasMessageContaining("--guest-lib");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void buildingTheSameImageTwiceGivesTheSameBytes(@TempDir Path tmp) throws Exception {
        BuiltImage first = HelloGuest.build(tmp.resolve("work1"), tmp.resolve("one"));
        BuiltImage second = HelloGuest.build(tmp.resolve("work2"), tmp.resolve("two"));

        assertThat(BuiltImage.sha256(first.initramfs())).isEqualTo(BuiltImage.sha256(second.initramfs()))
                .isEqualTo(first.properties().get("initramfs.sha256"));
        assertThat(first.properties()).isEqualTo(second.properties());
    }

    @Test
    void initramfsHoldsRuntimeLibrariesAppModulesAndBootFiles(@TempDir Path tmp) throws Exception {
        BuiltImage image = HelloGuest.build(tmp.resolve("work"), tmp.resolve("image"));

        String listing = Tools.run(tmp, Duration.ofSeconds(60), "sh", "-c",
                "zstd -dc " + image.initramfs() + " | cpio -itv --quiet");
        List<String> lines = listing.lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("crw------- .* 5, +1 .* dev/console"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("-rwxr-xr-x .* jre/bin/java"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" jre/lib/server/libjvm.so"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" jre/lib/server/classes.jsa"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).endsWith("classes_nocoops.jsa"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" lib64/ld-linux-x86-64.so.2"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith("/libc.so.6"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" app/lib/hello.jar"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" lib/modules/virtio_net.ko"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" lib/modules/virtio_pci.ko"));
        assertThat(lines).as("the hello guest has no jnr-ffi").noneSatisfy(l -> assertThat(l).contains("libjffi"));
        for (String dir : List.of("proc", "sys", "tmp")) {
            assertThat(lines).anySatisfy(l -> assertThat(l).matches("d.* " + dir));
        }
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" morgana/site.bundle"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" morgana/boot.manifest"));
        assertThat(lines).anySatisfy(l -> assertThat(l).endsWith(" morgana/jvm.args"));

        String argfile = Tools.run(tmp, Duration.ofSeconds(60), "sh", "-c",
                "zstd -dc " + image.initramfs() + " | cpio -i --quiet --to-stdout morgana/jvm.args");
        assertThat(argfile).startsWith("-cp\n/app/lib/hello.jar\n").endsWith("hello.Hello\n/morgana/boot.manifest\n");
        assertThat(image.commandLine()).isEqualTo(HelloGuest.launch().kernelCommandLine());
        assertThat(image.properties().get("modules")).isEqualTo(
                "virtio_ring,virtio,virtio_pci_modern_dev,virtio_pci_legacy_dev,virtio_pci,failover,net_failover,virtio_net");
    }
}
