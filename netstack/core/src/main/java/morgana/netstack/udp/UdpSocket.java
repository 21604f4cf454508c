package morgana.netstack.udp;

import morgana.netstack.wire.Ipv4Address;

/**
 * A UDP endpoint bound to one local port (RFC 768). Both directions are bounded queues: a datagram that finds
 * the receive queue full is dropped and counted, and {@link #send} refuses when the send queue is full.
 * Non-blocking; use it from the thread that polls the stack. What {@link #send} queues goes out at the next
 * poll, fragmented if it is larger than the MTU.
 */
public interface UdpSocket {

    /** The local port. */
    int port();

    /**
     * Queues {@code payload} for {@code destination:port} (a unicast address or 255.255.255.255). Returns false,
     * queuing nothing, when the send queue is full or the socket is closed.
     *
     * @throws IllegalArgumentException when the port is not 1 to 65535 or the payload does not fit one datagram
     */
    boolean send(Ipv4Address destination, int port, byte[] payload);

    /** The next received datagram, or {@code null} when none is waiting. */
    UdpDatagram receive();

    /** Datagrams waiting to be received. */
    int pending();

    /** Unbinds the port and discards both queues; later datagrams to it get a port unreachable. */
    void close();

    boolean isClosed();
}
