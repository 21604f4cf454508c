package morgana.kernel.boot;

/** Why PID 1 stops serving: it was asked to, or something failed. The first one to happen wins. */
sealed interface Ending {

    /** SIGTERM, or ctrl-alt-del (SIGINT): a clean shutdown. */
    record ShutdownRequested(String signal) implements Ending {
    }

    /** An uncaught exception, an OutOfMemoryError, a hung or stopped event loop: reported, then power off or reboot. */
    record Fatal(String reason, Throwable cause) implements Ending {
    }
}
