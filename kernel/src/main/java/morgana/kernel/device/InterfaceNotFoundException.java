package morgana.kernel.device;

import java.time.Duration;

/** No network interface of the expected name appeared in time. */
public final class InterfaceNotFoundException extends RuntimeException {

    private final String name;

    public InterfaceNotFoundException(String name, Duration waited) {
        super("no network interface " + name + " after " + waited.toMillis() + " ms: is the NIC driver module"
                + " in the manifest and does it match the virtual hardware?");
        this.name = name;
    }

    public String name() {
        return name;
    }
}
