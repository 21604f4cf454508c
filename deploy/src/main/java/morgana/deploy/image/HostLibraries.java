package morgana.deploy.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The C libraries the linked runtime needs from the host (glibc: libc, libm, libdl, libpthread, librt and
 * the dynamic loader), found with {@code ldd} over every ELF file in the runtime. The guest has nothing
 * else: these are copied into the initramfs at the paths they have on the host.
 */
public final class HostLibraries {
    private static final Pattern RESOLVED = Pattern.compile("^\\s*(\\S+)\\s+=>\\s+(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");
    private static final Pattern LOADER = Pattern.compile("^\\s*(/\\S+)\\s+\\(0x[0-9a-f]+\\)\\s*$");

    private HostLibraries() {
    }

    /**
     * Image path (absolute, as the guest's loader looks for it) to the host file with the content. Libraries
     * inside {@code runtimeHome} are left out: the guest finds those through LD_LIBRARY_PATH.
     */
    public static Map<String, Path> neededBy(Path runtimeHome) throws IOException {
        List<String> elfFiles = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(runtimeHome)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".so") || p.getParent().getFileName().toString().equals("bin")) {
                    elfFiles.add(p.toString());
                }
            }
        }
        Map<String, Path> libraries = new TreeMap<>();
        Path java = runtimeHome.resolve("bin/java");
        parse(ldd(elfFiles), runtimeHome, libraries);
        // jnr-ffi opens libc.so.6 with dlopen; the JVM links it too, so it is always among the results.
        if (libraries.keySet().stream().noneMatch(k -> k.endsWith("/libc.so.6"))) {
            throw new ImageException("ldd did not report libc.so.6 for " + java
                    + "; Morgana needs a glibc-based JDK (e.g. Temurin for Linux/x64)");
        }
        return libraries;
    }

    /** Reads ldd's output lines into {@code into}; visible for tests. */
    static void parse(String lddOutput, Path runtimeHome, Map<String, Path> into) {
        for (String line : lddOutput.split("\n")) {
            Matcher resolved = RESOLVED.matcher(line);
            Matcher loader = LOADER.matcher(line);
            String path;
            if (resolved.matches()) {
                path = resolved.group(2);
            } else if (loader.matches()) {
                path = loader.group(1);
            } else {
                continue; // headers ("file:"), linux-vdso, and "not found" for the runtime's own libraries
            }
            Path host = Path.of(path).normalize();
            if (host.startsWith(runtimeHome.toAbsolutePath().normalize())) {
                continue;
            }
            into.put(host.toString(), host);
        }
    }

    private static String ldd(List<String> files) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("ldd");
        command.addAll(files);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new ImageException("cannot run ldd (" + e.getMessage() + "); install libc-bin", e);
        }
        byte[] out = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new ImageException("ldd did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new ImageException("interrupted while running ldd", e);
        }
        // ldd exits non-zero when one argument is not dynamic (a script, a static binary); the rest is still valid.
        return new String(out, StandardCharsets.UTF_8);
    }
}
