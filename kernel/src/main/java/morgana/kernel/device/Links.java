package morgana.kernel.device;

import java.time.Duration;
import morgana.netstack.wire.MacAddress;

/**
 * The link-level settings of the machine's network interfaces: what a driver made, whether it is up, its
 * MTU and hardware address. The real one is {@link SystemLinks}; PID-1 tests use a recording one.
 */
public interface Links {

    /**
     * Waits until an interface named {@code name} exists (a driver module may still be probing) and returns
     * its index. Throws {@link InterfaceNotFoundException} once {@code timeout} has passed.
     */
    int awaitInterface(String name, Duration timeout) throws InterruptedException;

    /** Sets IFF_UP on {@code name}, keeping its other flags. */
    void up(String name);

    boolean isUp(String name);

    int mtu(String name);

    void setMtu(String name, int mtu);

    MacAddress hardwareAddress(String name);

    /** Changes the interface's Ethernet address; most drivers want the link down for this. */
    void setHardwareAddress(String name, MacAddress mac);

    /** Whether generic receive offload merges received TCP segments into frames larger than the MTU. */
    boolean genericReceiveOffload(String name);

    /**
     * Turns GRO on or off. A packet socket sees frames after GRO, so with it on our stack could be handed
     * 64 KB "frames" that no wire carried; PID 1 turns it off.
     */
    void setGenericReceiveOffload(String name, boolean on);
}
