package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PvhKernelTest {

    @Test
    void theCachedDebianKernelUnpacksToAnElfWithThePvhEntryNote() throws Exception {
        KernelPackage kernel = KernelPackage.fromCache(KernelPackage.defaultCacheDir());

        byte[] vmlinux = PvhKernel.extract(kernel.vmlinuz());

        assertThat(vmlinux).startsWith(0x7f, 'E', 'L', 'F');
        assertThat(vmlinux.length).as("uncompressed, so larger than the bzImage")
                .isGreaterThan((int) Files.size(kernel.vmlinuz()));
        // The PVH entry is a 32-bit physical address inside the kernel's first 64 MiB of load space.
        assertThat(PvhKernel.pvhEntry(vmlinux)).isBetween(0x100_0000L, 0x400_0000L);
    }

    @Test
    void aFileThatIsNotABzImageIsRefusedWithWhatToPass(@TempDir Path tmp) throws Exception {
        Path notAKernel = Files.write(tmp.resolve("vmlinuz"), new byte[4096]);

        assertThatThrownBy(() -> PvhKernel.extract(notAKernel))
                .isInstanceOf(ImageException.class).hasMessageContaining("not an x86 bzImage");
    }

    @Test
    void anElfWithoutNotesHasNoPvhEntry() {
        byte[] elf = new byte[64];
        elf[0] = 0x7f;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        elf[4] = 2;
        elf[5] = 1;

        assertThat(PvhKernel.pvhEntry(elf)).isEqualTo(-1);
        assertThat(PvhKernel.pvhEntry(new byte[10])).isEqualTo(-1);
    }
}
