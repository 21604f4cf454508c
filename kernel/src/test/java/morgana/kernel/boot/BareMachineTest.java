package morgana.kernel.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import morgana.kernel.testing.ChildJvm;
import morgana.kernel.testing.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start of a guest's life, on this machine: a JVM without /proc and /sys (in mount and UTS namespaces
 * of its own, so the host's stay untouched), a java.io.tmpdir that does not exist yet, and libraries found
 * through LD_LIBRARY_PATH as in the image. It must load libc and run PID 1's mounts and hostname for real.
 */
class BareMachineTest {

    @Test
    void loadsTheCLibraryWithoutProcThenMountsAndNamesTheMachine() throws Exception {
        String tmp = "/tmp/morgana-k-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "/tmp";
        List<String> argv = new ArrayList<>(ChildJvm.bareCommand());
        argv.addAll(ChildJvm.javaCommand(BareMachineProbe.class));
        argv.add(argv.size() - 1, "-Djava.io.tmpdir=" + tmp); // before the main class
        try {
            Command.Result result = new Command(argv).run(Duration.ofSeconds(60));

            assertThat(result.output().lines()).as(result.output()).contains(
                    "proc before false", "sys before false",
                    "libc loaded, pid > 1", "tmpdir true",
                    "morgana: mounted /proc", "morgana: mounted /sys",
                    "proc after true", "sys after true",
                    "morgana: hostname morgana-probe", "uts morgana-probe",
                    "module open /nonexistent/virtio_net.ko: ENOENT: the module is not in the initramfs"
                            + " (check the image's driver list)",
                    "morgana: fatal: probe done", "exit 1");
            assertThat(result.output().lines()).as("/proc/uptime and /proc/self/stat once /proc is mounted")
                    .contains("uptime before mount false", "started before now true");
            // devtmpfs has one instance: where /dev already holds it (as here), mount(2) says EBUSY
            assertThat(result.output()).containsPattern("(?m)^morgana: (mounted /dev|/dev was already mounted)$")
                    .doesNotContain("powering off");
        } finally {
            new Command(List.of("rm", "-rf", Path.of(tmp).getParent().toString())).run(Duration.ofSeconds(10));
        }
    }

    @Test
    void withTheStubExtractedAtBuildTimeTheNativeJarAndATmpdirAreNotNeeded(@TempDir Path dir) throws Exception {
        Path stub = GuestJvm.extractJffiStub(dir.resolve("jffi"));
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(stub)) {
            assertThat(in.read(head)).isEqualTo(4);
        }
        assertThat(head).containsExactly(0x7F, 'E', 'L', 'F');

        String classpath = String.join(":", java.util.Arrays.stream(System.getProperty("java.class.path").split(":"))
                .filter(entry -> !entry.endsWith("-native.jar")).toList());
        List<String> argv = new ArrayList<>(ChildJvm.bareCommand());
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(GuestJvm.guestOptions(stub.getParent().toString()));
        argv.set(argv.size() - 1, "-Djava.io.tmpdir=" + dir.resolve("tmp")); // the stub cannot come from here: no native jar
        argv.addAll(List.of("-cp", classpath, BareMachineProbe.class.getName()));

        Command.Result result = new Command(argv).run(Duration.ofSeconds(60));

        assertThat(classpath).doesNotContain("jffi-1.4.0-native");
        assertThat(result.output().lines()).as(result.output()).contains("libc loaded, pid > 1",
                "morgana: mounted /proc", "morgana: hostname morgana-probe");
    }
}
