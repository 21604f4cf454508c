package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuestLaunchTest {

    @Test
    void kernelCommandLineMakesJavaInitAndPassesTheArgfileAfterTheSeparator() {
        String cmdline = GuestLaunch.unikernel(256).kernelCommandLine();

        List<String> words = List.of(cmdline.split(" "));
        assertThat(words).contains("console=ttyS0", "rdinit=/jre/bin/java", "panic=-1",
                "LD_LIBRARY_PATH=/jre/lib:/jre/lib/server");
        // The kernel gives init only what follows "--"; the environment must come before it.
        assertThat(words.indexOf("--")).isEqualTo(words.size() - 2);
        assertThat(words.getLast()).isEqualTo("@/morgana/jvm.args");
        assertThat(words.indexOf("LD_LIBRARY_PATH=/jre/lib:/jre/lib/server")).isLessThan(words.indexOf("--"));
    }

    @Test
    void argfileListsEveryJarThenOptionsThenTheMainClassAndManifest() {
        String argfile = GuestLaunch.unikernel(256).argFile(List.of("a.jar", "morgana-unikernel.jar"));

        List<String> lines = argfile.lines().toList();
        assertThat(lines.get(0)).isEqualTo("-cp");
        assertThat(lines.get(1)).isEqualTo("/app/lib/a.jar:/app/lib/morgana-unikernel.jar");
        assertThat(lines).contains("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Djava.io.tmpdir=/tmp", "-Xshare:auto", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        assertThat(lines.subList(lines.size() - 2, lines.size()))
                .containsExactly("morgana.unikernel.GuestMain", "/morgana/boot.manifest");
        assertThat(argfile).endsWith("\n");
    }

    @Test
    void theUnikernelFindsJffisStubWhereTheImagePutsItAndOptionsAreNotRepeated() {
        List<String> lines = GuestLaunch.unikernel(256).argFile(List.of("a.jar")).lines().toList();

        assertThat(lines).contains("-Djffi.boot.library.path=/app/native");
        assertThat(lines).doesNotHaveDuplicates();
        assertThat(lines.indexOf("-Djffi.boot.library.path=/app/native")).isLessThan(lines.indexOf("morgana.unikernel.GuestMain"));
    }

    @Test
    void refusesArgumentsTheArgfileCannotHoldUnquoted() {
        assertThatThrownBy(() -> GuestLaunch.unikernel(256).argFile(List.of("my app.jar")))
                .isInstanceOf(ImageException.class).hasMessageContaining("my app.jar");
    }

    @Test
    void heapIsHalfTheMemoryAndNeverTiny() {
        assertThat(GuestLaunch.heapFor(512)).isEqualTo(256);
        assertThat(GuestLaunch.heapFor(20)).isEqualTo(16);
        assertThatThrownBy(() -> GuestLaunch.unikernel(8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withAnAotCacheTheGuestMapsItInsteadOfTheJdksArchiveAndTrainsWithTheSameOptions() {
        GuestLaunch launch = GuestLaunch.unikernel(256);
        List<String> lines = launch.argFile(List.of("a.jar"), true).lines().toList();
        List<String> training = launch.trainingCommand(List.of("a.jar"), "/morgana/site.bundle");

        assertThat(lines).contains("-XX:AOTCache=/morgana/app.aot", "-XX:-AOTAdapterCaching").doesNotContain("-Xshare:auto");
        assertThat(training.getFirst()).isEqualTo("/jre/bin/java");
        assertThat(training).contains("-XX:AOTCacheOutput=/morgana/app.aot", "morgana.unikernel.TrainingMain");
        // Every option the guest runs with, but the cache's own, was there when the cache was made.
        assertThat(training).containsAll(lines.stream()
                .filter(l -> !l.startsWith("-XX:AOTCache=") && !l.startsWith("morgana.") && !l.startsWith("/morgana/"))
                .toList());
    }
}
