package morgana.netstack.udp;

import java.util.Arrays;
import morgana.netstack.wire.Ipv4Address;

/**
 * A datagram a {@link UdpSocket} received: who sent it, to which of our addresses (ours, or a broadcast),
 * and its payload.
 */
public record UdpDatagram(Ipv4Address source, int sourcePort, Ipv4Address destination, byte[] payload) {

    public UdpDatagram {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpDatagram d && d.source.equals(source) && d.sourcePort == sourcePort
                && d.destination.equals(destination) && Arrays.equals(d.payload, payload);
    }

    @Override
    public int hashCode() {
        return (source.hashCode() * 31 + sourcePort) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "UdpDatagram[" + source + ":" + sourcePort + " > " + destination + ", " + payload.length + " bytes]";
    }
}
