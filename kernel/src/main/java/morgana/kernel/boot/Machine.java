package morgana.kernel.boot;

/**
 * What PID 1 asks of the Linux kernel besides networking: file systems, the hostname, driver modules and
 * power. The real one is {@link SystemMachine}; tests record the calls. Failures are
 * {@link morgana.kernel.sys.SystemCallException}s.
 */
public interface Machine {

    /** mount(2) with no data; {@code flags} are MS_* bits. */
    void mount(String source, String target, String fileSystemType, long flags);

    void setHostname(String hostname);

    /** Loads the kernel module file at {@code path} (finit_module(2)), with no parameters. */
    void loadModule(String path);

    /**
     * Writes {@code value} to {@code /proc/sys/<name>} (such as {@code net/ipv6/conf/eth0/disable_ipv6});
     * returns false when this kernel has no such setting.
     */
    boolean setSysctl(String name, String value);

    /** This process's id; PID 1 is the only one allowed to power the machine off. */
    int pid();

    void sync();

    /** Powers the machine off; returns only if that failed. */
    void powerOff();

    /** Restarts the machine (qemu's {@code -no-reboot} turns that into an exit); returns only if that failed. */
    void reboot();

    /**
     * Makes ctrl-alt-del a request to PID 1 instead of an immediate reboot: with LINUX_REBOOT_CMD_CAD_OFF the
     * kernel sends SIGINT to PID 1 when the keyboard sees ctrl-alt-del (reboot(2), kernel/reboot.c).
     */
    void sendCtrlAltDelToPid1();

    /**
     * Waits until the kernel's random generator is seeded (getrandom(2) without GRND_NONBLOCK): the TCP
     * sequence-number secret and DHCP's transaction ids are drawn from it, and a guest has little entropy early.
     */
    void awaitEntropy();

    /** The kernel's clock source and the ones it could use (sysfs), such as {@code hpet (available: hpet acpi_pm)}. */
    java.util.Optional<String> clockSource();

    /** How long the kernel has been up ({@code /proc/uptime}); empty before /proc is mounted. */
    java.util.Optional<java.time.Duration> uptime();

    /**
     * The kernel's uptime when this process started: for PID 1, when the kernel handed over to the JVM.
     * Empty before /proc and /dev are mounted, or if the kernel no longer knows.
     */
    java.util.Optional<java.time.Duration> uptimeAtProcessStart();
}
