package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JlinkRuntimeTest {

    /** A jar with one class that uses java.util.logging, so jdeps must name java.logging. */
    private static Path loggingJar(Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src/p"));
        Files.writeString(src.resolve("L.java"), """
                package p;
                public class L {
                    public static void main(String[] a) {
                        java.util.logging.Logger.getLogger("x").info("linked");
                        System.out.println("logging ok");
                    }
                }
                """);
        Path classes = dir.resolve("classes");
        int status = ToolProvider.findFirst("javac").orElseThrow()
                .run(System.out, System.err, "-d", classes.toString(), src.resolve("L.java").toString());
        assertThat(status).isZero();
        Path jar = dir.resolve("l.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("p/L.class"));
            zip.write(Files.readAllBytes(classes.resolve("p/L.class")));
        }
        return jar;
    }

    @Test
    void jdepsFindsTheModulesTheJarsUsePlusTheOnesItCannotSee(@TempDir Path tmp) throws Exception {
        List<String> modules = JlinkRuntime.requiredModules(List.of(loggingJar(tmp)));

        assertThat(modules).containsExactly("java.base", "java.logging", "jdk.unsupported");
    }

    @Test
    void linksOnceAndThenReusesTheCachedRuntimeWhichRunsTheApp(@TempDir Path tmp) throws Exception {
        Path jar = loggingJar(tmp.resolve("app"));
        Path cache = tmp.resolve("cache");

        JlinkRuntime first = JlinkRuntime.forJars(List.of(jar), cache);
        FileTime linked = Files.getLastModifiedTime(first.home().resolve("bin/java"));
        JlinkRuntime second = JlinkRuntime.forJars(List.of(jar), cache);

        assertThat(second.home()).isEqualTo(first.home());
        assertThat(Files.getLastModifiedTime(second.home().resolve("bin/java"))).isEqualTo(linked);
        try (Stream<Path> entries = Files.list(first.home().getParent())) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("runtime", "complete");
        }
        String modules = Tools.run(tmp, Duration.ofSeconds(60), first.home().resolve("bin/java").toString(), "--list-modules");
        assertThat(modules.lines().map(l -> l.replaceFirst("@.*", "")).toList())
                .containsExactlyInAnyOrder("java.base", "java.logging", "jdk.unsupported");
        String run = Tools.run(tmp, Duration.ofSeconds(60), first.home().resolve("bin/java").toString(), "-Xshare:on",
                "-cp", jar.toString(), "p.L");
        assertThat(run).contains("logging ok").contains("linked");
        assertThat(first.home().resolve("lib/server/classes.jsa")).isRegularFile();
    }

    @Test
    void aDifferentModuleSetIsADifferentCacheEntry() {
        assertThat(JlinkRuntime.cacheKey(List.of("java.base")))
                .isNotEqualTo(JlinkRuntime.cacheKey(List.of("java.base", "jdk.unsupported")))
                .startsWith("jdk" + Runtime.version().feature() + "-");
    }

    @Test
    void hostLibrariesAreTheLddResultsOutsideTheRuntime() {
        String ldd = """
                /rt/bin/java:
                \tlinux-vdso.so.1 (0x00007ffd)
                \tlibjli.so => /rt/bin/../lib/libjli.so (0x00007f77)
                \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f77)
                \t/lib64/ld-linux-x86-64.so.2 (0x00007f77)
                /rt/lib/libnio.so:
                \tlibjvm.so => not found
                \tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6 (0x00007f9b)
                """;
        Map<String, Path> libraries = new java.util.TreeMap<>();

        HostLibraries.parse(ldd, Path.of("/rt"), libraries);

        assertThat(libraries.keySet()).containsExactly("/lib/x86_64-linux-gnu/libc.so.6",
                "/lib/x86_64-linux-gnu/libm.so.6", "/lib64/ld-linux-x86-64.so.2");
    }

    @Test
    void theRealRuntimeNeedsGlibcAndTheLoader() throws Exception {
        JlinkRuntime runtime = JlinkRuntime.forModules(List.of("java.base"), KernelPackage.defaultCacheDir());

        Map<String, Path> libraries = HostLibraries.neededBy(runtime.home());

        assertThat(libraries).containsKey("/lib64/ld-linux-x86-64.so.2");
        assertThat(libraries.keySet()).anySatisfy(k -> assertThat(k).endsWith("/libc.so.6"));
        assertThat(libraries.keySet()).noneSatisfy(k -> assertThat(k).startsWith(runtime.home().toString()));
    }
}
