package morgana.fuzz;

import java.nio.ByteBuffer;
import morgana.netstack.wire.InternetChecksum;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.MacAddress;

/**
 * Frames written byte by byte, as a peer on the wire would, and a repair that fixes the checksums of a
 * mutated frame: without it almost every mutation dies at the first checksum and the fuzzer never reaches
 * the option parsers and state machines behind it.
 */
public final class Frames {

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ICMP = 1;
    public static final int TCP = 6;
    public static final int UDP = 17;

    private Frames() {
    }

    public static byte[] ethernet(MacAddress destination, MacAddress source, int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put(destination.toBytes()).put(source.toBytes()).putShort((short) etherType).put(payload);
        return b.array();
    }

    /** An IPv4 packet with a 20-byte header, DF set, TTL 64 and a correct header checksum (RFC 791 §3.1). */
    public static byte[] ipv4(Ipv4Address source, Ipv4Address destination, int protocol, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) 0)
                .putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0)
                .putInt(source.bits()).putInt(destination.bits()).put(payload);
        b.putShort(10, (short) InternetChecksum.of(b, 0, 20));
        return b.array();
    }

    /** An Ethernet/IPv4 ARP request (RFC 826) for {@code target}, broadcast. */
    public static byte[] arpRequest(MacAddress sender, Ipv4Address senderIp, Ipv4Address target) {
        ByteBuffer arp = ByteBuffer.allocate(28);
        arp.putShort((short) 1).putShort((short) ETHERTYPE_IPV4).put((byte) 6).put((byte) 4).putShort((short) 1)
                .put(sender.toBytes()).putInt(senderIp.bits()).put(new byte[6]).putInt(target.bits());
        return ethernet(MacAddress.BROADCAST, sender, ETHERTYPE_ARP, arp.array());
    }

    /** An ICMP echo request (RFC 792) in IPv4 in Ethernet. */
    public static byte[] echoRequest(MacAddress from, MacAddress to, Ipv4Address fromIp, Ipv4Address toIp, int id,
                                     int sequence, byte[] data) {
        ByteBuffer icmp = ByteBuffer.allocate(8 + data.length);
        icmp.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) sequence).put(data);
        icmp.putShort(2, (short) InternetChecksum.of(icmp, 0, icmp.limit()));
        return ethernet(to, from, ETHERTYPE_IPV4, ipv4(fromIp, toIp, ICMP, icmp.array()));
    }

    /**
     * Rewrites, in place, the IPv4 header checksum and, for a whole (unfragmented) TCP, UDP or ICMP packet, the
     * upper-layer checksum, wherever the frame's own length fields put them inside the frame. Leaves what it
     * cannot locate alone: the stack must still refuse it.
     */
    public static void repairChecksums(byte[] frame) {
        if (frame.length < 14 + 20 || (((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF)) != ETHERTYPE_IPV4) {
            return;
        }
        ByteBuffer ip = ByteBuffer.wrap(frame, 14, frame.length - 14).slice();
        int ihl = (ip.get(0) & 0x0F) * 4;
        if (ihl < 20 || ihl > ip.limit()) {
            return;
        }
        ip.putShort(10, (short) 0);
        ip.putShort(10, (short) InternetChecksum.of(ip, 0, ihl));
        int total = Math.min(ip.getShort(2) & 0xFFFF, ip.limit());
        boolean fragment = (ip.getShort(6) & 0x3FFF) != 0;
        if (fragment || total <= ihl) {
            return;
        }
        ByteBuffer l4 = ip.slice(ihl, total - ihl);
        Ipv4Address src = new Ipv4Address(ip.getInt(12));
        Ipv4Address dst = new Ipv4Address(ip.getInt(16));
        repairTransport(l4, ip.get(9) & 0xFF, src, dst);
    }

    /** Rewrites the checksum of a TCP, UDP or ICMP message filling {@code l4}, if its header fits. */
    public static void repairTransport(ByteBuffer l4, int protocol, Ipv4Address src, Ipv4Address dst) {
        switch (protocol) {
            case TCP -> {
                if (l4.limit() >= 20) {
                    l4.putShort(16, (short) 0);
                    l4.putShort(16, (short) transportChecksum(l4, l4.limit(), TCP, src, dst));
                }
            }
            case UDP -> {
                if (l4.limit() >= 8) {
                    int length = l4.getShort(4) & 0xFFFF;
                    if (length >= 8 && length <= l4.limit()) {
                        l4.putShort(6, (short) 0);
                        int sum = transportChecksum(l4, length, UDP, src, dst);
                        l4.putShort(6, (short) (sum == 0 ? 0xFFFF : sum));
                    }
                }
            }
            case ICMP -> {
                if (l4.limit() >= 8) {
                    l4.putShort(2, (short) 0);
                    l4.putShort(2, (short) InternetChecksum.of(l4, 0, l4.limit()));
                }
            }
            default -> { }
        }
    }

    private static int transportChecksum(ByteBuffer l4, int length, int protocol, Ipv4Address src, Ipv4Address dst) {
        return InternetChecksum.finish(InternetChecksum.pseudoHeaderSum(src, dst, protocol, length)
                + InternetChecksum.sum(l4, 0, length));
    }
}
