package morgana.netstack.dhcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import morgana.netstack.udp.UdpDatagram;
import morgana.netstack.udp.UdpSocket;
import morgana.netstack.wire.DhcpMessageType;
import morgana.netstack.wire.DhcpPacket;
import morgana.netstack.wire.DhcpRepr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.WireFormatException;

/**
 * A DHCP server small enough to read: one address to give, answers DISCOVER with OFFER and REQUEST with ACK
 * (or NAK when told to), broadcasting its replies. It runs on a stack's UDP socket on port 67; call
 * {@link #serve} whenever that stack has been polled.
 */
final class TestDhcpServer {

    final UdpSocket socket;
    final Ipv4Address serverIp;
    final Ipv4Address offered;
    final long leaseSeconds;
    final List<DhcpRepr> received = new ArrayList<>();
    /** The destination address of each received message, in order. */
    final List<Ipv4Address> receivedAt = new ArrayList<>();
    boolean answering = true;
    boolean nakRequests;

    TestDhcpServer(UdpSocket socket, Ipv4Address serverIp, Ipv4Address offered, long leaseSeconds) {
        this.socket = socket;
        this.serverIp = serverIp;
        this.offered = offered;
        this.leaseSeconds = leaseSeconds;
    }

    void serve() {
        for (UdpDatagram d; (d = socket.receive()) != null; ) {
            DhcpRepr m;
            try {
                m = DhcpRepr.parse(DhcpPacket.newChecked(ByteBuffer.wrap(d.payload())));
            } catch (WireFormatException e) {
                continue;
            }
            received.add(m);
            receivedAt.add(d.destination());
            if (!answering) {
                continue;
            }
            switch (m.messageType()) {
                case DISCOVER -> reply(m, DhcpMessageType.OFFER);
                case REQUEST -> reply(m, nakRequests ? DhcpMessageType.NAK : DhcpMessageType.ACK);
                default -> { }
            }
        }
    }

    long count(DhcpMessageType type) {
        return received.stream().filter(m -> m.messageType() == type).count();
    }

    private void reply(DhcpRepr request, DhcpMessageType type) {
        boolean nak = type == DhcpMessageType.NAK;
        DhcpRepr reply = new DhcpRepr(DhcpPacket.OP_REPLY, type, request.xid(), 0, request.broadcast(), Ipv4Address.ANY,
                nak ? Ipv4Address.ANY : offered, Ipv4Address.ANY, Ipv4Address.ANY, request.clientMac(),
                Optional.of(serverIp), Optional.empty(),
                nak ? Optional.empty() : Optional.of(Ipv4Address.parse("255.255.255.0")),
                nak ? List.of() : List.of(serverIp), nak ? List.of() : List.of(serverIp),
                nak ? OptionalLong.empty() : OptionalLong.of(leaseSeconds), OptionalLong.empty(), OptionalLong.empty(),
                List.of(), OptionalInt.empty(), Optional.empty());
        byte[] bytes = new byte[reply.bufferLen()];
        reply.emit(DhcpPacket.forWriting(ByteBuffer.wrap(bytes)));
        socket.send(Ipv4Address.BROADCAST, DhcpRepr.CLIENT_PORT, bytes);
    }
}
