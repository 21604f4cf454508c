package morgana.deploy.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import morgana.deploy.cli.Morgana;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageException;
import morgana.deploy.image.XlConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XenHandoverTest {

    @Test
    void theDomainsFilesAreCopiedAndTheConfigPointsAtTheCopies(@TempDir Path tmp) throws Exception {
        BuiltImage image = xenImage(tmp.resolve("image"));
        Path dom0 = tmp.resolve("dom0/notes");

        XenHandover.Handed handed = XenHandover.to(image, dom0);

        assertThat(dom0.resolve("vmlinux")).hasSameBinaryContentAs(image.kernel());
        assertThat(dom0.resolve("initramfs.cpio.zst")).hasSameBinaryContentAs(image.initramfs());
        String config = Files.readString(handed.config());
        assertThat(config).contains("kernel = \"" + dom0.toAbsolutePath() + "/vmlinux\"")
                .contains("ramdisk = \"" + dom0.toAbsolutePath() + "/initramfs.cpio.zst\"")
                .contains("type = \"pvh\"").contains("vif = [ \"mac=00:16:3e:01:02:03,bridge=xenbr0\" ]");
        assertThat(handed.command()).isEqualTo("xl create " + dom0.toAbsolutePath() + "/" + XlConfig.FILE);
    }

    @Test
    void aCopyThatDoesNotMatchTheImagesChecksumIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("image");
        xenImage(dir);
        Files.writeString(dir.resolve("vmlinux"), "changed after the build");

        assertThatThrownBy(() -> XenHandover.to(BuiltImage.open(dir), tmp.resolve("out")))
                .isInstanceOf(ImageException.class).hasMessageContaining("does not match the image's vmlinux");
    }

    @Test
    void deployXenPrintsTheXlCreateCommand(@TempDir Path tmp) throws Exception {
        xenImage(tmp.resolve("image"));
        Path site = Files.createDirectories(tmp.resolve("site"));
        PrintStream real = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Morgana.execute("deploy", "xen", site.toString(), "--image", tmp.resolve("image").toString(),
                    "--to", tmp.resolve("dom0").toString());
        } finally {
            System.setOut(real);
        }

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("  xl create " + tmp.resolve("dom0").toAbsolutePath()
                + "/" + XlConfig.FILE);
    }

    /** A Xen image directory as `morgana image --target xen` leaves it, with small stand-in files. */
    private static BuiltImage xenImage(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve("vmlinux"), new byte[] {0x7f, 'E', 'L', 'F', 1, 2, 3});
        Files.write(dir.resolve("initramfs.cpio.zst"), new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 9});
        Files.writeString(dir.resolve("cmdline"), "console=hvc0\n");
        Files.writeString(dir.resolve(XlConfig.FILE), new XlConfig("notes", "vmlinux", "initramfs.cpio.zst",
                "console=hvc0", 512, 2, "00:16:3e:01:02:03", "xenbr0").render());
        Files.write(dir.resolve(BuiltImage.PROPERTIES), List.of("target=xen", "kernel.file=vmlinux",
                "kernel.sha256=" + BuiltImage.sha256(dir.resolve("vmlinux")),
                "initramfs.sha256=" + BuiltImage.sha256(dir.resolve("initramfs.cpio.zst"))));
        return BuiltImage.open(dir);
    }
}
