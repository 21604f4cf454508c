package morgana.netstack.phy;

import java.nio.ByteBuffer;
import morgana.netstack.wire.EtherType;
import morgana.netstack.wire.EthernetFrame;
import morgana.netstack.wire.EthernetRepr;
import morgana.netstack.wire.IpProtocol;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Packet;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;

/** Whole frames for tests of what devices do with them (also used by the kernel's device tests). */
public final class TestFrames {

    public static final Ipv4Address SRC = Ipv4Address.parse("10.0.0.1");
    public static final Ipv4Address DST = Ipv4Address.parse("10.0.0.2");

    private TestFrames() {}

    /** An Ethernet frame with {@code segment} in IPv4 from {@link #SRC} to {@link #DST}, checksums and all. */
    public static ByteBuffer tcp(TcpRepr segment) {
        Ipv4Repr ip = Ipv4Repr.of(SRC, DST, IpProtocol.TCP, segment.bufferLen());
        ByteBuffer frame = ByteBuffer.allocate(EthernetFrame.HEADER_LEN + ip.bufferLen());
        new EthernetRepr(MacAddress.parse("02:00:00:00:00:01"), MacAddress.parse("02:00:00:00:00:02"), EtherType.IPV4)
                .emit(EthernetFrame.forWriting(frame));
        Ipv4Packet packet = Ipv4Packet.forWriting(frame.slice(EthernetFrame.HEADER_LEN, ip.bufferLen()));
        ip.emit(packet);
        segment.emit(TcpPacket.forWriting(packet.payloadForWriting()), SRC, DST);
        return frame;
    }
}
