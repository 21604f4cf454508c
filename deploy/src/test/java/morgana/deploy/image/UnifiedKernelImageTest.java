package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnifiedKernelImageTest {

    @Test
    void addsTheFourSectionsAfterTheStubsOwnAndTheSameInputsGiveTheSameBytes(@TempDir Path tmp) throws Exception {
        Path kernel = Files.write(tmp.resolve("kernel"), new byte[100_000]);
        Path initrd = Files.write(tmp.resolve("initrd"), new byte[50_000]);
        Path first = tmp.resolve("first.efi");
        Path second = tmp.resolve("second.efi");

        UnifiedKernelImage.build(UnifiedKernelImage.DEFAULT_STUB, kernel, initrd, "console=ttyS0", "ID=morgana\n",
                tmp.resolve("w1"), first);
        Thread.sleep(1100); // objcopy stamps the second; the result must not show it
        UnifiedKernelImage.build(UnifiedKernelImage.DEFAULT_STUB, kernel, initrd, "console=ttyS0", "ID=morgana\n",
                tmp.resolve("w2"), second);

        assertThat(BuiltImage.sha256(first)).isEqualTo(BuiltImage.sha256(second));
        String sections = Tools.run(tmp, Duration.ofSeconds(30), "objdump", "-h", first.toString());
        long stubEnd = UnifiedKernelImage.endOfSections(Files.readAllBytes(UnifiedKernelImage.DEFAULT_STUB));
        for (String name : new String[] {".osrel", ".cmdline", ".linux", ".initrd"}) {
            String line = sections.lines().filter(l -> l.contains(" " + name + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + name + " in\n" + sections));
            long vma = Long.parseLong(line.trim().split("\\s+")[3], 16);
            assertThat(vma).as("%s after the stub's sections", name).isGreaterThanOrEqualTo(stubEnd);
        }
    }

    @Test
    void thePeChecksumIsTheFoldedWordSumPlusTheLength() {
        assertThat(UnifiedKernelImage.peChecksum(new byte[] {1, 0, 2, 0})).isEqualTo(3 + 4);
        assertThat(UnifiedKernelImage.peChecksum(new byte[] {(byte) 0xFF, (byte) 0xFF, 2, 0, 7})).isEqualTo(2 + 7 + 5);
    }
}
