package morgana.deploy.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The guest's Java AOT cache (JEP 483, {@code -XX:AOTCacheOutput}), trained at build time by
 * {@link GuestLaunch#TRAINING_MAIN}: the real server on the real bundle, every page requested.
 *
 * <p>Why: under TCG the guest's JVM spent ~7 s loading and linking classes before its first line; with
 * the cache it maps them, and the first HTTP 200 comes ~8 s sooner (measured: 17.3 s to 9.3 s for the example
 * blog). The cache replaces the JDK's CDS archive, which the image then leaves out.
 *
 * <p>How: a cache only serves a JVM whose class path names the same jar paths with the same sizes and
 * modification times, so training runs in the image's own layout: a staging tree with {@code /jre},
 * {@code /app/lib} (mtime 0, as in the cpio), glibc and the bundle, entered with
 * {@code unshare --map-root-user chroot} (no root needed where user namespaces are allowed).
 *
 * <p>Reproducibility: training is not deterministic (the classes a multi-threaded server happens to
 * load, and their layout, differ from run to run), so the trained cache is kept under
 * {@code <cache>/aot/<key>/}, keyed by everything the training sees (runtime, jars, bundle, options):
 * it is an input pinned by that key, like the linked runtime, and the same inputs give the same image.
 * Where training cannot run, the image boots without it, on the JDK's CDS archive.
 */
public final class AotCache {
    private static final String FILE = "app.aot";

    private AotCache() {
    }

    /**
     * The cache for this guest, trained now or found under {@code cacheDir}; empty (and a line on stderr)
     * if the class path has no training main or training fails here.
     */
    public static Optional<Path> forGuest(JlinkRuntime runtime, Map<String, Path> hostLibraries, List<Path> jars,
                                          Optional<byte[]> jffiStub, byte[] bundle, GuestLaunch launch,
                                          Path cacheDir) throws IOException {
        if (!QemuImage.hasClass(jars, GuestLaunch.TRAINING_MAIN)) {
            return Optional.empty();
        }
        List<String> jarNames = jars.stream().map(j -> j.getFileName().toString()).toList();
        List<String> command = launch.trainingCommand(jarNames, GuestLaunch.BUNDLE);
        Path dir = cacheDir.resolve("aot").resolve(key(runtime, jars, bundle, command));
        Path cache = dir.resolve(FILE);
        if (Files.isRegularFile(cache)) {
            return Optional.of(cache);
        }
        Files.createDirectories(dir);
        Path root = Files.createTempDirectory(dir, "training-");
        try {
            stage(root, runtime, hostLibraries, jars, jffiStub, bundle);
            Optional<String> failure = train(root, command);
            if (failure.isPresent()) {
                System.err.println("morgana: no AOT cache for the guest (it boots slower without one): " + failure.get());
                return Optional.empty();
            }
            Files.move(root.resolve(GuestLaunch.AOT_CACHE.substring(1)), cache, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(cache);
        } finally {
            deleteTree(root);
        }
    }

    private static void stage(Path root, JlinkRuntime runtime, Map<String, Path> hostLibraries, List<Path> jars,
                              Optional<byte[]> jffiStub, byte[] bundle) throws IOException {
        copyTree(runtime.home(), inside(root, GuestLaunch.RUNTIME_DIR));
        for (Map.Entry<String, Path> library : hostLibraries.entrySet()) {
            Path target = inside(root, library.getKey());
            Files.createDirectories(target.getParent());
            Files.copy(library.getValue(), target);
        }
        Path lib = Files.createDirectories(inside(root, GuestLaunch.APP_LIB_DIR));
        for (Path jar : jars) {
            Path copy = Files.copy(jar, lib.resolve(jar.getFileName()));
            Files.setLastModifiedTime(copy, FileTime.fromMillis(0)); // as CpioWriter writes every entry
        }
        if (jffiStub.isPresent()) {
            Path stub = inside(root, GuestLaunch.NATIVE_DIR + "/" + morgana.kernel.boot.GuestJvm.JFFI_STUB_FILE);
            Files.createDirectories(stub.getParent());
            Files.write(stub, jffiStub.get());
        }
        Path bundleFile = inside(root, GuestLaunch.BUNDLE);
        Files.createDirectories(bundleFile.getParent());
        Files.write(bundleFile, bundle);
        Files.createDirectories(inside(root, "/tmp"));
    }

    /** Runs the training in the staging root; a reason if it failed. */
    private static Optional<String> train(Path root, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("unshare", "--map-root-user", "chroot", root.toString()));
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().put("LD_LIBRARY_PATH", GuestLaunch.RUNTIME_DIR + "/lib:" + GuestLaunch.RUNTIME_DIR + "/lib/server");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return Optional.of("cannot run unshare (" + e.getMessage() + "; it is in util-linux)");
        }
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("the training run did not finish in 180 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new ImageException("interrupted while training the AOT cache", e);
        }
        if (process.exitValue() != 0 || !Files.isRegularFile(root.resolve(GuestLaunch.AOT_CACHE.substring(1)))) {
            String text = new String(output, StandardCharsets.UTF_8);
            return Optional.of("training exited with " + process.exitValue() + ":\n"
                    + text.substring(Math.max(0, text.length() - 2000)));
        }
        return Optional.empty();
    }

    /** Everything the training sees: the runtime, the jars' names and bytes, the bundle and the command. */
    static String key(JlinkRuntime runtime, List<Path> jars, byte[] bundle, List<String> command) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest.update((runtime.home().toAbsolutePath() + "\n" + Runtime.version() + "\n").getBytes(StandardCharsets.UTF_8));
        for (Path jar : jars) {
            digest.update((jar.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(BuiltImage.sha256(jar).getBytes(StandardCharsets.US_ASCII));
        }
        digest.update(bundle);
        digest.update(String.join("\n", command).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest(), 0, 12);
    }

    private static Path inside(Path root, String absolute) {
        return root.resolve(absolute.substring(1));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(from)) {
            entries = walk.sorted().toList();
        }
        for (Path p : entries) {
            Path target = to.resolve(from.relativize(p).toString());
            if (Files.isSymbolicLink(p)) {
                Files.createSymbolicLink(target, Files.readSymbolicLink(p));
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(target);
            } else {
                Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
