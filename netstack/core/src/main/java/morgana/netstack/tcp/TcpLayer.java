package morgana.netstack.tcp;

import java.time.Instant;
import java.util.Optional;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.StackStats;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.TcpRepr;

/** Placeholder while the state machine is written. */
public final class TcpLayer {

    @FunctionalInterface
    public interface SegmentSink {
        void send(Ipv4Address source, Ipv4Address destination, TcpRepr segment);
    }

    private final StackStats stats;

    public TcpLayer(TcpConfig config, Ipv4Address localAddress, int mss, StackStats stats) {
        this.stats = stats;
    }

    public TcpListener listen(int port) {
        throw new UnsupportedOperationException("TCP not yet");
    }

    public TcpConnection connect(Instant now, Ipv4Address remote, int port) {
        throw new UnsupportedOperationException("TCP not yet");
    }

    public void process(Instant now, Ipv4Address source, Ipv4Address destination, TcpRepr segment) {
        stats.dropped(DropReason.TCP_NO_SOCKET);
    }

    public void dispatch(Instant now, SegmentSink sink) {
    }

    public Optional<Instant> pollAt(Instant now) {
        return Optional.empty();
    }
}
