package morgana.deploy.image;

import java.util.ArrayList;
import java.util.List;
import morgana.kernel.boot.GuestJvm;

/**
 * How the guest's JVM starts as PID 1: the kernel command line that makes {@code /jre/bin/java} init,
 * and the java {@code @argfile} with the class path, JVM options and main class.
 *
 * <p>The kernel gives init everything after {@code --} as arguments, unchanged, and turns the
 * {@code NAME=value} words it does not know into init's environment (Documentation/admin-guide/
 * kernel-parameters.rst). Without /proc, the loader cannot resolve {@code $ORIGIN} in the launcher's RPATH,
 * so LD_LIBRARY_PATH names the runtime's library directories.
 */
public record GuestLaunch(String mainClass, List<String> programArguments, int maxHeapMib, List<String> jvmOptions) {
    public static final String RUNTIME_DIR = "/jre";
    public static final String APP_LIB_DIR = "/app/lib";
    public static final String ARGFILE = "/morgana/jvm.args";
    public static final String MANIFEST = "/morgana/boot.manifest";
    public static final String BUNDLE = "/morgana/site.bundle";
    public static final String MODULES_DIR = "/lib/modules";
    /** Native libraries the guest's jars would otherwise unpack into /tmp at every boot (jffi's stub). */
    public static final String NATIVE_DIR = "/app/native";
    public static final String UNIKERNEL_MAIN = "morgana.unikernel.GuestMain";

    public GuestLaunch {
        programArguments = List.copyOf(programArguments);
        jvmOptions = List.copyOf(jvmOptions);
        if (maxHeapMib < 16) {
            throw new IllegalArgumentException("a guest heap below 16 MiB cannot run the JVM: " + maxHeapMib);
        }
    }

    /** A guest that needs no JVM options beyond Morgana's defaults. */
    public GuestLaunch(String mainClass, List<String> programArguments, int maxHeapMib) {
        this(mainClass, programArguments, maxHeapMib, List.of());
    }

    /**
     * Morgana's own guest: the unikernel main, reading the manifest baked into the image, with the options
     * the kernel module asks for ({@link GuestJvm#guestOptions}: jffi's stub unpacked at build time).
     */
    public static GuestLaunch unikernel(int maxHeapMib) {
        return new GuestLaunch(UNIKERNEL_MAIN, List.of(MANIFEST), maxHeapMib, GuestJvm.guestOptions(NATIVE_DIR));
    }

    /** A heap that leaves room for the initramfs (unpacked into RAM), metaspace and the kernel. */
    public static int heapFor(int memoryMib) {
        return Math.max(16, memoryMib / 2);
    }

    public String kernelCommandLine() {
        return kernelCommandLine(List.of("ttyS0"));
    }

    /** As {@link #kernelCommandLine()}, with these consoles, the last one preferred for /dev/console. */
    public String kernelCommandLine(List<String> consoles) {
        List<String> words = new ArrayList<>();
        consoles.forEach(c -> words.add("console=" + c));
        words.addAll(List.of(
                "quiet",
                // If init ever exits the kernel panics; reboot at once, and qemu's -no-reboot turns that into an exit.
                "panic=-1",
                "rdinit=" + RUNTIME_DIR + "/bin/java",
                "LD_LIBRARY_PATH=" + RUNTIME_DIR + "/lib:" + RUNTIME_DIR + "/lib/server",
                "--",
                "@" + ARGFILE));
        return String.join(" ", words);
    }

    /** Where an image keeps the guest's AOT cache ({@link AotCache}). */
    public static final String AOT_CACHE = "/morgana/app.aot";
    public static final String TRAINING_MAIN = "morgana.unikernel.TrainingMain";

    /**
     * The AOT cache's code (method adapters, stubs) is generated for the CPU that trains it, the build host's,
     * and dies with SIGILL on qemu's emulated CPU; classes and their linking, most of the gain, carry over.
     */
    static final List<String> AOT_PORTABLE = List.of(
            "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTAdapterCaching", "-XX:-AOTStubCaching");

    /** The java argfile, one option per line; {@code jarNames} are file names under {@link #APP_LIB_DIR}. */
    public String argFile(List<String> jarNames) {
        return argFile(jarNames, false);
    }

    /** As {@link #argFile(List)}; with {@code aotCache}, the JVM maps {@link #AOT_CACHE} instead of the JDK's CDS archive. */
    public String argFile(List<String> jarNames, boolean aotCache) {
        List<String> lines = new ArrayList<>(jvmOptions(jarNames));
        if (aotCache) {
            lines.addAll(AOT_PORTABLE);
            lines.add("-XX:AOTCache=" + AOT_CACHE);
        } else {
            lines.add("-Xshare:auto");
        }
        lines.add(mainClass);
        lines.addAll(programArguments);
        for (String line : lines) {
            if (line.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '#')) {
                throw new ImageException("cannot put '" + line + "' in the guest's java argfile: it has a space,"
                        + " quote or '#'; rename the jar or argument");
            }
        }
        return String.join("\n", lines) + "\n";
    }

    /** The options of the training run that writes the AOT cache: the guest's, so that the cache fits them. */
    public List<String> trainingCommand(List<String> jarNames, String bundle) {
        List<String> command = new ArrayList<>(List.of(RUNTIME_DIR + "/bin/java"));
        command.addAll(jvmOptions(jarNames));
        command.addAll(AOT_PORTABLE);
        command.add("-XX:AOTCacheOutput=" + AOT_CACHE);
        command.add(TRAINING_MAIN);
        command.add(bundle);
        return command;
    }

    /** Every JVM option of the guest but the class-sharing ones. */
    private List<String> jvmOptions(List<String> jarNames) {
        List<String> lines = new ArrayList<>();
        lines.add("-cp");
        lines.add(String.join(":", jarNames.stream().map(jar -> APP_LIB_DIR + "/" + jar).toList()));
        for (String option : GuestJvm.requiredOptions()) {
            lines.add(option);
        }
        lines.add("-Djava.io.tmpdir=/tmp");
        for (String option : jvmOptions) {
            if (!lines.contains(option)) {
                lines.add(option);
            }
        }
        lines.add("-Xmx" + maxHeapMib + "m");
        // One CPU-cheap collector and the C1 compiler only: start-up time matters more than peak speed,
        // above all under TCG emulation.
        lines.add("-XX:+UseSerialGC");
        lines.add("-XX:TieredStopAtLevel=1");
        // No hsperfdata file in /tmp: nobody attaches jstat to PID 1 of a unikernel.
        lines.add("-XX:-UsePerfData");
        return lines;
    }
}
