package morgana.kernel.boot;

import java.util.function.Consumer;

/**
 * Whatever outside PID 1's main thread can end its service: shutdown signals, and exceptions no thread
 * catches. The real ones are {@link #system()}; tests keep the consumer and call it.
 */
@FunctionalInterface
interface EndingSources {

    /** Hooks the sources up; each reports to {@code end}, from whatever thread it runs on. */
    void install(Consumer<Ending> end);

    /** Hooks up the sources that need their drivers loaded first (the power button); none by default. */
    default void installAfterDrivers(Consumer<Ending> end, Consumer<String> console) {
    }

    /**
     * The JVM's own handlers for HUP, INT and TERM would run shutdown hooks and exit, and PID 1 exiting is a
     * kernel panic, so all three are replaced:
     * <ul>
     * <li>SIGHUP is ignored: there is no terminal to hang up.
     * <li>SIGTERM asks for a clean shutdown.
     * <li>SIGINT too, because in this machine only the kernel sends it: PID 1 has no controlling terminal (the
     * kernel opens /dev/console for init without making it one, and nothing calls setsid), so no ^C reaches
     * it, and once ctrl-alt-del is handed to PID 1 ({@link Machine#sendCtrlAltDelToPid1}) it arrives as SIGINT.
     * That is one event a hypervisor can cause from outside (qemu's {@code sendkey ctrl-alt-delete}); the ACPI
     * power button, the other, is read once its drivers are loaded ({@link #installAfterDrivers}).
     * </ul>
     * An exception that no thread catches, an OutOfMemoryError among them, is fatal.
     */
    static EndingSources system() {
        return new EndingSources() {
            @Override
            public void install(Consumer<Ending> end) {
                Thread.setDefaultUncaughtExceptionHandler((thread, e) -> end.accept(new Ending.Fatal(
                        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                                + " in thread " + thread.getName() + ", uncaught", e)));
                sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sun.misc.SignalHandler.SIG_IGN);
                sun.misc.Signal.handle(new sun.misc.Signal("TERM"),
                        s -> end.accept(new Ending.ShutdownRequested("SIGTERM")));
                sun.misc.Signal.handle(new sun.misc.Signal("INT"),
                        s -> end.accept(new Ending.ShutdownRequested("SIGINT (ctrl-alt-del)")));
            }

            /** The ACPI power button ({@link PowerButton}): how EC2 and qemu ask a machine to shut down. */
            @Override
            public void installAfterDrivers(Consumer<Ending> end, Consumer<String> console) {
                PowerButton.watch(java.nio.file.Path.of("/sys/class/input"), java.nio.file.Path.of("/dev/input"),
                        end, console);
            }
        };
    }
}
