package morgana.netstack.udp;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.StackStats;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.UdpRepr;

/**
 * UDP for one interface: demultiplexes datagrams to bound sockets by destination port and collects what the
 * sockets have to send. Talks in {@link UdpRepr}s; the interface does the bytes and the port unreachables.
 */
public final class UdpLayer {

    /** Datagrams each socket queues in either direction unless told otherwise. */
    public static final int DEFAULT_QUEUE_CAPACITY = 64;

    /** Where outgoing datagrams go (the interface wraps them in IPv4 and Ethernet). */
    @FunctionalInterface
    public interface DatagramSink {
        void send(Ipv4Address destination, UdpRepr datagram);
    }

    private record Outgoing(Ipv4Address destination, UdpRepr datagram) {
    }

    private final StackStats stats;
    private final Map<Integer, Socket> sockets = new HashMap<>();

    public UdpLayer(StackStats stats) {
        this.stats = stats;
    }

    public UdpSocket bind(int port, int queueCapacity) {
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("a UDP port is 1 to 65535, not " + port);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("a socket queues at least one datagram, not " + queueCapacity);
        }
        if (sockets.containsKey(port)) {
            throw new IllegalStateException("UDP port " + port + " is already bound; close that socket first");
        }
        Socket s = new Socket(port, queueCapacity);
        sockets.put(port, s);
        return s;
    }

    /** True when a socket is bound to {@code port}. */
    public boolean isBound(int port) {
        return sockets.containsKey(port);
    }

    /**
     * Delivers a datagram to the socket bound to its destination port. Returns false when no socket is bound
     * (the interface answers with port unreachable); a full queue is a counted drop and returns true.
     */
    public boolean process(Ipv4Address source, Ipv4Address destination, UdpRepr datagram) {
        Socket s = sockets.get(datagram.destinationPort());
        if (s == null) {
            return false;
        }
        if (s.received.size() >= s.capacity) {
            stats.dropped(DropReason.UDP_RECEIVE_QUEUE_FULL);
            return true;
        }
        s.received.add(new UdpDatagram(source, datagram.sourcePort(), destination, datagram.payload()));
        return true;
    }

    /** Hands every queued outgoing datagram to {@code sink}. */
    public void dispatch(DatagramSink sink) {
        if (sockets.isEmpty()) {
            return; // no iterator to make on a TCP-only stack's every poll
        }
        for (Socket s : sockets.values()) {
            while (!s.sending.isEmpty()) {
                Outgoing o = s.sending.poll();
                sink.send(o.destination, o.datagram);
            }
        }
    }

    /** True when some socket has a datagram to send. */
    public boolean hasPendingSends() {
        if (sockets.isEmpty()) {
            return false;
        }
        for (Socket s : sockets.values()) {
            if (!s.sending.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private final class Socket implements UdpSocket {
        private final int port;
        private final int capacity;
        private final ArrayDeque<UdpDatagram> received = new ArrayDeque<>();
        private final ArrayDeque<Outgoing> sending = new ArrayDeque<>();
        private boolean closed;

        Socket(int port, int capacity) {
            this.port = port;
            this.capacity = capacity;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public boolean send(Ipv4Address destination, int port, byte[] payload) {
            if (port < 1 || port > 0xFFFF) {
                throw new IllegalArgumentException("a UDP port is 1 to 65535, not " + port);
            }
            if (payload.length > UdpRepr.MAX_PAYLOAD) {
                throw new IllegalArgumentException("one IPv4 datagram carries at most " + UdpRepr.MAX_PAYLOAD
                        + " bytes of UDP payload, not " + payload.length);
            }
            UdpRepr datagram = new UdpRepr(this.port, port, payload);
            if (closed || sending.size() >= capacity) {
                return false;
            }
            sending.add(new Outgoing(destination, datagram));
            return true;
        }

        @Override
        public UdpDatagram receive() {
            return received.poll();
        }

        @Override
        public int pending() {
            return received.size();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                received.clear();
                sending.clear();
                sockets.remove(port, this);
            }
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public String toString() {
            return "UdpSocket[port=" + port + (closed ? ", closed" : "") + "]";
        }
    }
}
