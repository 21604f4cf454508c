package morgana.deploy.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.HelloGuest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real boot under qemu: the jlinked JVM runs as PID 1 from our initramfs and prints to the serial console. */
class HelloBootTest {

    @Test
    void jvmRunsAsPidOneAndTheVmEndsWhenItExits(@TempDir Path tmp) throws Exception {
        BuiltImage image = HelloGuest.build(tmp.resolve("guest"), tmp.resolve("image"));

        long start = System.nanoTime();
        try (RunningVm vm = QemuBoot.start(image.dir(), freePort(), tmp.resolve("console.log"))) {
            boolean greeted = vm.awaitConsole("hello from PID", Duration.ofMinutes(4));
            System.out.printf("hello boot (%s): %s after %.1f s%n", vm.accelerator(),
                    greeted ? "greeting" : "no greeting", (System.nanoTime() - start) / 1e9);
            assertThat(greeted).as(vm.console()).isTrue();
            OptionalInt exit = vm.waitForExit(Duration.ofMinutes(1));
            System.out.println(vm.console());
            assertThat(vm.console()).contains("hello from PID 1 java=25").contains("manifest=manifest-for-hello")
                    .contains("tmpdir=/tmp");
            assertThat(exit).as("qemu exits when init exits (panic=-1, -no-reboot)\n" + vm.console()).isPresent();
            Duration toGreeting = vm.elapsedUntil("hello from PID 1").orElseThrow();
            Duration toPanic = vm.elapsedUntil("Kernel panic").orElseThrow();
            System.out.printf("hello boot: greeting at %.1f s, init exit at %.1f s%n", toGreeting.toMillis() / 1e3,
                    toPanic.toMillis() / 1e3);
            assertThat(toGreeting).isPositive().isLessThan(toPanic);
            assertThat(vm.elapsedUntil("not on the console")).isEmpty();
        }
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
