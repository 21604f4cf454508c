package morgana.netstack.iface;

import java.time.Instant;
import java.util.Optional;
import morgana.netstack.phy.Device;
import morgana.netstack.tcp.TcpListener;

/**
 * The whole stack for one interface: Ethernet, ARP, IPv4, ICMP and TCP. It owns no thread, no clock and
 * no I/O: the caller hands it a device and the time, and asks when it next needs attention.
 */
public final class NetworkStack {

    public NetworkStack(StackConfig config) {
        throw new UnsupportedOperationException("contract stub: to be implemented");
    }

    public StackConfig config() {
        throw new UnsupportedOperationException("contract stub: to be implemented");
    }

    /**
     * Receives every frame the device has waiting, runs the timers due at {@code now}, and transmits what
     * the sockets and protocols have to send. Never throws on malformed input: such frames are counted drops.
     */
    public void poll(Instant now, Device device) {
        throw new UnsupportedOperationException("contract stub: to be implemented");
    }

    /** When the stack next needs a poll even if no frame arrives; empty when only a frame can wake it. */
    public Optional<Instant> pollAt(Instant now) {
        throw new UnsupportedOperationException("contract stub: to be implemented");
    }

    /** Opens a passive TCP endpoint on {@code port} (any local address of this stack). */
    public TcpListener listen(int port) {
        throw new UnsupportedOperationException("contract stub: to be implemented");
    }

    /** Counters: frames in and out, and drops by reason. */
    public StackStats stats() {
        throw new UnsupportedOperationException("contract stub: to be implemented");
    }
}
