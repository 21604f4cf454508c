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
}
