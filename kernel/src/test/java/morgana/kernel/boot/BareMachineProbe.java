package morgana.kernel.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import morgana.kernel.device.SystemLinks;
import morgana.kernel.sys.Posix;
import morgana.kernel.sys.SystemCallException;

/**
 * Run by {@link BareMachineTest} in a child JVM with its own mount and UTS namespaces and no /proc or /sys,
 * as PID 1 finds the machine: loads the C library, then runs PID 1's first steps for real.
 */
public final class BareMachineProbe {

    public static void main(String[] args) throws Exception {
        System.out.println("proc before " + Files.exists(Path.of("/proc/self")));
        System.out.println("sys before " + Files.exists(Path.of("/sys/class")));
        Posix posix = Posix.system();
        System.out.println("libc loaded, pid " + (posix.pid() > 1 ? "> 1" : "1"));
        System.out.println("tmpdir " + Files.isDirectory(Path.of(System.getProperty("java.io.tmpdir"))));

        Pid1 pid1 = new Pid1(SystemMachine.system(), SystemLinks.system(), Console.system(), name -> {
            throw new UnsupportedOperationException();
        }, (device, config, port, app) -> {
            throw new UnsupportedOperationException();
        }, code -> System.out.println("exit " + code), end -> { }, System::nanoTime);
        Machine machine = SystemMachine.system();
        System.out.println("uptime before mount " + machine.uptime().isPresent());
        pid1.mountFileSystems();
        System.out.println("proc after " + Files.exists(Path.of("/proc/self")));
        java.time.Duration up = machine.uptime().orElseThrow();
        java.time.Duration started = machine.uptimeAtProcessStart().orElseThrow();
        System.out.println("started before now " + (started.isPositive() && started.compareTo(up) <= 0));
        System.out.println("sys after " + Files.exists(Path.of("/sys/class/net/lo")));

        pid1.setHostname("morgana-probe");
        System.out.println("uts " + Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());

        try {
            pid1.loadDrivers(java.util.List.of("/nonexistent/virtio_net.ko"));
        } catch (SystemCallException e) {
            System.out.println("module " + e.getMessage());
        }
        pid1.fail("probe done", null); // not PID 1: must exit, never power off
    }
}
