package morgana.kernel.boot;

/**
 * The milestones of a boot, in order, each timed on the console so that a slow boot is visible from the
 * console alone: where the time went between the kernel's start and the first connection served.
 */
public enum BootStep {
    /** The kernel started the JVM as init (from /proc/self/stat): everything before is the kernel's. */
    JVM("jvm"),
    /** PID 1's Java code runs: the JVM's own start-up is done. */
    MAIN("main"),
    /** The boot manifest is read and valid. */
    MANIFEST("manifest"),
    /** The NIC's driver modules are loaded. */
    DRIVER("driver"),
    /** The NIC is there and up. */
    LINK("link"),
    /** The stack has its address: at once for a static one, when the lease comes for DHCP. */
    ADDRESS("address"),
    /** The first connection was accepted. */
    FIRST_ACCEPT("first-accept");

    private final String word;

    BootStep(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
