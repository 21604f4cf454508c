package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks our newc writer against GNU cpio, the tool whose format the kernel's unpacker shares. */
class CpioWriterTest {

    private static byte[] sampleArchive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioWriter cpio = new CpioWriter(bytes)) {
            cpio.directory("/dev", 0755);
            cpio.characterDevice("/dev/console", 0600, 5, 1);
            cpio.directory("/tmp", 01777);
            cpio.file("/jre/bin/java", 0755, "#!not really java\n".getBytes(StandardCharsets.UTF_8));
            cpio.file("/morgana/boot.manifest", 0644, "abc".getBytes(StandardCharsets.UTF_8));
            cpio.file("/empty", 0644, new byte[0]);
            cpio.symlink("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        }
        return bytes.toByteArray();
    }

    @Test
    void cpioListsEveryEntryWithItsTypeModeAndSize(@TempDir Path tmp) throws Exception {
        Path archive = tmp.resolve("a.cpio");
        Files.write(archive, sampleArchive());

        String listing = Tools.run(tmp, Duration.ofSeconds(30), "sh", "-c", "cpio -itv --quiet < a.cpio");

        List<String> lines = listing.lines().toList();
        assertThat(lines).hasSize(11);
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("drwxr-xr-x +2 root +root +0 .* dev"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("crw------- +1 root +root +5, +1 .* dev/console"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("drwxrwxrwt +2 root +root +0 .* tmp"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("drwxr-xr-x +2 root +root +0 .* jre"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("drwxr-xr-x +2 root +root +0 .* jre/bin"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("-rwxr-xr-x +1 root +root +18 .* jre/bin/java"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("-rw-r--r-- +1 root +root +3 .* morgana/boot.manifest"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("-rw-r--r-- +1 root +root +0 .* empty"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches(
                "lrwxrwxrwx +1 root +root +\\d+ .* lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("drwxr-xr-x +2 root +root +0 .* lib64"));
    }

    @Test
    void parentDirectoriesComeBeforeTheirEntries(@TempDir Path tmp) throws Exception {
        Path archive = tmp.resolve("a.cpio");
        Files.write(archive, sampleArchive());

        List<String> names = Tools.run(tmp, Duration.ofSeconds(30), "sh", "-c", "cpio -it --quiet < a.cpio").lines().toList();

        assertThat(names).as("the kernel's unpacker does not create missing parents").containsExactly("dev", "dev/console", "tmp", "jre", "jre/bin", "jre/bin/java",
                "morgana", "morgana/boot.manifest", "empty", "lib64", "lib64/ld-linux-x86-64.so.2");
    }

    @Test
    void extractingWithCpioReproducesContentsAndModes(@TempDir Path tmp) throws Exception {
        byte[] big = new byte[70_001]; // not a multiple of 4, larger than one copy buffer
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        Path source = tmp.resolve("big.bin");
        Files.write(source, big);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioWriter cpio = CpioWriter.gzipped(bytes)) {
            cpio.file("a/odd.txt", 0640, "x".getBytes(StandardCharsets.UTF_8));
            cpio.file("a/big.bin", 0600, source);
            cpio.symlink("a/link", "odd.txt");
        }
        Files.write(tmp.resolve("a.cpio.gz"), bytes.toByteArray());
        Path out = Files.createDirectory(tmp.resolve("out"));

        Tools.run(out, Duration.ofSeconds(30), "sh", "-c", "gzip -dc ../a.cpio.gz | cpio -id --quiet");

        assertThat(Files.readString(out.resolve("a/odd.txt"))).isEqualTo("x");
        assertThat(Files.readAllBytes(out.resolve("a/big.bin"))).isEqualTo(big);
        assertThat(Files.readSymbolicLink(out.resolve("a/link"))).isEqualTo(Path.of("odd.txt"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("a/odd.txt"))))
                .isEqualTo("rw-r-----");
    }

    @Test
    void archiveIsNewcWithTrailerAndPaddedTo512() throws Exception {
        byte[] archive = sampleArchive();

        String text = new String(archive, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("070701");
        assertThat(text).contains("TRAILER!!!");
        assertThat(archive.length % 512).isZero();
        // mtime (the sixth field) of the first entry is zero
        assertThat(text.substring(6 + 5 * 8, 6 + 6 * 8)).isEqualTo("00000000");
    }

    @Test
    void gzippedOutputIsTheSameForTheSameEntries() throws Exception {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        for (ByteArrayOutputStream out : List.of(first, second)) {
            try (CpioWriter cpio = CpioWriter.gzipped(out)) {
                cpio.file("f", 0644, "same".getBytes(StandardCharsets.UTF_8));
            }
            Thread.sleep(1100); // a timestamp in the gzip header would differ now
        }

        assertThat(first.toByteArray()).isEqualTo(second.toByteArray());
        byte[] gz = first.toByteArray();
        assertThat(new byte[] {gz[4], gz[5], gz[6], gz[7]}).containsOnly(0).as("gzip MTIME");
        assertThat(gz[3] & 0x08).as("no FNAME flag").isZero();
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).contains("same");
        }
    }

    @Test
    void rejectsDuplicateEntriesAndEscapingPaths() throws Exception {
        try (CpioWriter cpio = new CpioWriter(new ByteArrayOutputStream())) {
            cpio.file("a", 0644, new byte[0]);
            assertThatThrownBy(() -> cpio.file("/a", 0644, new byte[0])).hasMessageContaining("duplicate");
            assertThatThrownBy(() -> cpio.file("../etc/passwd", 0644, new byte[0])).hasMessageContaining("../etc/passwd");
            assertThatThrownBy(() -> cpio.directory("/", 0755)).hasMessageContaining("not a usable archive path");
        }
    }
}
