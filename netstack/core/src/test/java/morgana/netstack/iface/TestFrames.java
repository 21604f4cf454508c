package morgana.netstack.iface;

import java.nio.ByteBuffer;
import morgana.netstack.wire.ArpPacket;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.EtherType;
import morgana.netstack.wire.EthernetFrame;
import morgana.netstack.wire.EthernetRepr;
import morgana.netstack.wire.Icmpv4Packet;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.IpProtocol;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Fragment;
import morgana.netstack.wire.UdpPacket;
import morgana.netstack.wire.UdpRepr;
import morgana.netstack.wire.Ipv4Packet;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import morgana.netstack.wire.WireFormatException;

/** Builds and takes apart whole frames, so tests can play a peer by hand. */
public final class TestFrames {

    private TestFrames() {
    }

    public static byte[] arp(MacAddress ethSource, MacAddress ethDestination, ArpRepr arp) {
        byte[] frame = new byte[EthernetFrame.HEADER_LEN + arp.bufferLen()];
        EthernetFrame eth = EthernetFrame.forWriting(ByteBuffer.wrap(frame));
        new EthernetRepr(ethSource, ethDestination, EtherType.ARP).emit(eth);
        arp.emit(ArpPacket.forWriting(eth.payload()));
        return frame;
    }

    public static byte[] ipv4(MacAddress ethSource, MacAddress ethDestination, Ipv4Repr ip, byte[] payload) {
        byte[] frame = new byte[EthernetFrame.HEADER_LEN + ip.bufferLen()];
        EthernetFrame eth = EthernetFrame.forWriting(ByteBuffer.wrap(frame));
        new EthernetRepr(ethSource, ethDestination, EtherType.IPV4).emit(eth);
        Ipv4Packet p = Ipv4Packet.forWriting(eth.payload());
        ip.emit(p);
        p.payloadForWriting().put(payload);
        return frame;
    }

    public static byte[] icmp(MacAddress src, MacAddress dst, Ipv4Address ipSrc, Ipv4Address ipDst, Icmpv4Repr icmp) {
        byte[] body = new byte[icmp.bufferLen()];
        icmp.emit(Icmpv4Packet.forWriting(ByteBuffer.wrap(body)));
        return ipv4(src, dst, Ipv4Repr.of(ipSrc, ipDst, IpProtocol.ICMP, body.length), body);
    }

    public static byte[] tcp(MacAddress src, MacAddress dst, Ipv4Address ipSrc, Ipv4Address ipDst, TcpRepr tcp) {
        byte[] body = new byte[tcp.bufferLen()];
        tcp.emit(TcpPacket.forWriting(ByteBuffer.wrap(body)), ipSrc, ipDst);
        return ipv4(src, dst, Ipv4Repr.of(ipSrc, ipDst, IpProtocol.TCP, body.length), body);
    }

    public static byte[] udp(MacAddress src, MacAddress dst, Ipv4Address ipSrc, Ipv4Address ipDst, UdpRepr udp) {
        byte[] body = new byte[udp.bufferLen()];
        udp.emit(UdpPacket.forWriting(ByteBuffer.wrap(body)), ipSrc, ipDst);
        return ipv4(src, dst, Ipv4Repr.of(ipSrc, ipDst, IpProtocol.UDP, body.length), body);
    }

    /** One fragment of a datagram whose whole payload is {@code payload}: bytes offset to offset + length. */
    public static byte[] fragment(MacAddress src, MacAddress dst, Ipv4Fragment header, byte[] payload) {
        byte[] frame = new byte[EthernetFrame.HEADER_LEN + header.bufferLen()];
        EthernetFrame eth = EthernetFrame.forWriting(ByteBuffer.wrap(frame));
        new EthernetRepr(src, dst, EtherType.IPV4).emit(eth);
        Ipv4Packet p = Ipv4Packet.forWriting(eth.payload());
        header.emit(p);
        p.payloadForWriting().put(payload, header.offset(), header.payloadLength());
        return frame;
    }

    /** The IPv4 payload of a frame (no checks beyond the views'). */
    public static byte[] ipPayloadOf(byte[] frame) throws WireFormatException {
        ByteBuffer b = Ipv4Packet.newChecked(EthernetFrame.newChecked(ByteBuffer.wrap(frame)).payload()).payload();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    public static Ipv4Fragment fragmentOf(byte[] frame) throws WireFormatException {
        return Ipv4Fragment.parse(Ipv4Packet.newChecked(EthernetFrame.newChecked(ByteBuffer.wrap(frame)).payload()));
    }

    public static UdpRepr udpOf(byte[] frame) throws WireFormatException {
        Ipv4Packet ip = Ipv4Packet.newChecked(EthernetFrame.newChecked(ByteBuffer.wrap(frame)).payload());
        return UdpRepr.parse(UdpPacket.newChecked(ip.payload()), ip.source(), ip.destination());
    }

    public static EthernetRepr ethernetOf(byte[] frame) throws WireFormatException {
        return EthernetRepr.parse(EthernetFrame.newChecked(ByteBuffer.wrap(frame)));
    }

    public static ArpRepr arpOf(byte[] frame) throws WireFormatException {
        return ArpRepr.parse(ArpPacket.newChecked(EthernetFrame.newChecked(ByteBuffer.wrap(frame)).payload()));
    }

    public static Ipv4Repr ipv4Of(byte[] frame) throws WireFormatException {
        return Ipv4Repr.parse(Ipv4Packet.newChecked(EthernetFrame.newChecked(ByteBuffer.wrap(frame)).payload()));
    }

    public static Icmpv4Repr icmpOf(byte[] frame) throws WireFormatException {
        Ipv4Packet ip = Ipv4Packet.newChecked(EthernetFrame.newChecked(ByteBuffer.wrap(frame)).payload());
        return Icmpv4Repr.parse(Icmpv4Packet.newChecked(ip.payload()));
    }

    public static TcpRepr tcpOf(byte[] frame) throws WireFormatException {
        Ipv4Packet ip = Ipv4Packet.newChecked(EthernetFrame.newChecked(ByteBuffer.wrap(frame)).payload());
        return TcpRepr.parse(TcpPacket.newChecked(ip.payload()), ip.source(), ip.destination());
    }
}
