package morgana.deploy.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import morgana.deploy.image.BuiltImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuCommandTest {

    private static BuiltImage fakeImage(Path dir) throws Exception {
        Files.writeString(dir.resolve("vmlinuz"), "k");
        Files.writeString(dir.resolve("initramfs.cpio.zst"), "i");
        Files.writeString(dir.resolve("cmdline"), "console=ttyS0 rdinit=/jre/bin/java -- @/morgana/jvm.args\n");
        Files.writeString(dir.resolve("image.properties"), "# x\nmemory.mib=384\nguest.port=8081\n");
        return BuiltImage.open(dir);
    }

    @Test
    void bootsTheImageDirectlyWithItsMemoryCommandLineAndAPortForward(@TempDir Path tmp) throws Exception {
        List<String> command = QemuCommand.forImage(fakeImage(tmp), 18080, Accelerator.TCG, 2);

        assertThat(command.getFirst()).isEqualTo("qemu-system-x86_64");
        assertThat(command).containsSequence("-accel", "tcg")
                .containsSequence("-m", "384")
                .containsSequence("-smp", "2")
                .containsSequence("-kernel", tmp.resolve("vmlinuz").toString())
                .containsSequence("-initrd", tmp.resolve("initramfs.cpio.zst").toString())
                .containsSequence("-append", "console=ttyS0 rdinit=/jre/bin/java -- @/morgana/jvm.args")
                .containsSequence("-netdev", "user,id=net0,hostfwd=tcp:127.0.0.1:18080-:8081")
                .containsSequence("-device", "virtio-net-pci,netdev=net0,romfile=")
                .containsSequence("-device", "virtio-rng-pci")
                .contains("-nographic", "-no-reboot")
                .doesNotContain("host");
    }

    @Test
    void usesAtMostTwoCpusAndNeverMoreThanTheHostHas() {
        assertThat(QemuCommand.defaultCpus()).isBetween(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void kvmPassesTheHostCpuThrough(@TempDir Path tmp) throws Exception {
        List<String> command = QemuCommand.forImage(fakeImage(tmp), 18080, Accelerator.KVM);

        assertThat(command).containsSequence("-accel", "kvm").containsSequence("-cpu", "host");
    }
}
