package morgana.deploy.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A Linux kernel and its modules, as unpacked from a Debian {@code linux-image-*} package
 * ({@code boot/vmlinuz-<release>} and {@code lib/modules/<release>/}), or a bare kernel image the user gave.
 *
 * <p>Resolving a module reads {@code modules.dep} the way modprobe does: a module's line lists every module
 * it needs (transitively), and loading each one's own dependencies first gives an order in which
 * {@code finit_module} succeeds. Modules compiled into the kernel ({@code modules.builtin}) need no file.
 */
public final class KernelPackage {
    private final Path vmlinuz;
    private final String release;
    private final Optional<Path> modulesDir;
    private final Map<String, String> modulePaths;      // name -> path relative to modulesDir
    private final Map<String, List<String>> dependencies; // name -> names, as listed in modules.dep
    private final Set<String> builtin;

    private KernelPackage(Path vmlinuz, String release, Optional<Path> modulesDir, Map<String, String> modulePaths,
                          Map<String, List<String>> dependencies, Set<String> builtin) {
        this.vmlinuz = vmlinuz;
        this.release = release;
        this.modulesDir = modulesDir;
        this.modulePaths = modulePaths;
        this.dependencies = dependencies;
        this.builtin = builtin;
    }

    /** {@code $MORGANA_CACHE}, or {@code ~/.cache/morgana}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("MORGANA_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "morgana");
    }

    /** The kernel package that {@code scripts/setup} unpacked under {@code <cache>/kernel/}. */
    public static KernelPackage fromCache(Path cacheDir) throws IOException {
        Path kernels = cacheDir.resolve("kernel");
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(kernels)) {
            try (Stream<Path> dirs = Files.list(kernels)) {
                dirs.filter(dir -> Files.isDirectory(dir.resolve("boot")) && !dir.getFileName().toString().endsWith(".partial"))
                        .sorted()
                        .forEach(candidates::add);
            }
        }
        if (candidates.isEmpty()) {
            throw new ImageException("no kernel package under " + kernels
                    + "; run scripts/setup (it downloads Debian's cloud kernel there) or pass --kernel PATH");
        }
        return open(candidates.getLast());
    }

    /**
     * Opens a kernel the user named: an unpacked package directory (with {@code boot/vmlinuz-*}), or a kernel
     * image file. A bare image has no modules: every module asked for must then be built in, which
     * {@link #resolve} cannot check, so it ships none.
     */
    public static KernelPackage open(Path path) throws IOException {
        if (Files.isRegularFile(path)) {
            return new KernelPackage(path, path.getFileName().toString(), Optional.empty(), Map.of(), Map.of(), Set.of());
        }
        if (!Files.isDirectory(path)) {
            throw new ImageException("kernel " + path + " does not exist; pass a kernel image file or an unpacked"
                    + " linux-image package directory");
        }
        Path boot = path.resolve("boot");
        List<Path> images = new ArrayList<>();
        if (Files.isDirectory(boot)) {
            try (Stream<Path> files = Files.list(boot)) {
                files.filter(f -> f.getFileName().toString().startsWith("vmlinuz-")).sorted().forEach(images::add);
            }
        }
        if (images.isEmpty()) {
            throw new ImageException("no boot/vmlinuz-* in " + path + "; is it an unpacked linux-image package?");
        }
        Path vmlinuz = images.getLast();
        String release = vmlinuz.getFileName().toString().substring("vmlinuz-".length());
        Path modules = path.resolve("lib/modules").resolve(release);
        if (!Files.isRegularFile(modules.resolve("modules.dep"))) {
            throw new ImageException("no modules.dep in " + modules + " for kernel " + vmlinuz
                    + "; unpack the whole linux-image package (dpkg-deb -x), not only the kernel");
        }
        Map<String, String> paths = new HashMap<>();
        Map<String, List<String>> deps = new HashMap<>();
        for (String line : Files.readAllLines(modules.resolve("modules.dep"))) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String file = line.substring(0, colon).trim();
            String name = moduleName(file);
            paths.put(name, file);
            List<String> needs = new ArrayList<>();
            for (String dep : line.substring(colon + 1).trim().split("\\s+")) {
                if (!dep.isEmpty()) {
                    needs.add(moduleName(dep));
                }
            }
            deps.put(name, List.copyOf(needs));
        }
        Set<String> builtin = new LinkedHashSet<>();
        Path builtinFile = modules.resolve("modules.builtin");
        if (Files.isRegularFile(builtinFile)) {
            for (String line : Files.readAllLines(builtinFile)) {
                if (!line.isBlank()) {
                    builtin.add(moduleName(line.trim()));
                }
            }
        }
        return new KernelPackage(vmlinuz, release, Optional.of(modules), Map.copyOf(paths), Map.copyOf(deps),
                Set.copyOf(builtin));
    }

    public Path vmlinuz() {
        return vmlinuz;
    }

    /** The kernel release, e.g. {@code 6.1.0-56-cloud-amd64} (for a bare image: its file name). */
    public String release() {
        return release;
    }

    public Optional<Path> modulesDir() {
        return modulesDir;
    }

    /** {@code virtio-net} and {@code virtio_net} name the same module. */
    public static String normalizeName(String name) {
        return name.replace('-', '_');
    }

    public boolean isBuiltin(String module) {
        return builtin.contains(normalizeName(module));
    }

    public boolean hasModule(String module) {
        return modulePaths.containsKey(normalizeName(module));
    }

    /**
     * The loadable modules needed for {@code wanted}, dependencies first, each once; built-in modules are
     * left out. A bare kernel image (no modules directory) yields nothing.
     *
     * @throws ImageException if a module is neither loadable nor built in
     */
    public List<KernelModule> resolve(List<String> wanted) {
        if (modulesDir.isEmpty()) {
            return List.of();
        }
        Map<String, KernelModule> ordered = new LinkedHashMap<>();
        for (String name : wanted) {
            visit(normalizeName(name), ordered, new LinkedHashSet<>());
        }
        return List.copyOf(ordered.values());
    }

    private void visit(String name, Map<String, KernelModule> ordered, Set<String> path) {
        if (ordered.containsKey(name)) {
            return;
        }
        String file = modulePaths.get(name);
        if (file == null) {
            if (builtin.contains(name)) {
                return;
            }
            throw new ImageException("kernel " + release + " has no module '" + name + "' (not in "
                    + modulesDir.orElseThrow().resolve("modules.dep") + " nor modules.builtin);"
                    + " check the module name in morgana.yaml's image.modules, or use another kernel");
        }
        if (!path.add(name)) {
            throw new ImageException("modules.dep of kernel " + release + " has a dependency cycle: " + path);
        }
        // modprobe loads the dependencies in the reverse of their listed order; each one's own
        // dependencies come first because it is visited recursively.
        List<String> needs = dependencies.getOrDefault(name, List.of());
        for (int i = needs.size() - 1; i >= 0; i--) {
            visit(needs.get(i), ordered, path);
        }
        path.remove(name);
        ordered.put(name, new KernelModule(name, modulesDir.orElseThrow().resolve(file)));
    }

    private static String moduleName(String file) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        int ko = base.indexOf(".ko");
        return normalizeName(ko < 0 ? base : base.substring(0, ko));
    }
}
