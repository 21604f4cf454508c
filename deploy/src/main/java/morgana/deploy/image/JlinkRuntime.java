package morgana.deploy.image;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

/**
 * A minimal Java runtime for the guest, made by jlink from the JDK that runs this build.
 *
 * <p>The JDK modules come from {@code jdeps} over the guest's jars, plus the ones jdeps cannot see:
 * {@code jdk.unsupported} ({@code sun.misc.Unsafe}, used reflectively by Netty and by jffi under jnr-ffi).
 * Linked runtimes are cached under {@code <cache>/jlink/<key>/}, the key being the module list, the JDK
 * version and the jlink options, so building an image again does not link again.
 */
public final class JlinkRuntime {
    /** Modules the guest needs that static analysis does not find (reflection, service loading). */
    public static final Set<String> ALWAYS = Set.of("java.base", "jdk.unsupported");

    private static final List<String> OPTIONS = List.of(
            "--strip-debug", "--no-header-files", "--no-man-pages", "--compress=zip-6",
            // A CDS archive of the JDK's own classes: -Xshare:auto in the guest maps it instead of parsing classes.
            "--generate-cds-archive");

    private final Path home;
    private final List<String> modules;

    private JlinkRuntime(Path home, List<String> modules) {
        this.home = home;
        this.modules = modules;
    }

    /** The linked runtime's root: {@code bin/java}, {@code lib/}. */
    public Path home() {
        return home;
    }

    public List<String> modules() {
        return modules;
    }

    /**
     * The runtime for {@code guestJars}, linked now or found in {@code cacheDir}.
     */
    public static JlinkRuntime forJars(List<Path> guestJars, Path cacheDir) throws IOException {
        return forModules(requiredModules(guestJars), cacheDir);
    }

    /** The JDK modules that {@code jars} use, with {@link #ALWAYS} added, sorted. */
    public static List<String> requiredModules(List<Path> jars) {
        Set<String> modules = new TreeSet<>(ALWAYS);
        if (jars.isEmpty()) {
            return List.copyOf(modules);
        }
        List<String> args = new ArrayList<>(List.of(
                "--print-module-deps", "--ignore-missing-deps", "-q",
                "--multi-release", Integer.toString(Runtime.version().feature()),
                "--class-path", joinPaths(jars)));
        jars.forEach(jar -> args.add(jar.toString()));
        String output = runTool("jdeps", args);
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        for (String module : last.split(",")) {
            if (!module.isBlank()) {
                modules.add(module.strip());
            }
        }
        return List.copyOf(modules);
    }

    public static JlinkRuntime forModules(List<String> wanted, Path cacheDir) throws IOException {
        List<String> modules = List.copyOf(new TreeSet<>(wanted));
        Path dir = cacheDir.resolve("jlink").resolve(cacheKey(modules));
        Path home = dir.resolve("runtime");
        if (Files.isExecutable(home.resolve("bin/java")) && Files.isRegularFile(dir.resolve("complete"))) {
            return new JlinkRuntime(home, modules);
        }
        Files.createDirectories(dir);
        Path staging = Files.createTempDirectory(dir, "linking-");
        Path output = staging.resolve("runtime");
        List<String> args = new ArrayList<>(List.of("--add-modules", String.join(",", modules)));
        args.addAll(OPTIONS);
        args.addAll(List.of("--output", output.toString()));
        try {
            runTool("jlink", args);
            stripNativeSymbols(output);
            Files.move(output, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Another build may have linked the same runtime meanwhile; theirs is as good as ours.
            if (!Files.isExecutable(home.resolve("bin/java"))) {
                throw e;
            }
        } finally {
            deleteTree(staging);
        }
        Files.writeString(dir.resolve("complete"), String.join(",", modules) + "\n");
        return new JlinkRuntime(home, modules);
    }

    /**
     * The JDK's shared libraries keep their symbol tables; the guest never resolves a symbol by name in
     * libjvm.so, and stripping it takes ~5 MB off it (1.5 MB off the compressed image). CDS and AOT
     * archives check the JVM's version string, not its file, so they still map. Without binutils'
     * {@code strip} the runtime stays as jlink made it.
     */
    private static void stripNativeSymbols(Path runtime) throws IOException {
        List<String> command = new ArrayList<>(List.of("strip", "--strip-unneeded"));
        try (var walk = Files.walk(runtime.resolve("lib"))) {
            walk.filter(p -> p.getFileName().toString().endsWith(".so") && Files.isRegularFile(p))
                    .sorted().forEach(p -> command.add(p.toString()));
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new ImageException("strip failed on the linked runtime: " + output);
            }
        } catch (IOException e) {
            System.err.println("morgana: no strip (" + e.getMessage() + "); the runtime keeps its symbols");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while stripping the linked runtime", e);
        }
    }

    /** Identifies a runtime: same modules, same JDK build, same options give the same key. */
    static String cacheKey(List<String> modules) {
        String material = String.join(",", modules) + "\n" + Runtime.version() + "\n" + System.getProperty("java.vendor")
                + "\n" + String.join(" ", OPTIONS) + "\nstrip --strip-unneeded";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return "jdk" + Runtime.version().feature() + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String runTool(String name, List<String> args) {
        ToolProvider tool = ToolProvider.findFirst(name).orElseThrow(() -> new ImageException(
                "this Java runtime has no " + name + "; run morgana with a full JDK 25 (JAVA_HOME), not a JRE"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            status = tool.run(o, e, args.toArray(String[]::new));
        }
        if (status != 0) {
            throw new ImageException(name + " failed (exit " + status + ") for " + String.join(" ", args) + ":\n"
                    + out + err);
        }
        return out.toString();
    }

    private static String joinPaths(List<Path> paths) {
        return String.join(java.io.File.pathSeparator, paths.stream().map(Path::toString).toList());
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
