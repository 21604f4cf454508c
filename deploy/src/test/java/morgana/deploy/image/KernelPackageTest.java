package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Module resolution against the real Debian cloud kernel that scripts/setup unpacks into the cache, and
 * against small packages made here for the formats that kernel does not use.
 */
class KernelPackageTest {

    private static KernelPackage cached() throws IOException {
        return KernelPackage.fromCache(KernelPackage.defaultCacheDir());
    }

    private static List<String> names(List<KernelModule> modules) {
        return modules.stream().map(KernelModule::name).toList();
    }

    @Test
    void findsTheKernelImageAndModulesOfTheCachedPackage() throws IOException {
        KernelPackage kernel = cached();

        assertThat(kernel.vmlinuz().getFileName().toString()).isEqualTo("vmlinuz-" + kernel.release());
        assertThat(kernel.release()).endsWith("-cloud-amd64");
        assertThat(kernel.modulesDir()).get().satisfies(dir -> assertThat(dir.resolve("modules.dep")).isRegularFile());
    }

    @Test
    void resolvesVirtioNetWithItsDependenciesFirst() throws IOException {
        List<KernelModule> chain = cached().resolve(List.of("virtio_net"));

        assertThat(names(chain)).containsExactlyInAnyOrder("virtio_ring", "virtio", "failover", "net_failover", "virtio_net");
        assertThat(names(chain).indexOf("virtio_ring")).isLessThan(names(chain).indexOf("virtio"));
        assertThat(names(chain).indexOf("failover")).isLessThan(names(chain).indexOf("net_failover"));
        assertThat(names(chain).getLast()).isEqualTo("virtio_net");
        for (KernelModule module : chain) {
            assertThat(module.file()).isRegularFile();
            assertThat(module.bytes()).startsWith(0x7f, 'E', 'L', 'F');
        }
    }

    @Test
    void sharedDependenciesAreLoadedOnceAndDashesMatchUnderscores() throws IOException {
        List<KernelModule> chain = cached().resolve(List.of("virtio-pci", "virtio_net"));

        assertThat(names(chain)).doesNotHaveDuplicates();
        assertThat(names(chain)).startsWith("virtio_ring", "virtio");
        assertThat(names(chain)).contains("virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci");
        assertThat(names(chain).indexOf("virtio_pci_modern_dev")).isLessThan(names(chain).indexOf("virtio_pci"));
        assertThat(names(chain).getLast()).isEqualTo("virtio_net");
    }

    @Test
    void builtInModulesNeedNoFile() throws IOException {
        KernelPackage kernel = cached();

        assertThat(kernel.isBuiltin("af_packet")).isTrue();
        assertThat(kernel.hasModule("af_packet")).isFalse();
        assertThat(kernel.resolve(List.of("af_packet"))).isEmpty();
        assertThat(kernel.isBuiltin("virtio_net")).isFalse();
        assertThat(kernel.hasModule("virtio_net")).isTrue();
    }

    @Test
    void anUnknownModuleIsAnErrorThatNamesIt() throws IOException {
        KernelPackage kernel = cached();

        assertThatThrownBy(() -> kernel.resolve(List.of("virtio_nett")))
                .isInstanceOf(ImageException.class)
                .hasMessageContaining("'virtio_nett'")
                .hasMessageContaining(kernel.release());
    }

    @Test
    void decompressesXzModulesAndRefusesZstdWithAReason(@TempDir Path tmp) throws IOException {
        Path modules = Files.createDirectories(tmp.resolve("lib/modules/9.9.9-test/kernel"));
        Files.createDirectories(tmp.resolve("boot"));
        Files.writeString(tmp.resolve("boot/vmlinuz-9.9.9-test"), "not a kernel");
        byte[] elf = "\u007fELF pretend module".getBytes(StandardCharsets.ISO_8859_1);
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(modules.resolve("a.ko.xz")), new LZMA2Options())) {
            out.write(elf);
        }
        Files.write(modules.resolve("b.ko.zst"), new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
        Files.write(modules.resolve("c.ko"), elf);
        Files.writeString(modules.resolveSibling("modules.dep"),
                "kernel/a.ko.xz: kernel/c.ko\nkernel/b.ko.zst:\nkernel/c.ko:\n");

        KernelPackage kernel = KernelPackage.open(tmp);
        List<KernelModule> chain = kernel.resolve(List.of("a"));

        assertThat(kernel.release()).isEqualTo("9.9.9-test");
        assertThat(names(chain)).containsExactly("c", "a");
        assertThat(chain.get(1).bytes()).isEqualTo(elf);
        assertThat(chain.get(1).imageFileName()).isEqualTo("a.ko");
        assertThatThrownBy(() -> kernel.resolve(List.of("b")).getFirst().bytes())
                .isInstanceOf(ImageException.class).hasMessageContaining("zstd");
    }

    @Test
    void aBareKernelImageShipsNoModules(@TempDir Path tmp) throws IOException {
        Path image = Files.writeString(tmp.resolve("bzImage"), "kernel");

        KernelPackage kernel = KernelPackage.open(image);

        assertThat(kernel.vmlinuz()).isEqualTo(image);
        assertThat(kernel.modulesDir()).isEmpty();
        assertThat(kernel.resolve(List.of("virtio_net"))).isEmpty();
    }

    @Test
    void aMissingKernelSaysHowToGetOne(@TempDir Path tmp) {
        assertThatThrownBy(() -> KernelPackage.fromCache(tmp))
                .isInstanceOf(ImageException.class).hasMessageContaining("scripts/setup").hasMessageContaining("--kernel");
        assertThatThrownBy(() -> KernelPackage.open(tmp.resolve("nope")))
                .isInstanceOf(ImageException.class).hasMessageContaining("does not exist");
    }
}
