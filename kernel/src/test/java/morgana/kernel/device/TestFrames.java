package morgana.kernel.device;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Hand-built ARP and ICMP echo replies (RFC 826, RFC 792), so the device tests need nothing from the
 * network stack. Offsets are into an untagged Ethernet II frame.
 */
final class TestFrames {

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    private static final int ETH_HEADER = 14;

    private TestFrames() {
    }

    static int etherType(ByteBuffer frame) {
        return frame.limit() < ETH_HEADER ? -1 : frame.getShort(12) & 0xFFFF;
    }

    static byte[] bytes(ByteBuffer frame, int offset, int length) {
        byte[] out = new byte[length];
        frame.get(offset, out);
        return out;
    }

    /** The ARP reply when {@code request} asks who has {@code ip}; empty for anything else. */
    static Optional<ByteBuffer> arpReply(ByteBuffer request, byte[] mac, byte[] ip) {
        if (etherType(request) != ETHERTYPE_ARP || request.limit() < ETH_HEADER + 28
                || request.getShort(ETH_HEADER + 6) != 1
                || !java.util.Arrays.equals(bytes(request, ETH_HEADER + 24, 4), ip)) {
            return Optional.empty();
        }
        byte[] askerMac = bytes(request, ETH_HEADER + 8, 6);
        byte[] askerIp = bytes(request, ETH_HEADER + 14, 4);
        ByteBuffer reply = ByteBuffer.allocate(ETH_HEADER + 28);
        reply.put(askerMac).put(mac).putShort((short) ETHERTYPE_ARP);
        reply.putShort((short) 1).putShort((short) ETHERTYPE_IPV4).put((byte) 6).put((byte) 4).putShort((short) 2);
        reply.put(mac).put(ip).put(askerMac).put(askerIp);
        return Optional.of(reply.flip());
    }

    /** The echo reply when {@code request} is an ICMP echo request to {@code ip}; empty for anything else. */
    static Optional<ByteBuffer> echoReply(ByteBuffer request, byte[] ip) {
        if (etherType(request) != ETHERTYPE_IPV4 || request.limit() < ETH_HEADER + 20) {
            return Optional.empty();
        }
        int headerLength = (request.get(ETH_HEADER) & 0x0F) * 4;
        int totalLength = request.getShort(ETH_HEADER + 2) & 0xFFFF;
        int icmp = ETH_HEADER + headerLength;
        if (request.get(ETH_HEADER + 9) != 1 || !java.util.Arrays.equals(bytes(request, ETH_HEADER + 16, 4), ip)
                || request.limit() < ETH_HEADER + totalLength || totalLength < headerLength + 8
                || request.get(icmp) != 8) {
            return Optional.empty();
        }
        ByteBuffer reply = ByteBuffer.allocate(ETH_HEADER + totalLength);
        reply.put(bytes(request, 6, 6)).put(bytes(request, 0, 6)).putShort((short) ETHERTYPE_IPV4);
        reply.put(bytes(request, ETH_HEADER, totalLength));
        byte[] source = bytes(request, ETH_HEADER + 12, 4);
        reply.put(ETH_HEADER + 12, ip).put(ETH_HEADER + 16, source);
        reply.put(ETH_HEADER + 8, (byte) 64);
        reply.putShort(ETH_HEADER + 10, (short) 0);
        reply.putShort(ETH_HEADER + 10, checksum(reply, ETH_HEADER, headerLength));
        reply.put(icmp, (byte) 0);
        reply.putShort(icmp + 2, (short) 0);
        reply.putShort(icmp + 2, checksum(reply, icmp, totalLength - headerLength));
        return Optional.of(reply.position(0).limit(ETH_HEADER + totalLength));
    }

    static int echoSequence(ByteBuffer request) {
        int icmp = ETH_HEADER + (request.get(ETH_HEADER) & 0x0F) * 4;
        return request.getShort(icmp + 6) & 0xFFFF;
    }

    /** The Internet checksum (RFC 1071) of {@code length} bytes from {@code offset}. */
    static short checksum(ByteBuffer data, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += data.getShort(offset + i) & 0xFFFF;
        }
        if ((length & 1) != 0) {
            sum += (data.get(offset + length - 1) & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (short) ~sum;
    }

    static final int TCP_HEADER = 20;
    private static final int IPV4_HEADER = 20;

    /**
     * An IPv4 TCP segment (RFC 791, RFC 793) carrying {@code payload} at sequence number {@code sequence}, with
     * don't-fragment set, ACK and PSH, and a valid IPv4 header checksum; its TCP checksum is left 0 for whoever
     * sends it to fill ({@link #tcpChecksum} computes it).
     */
    static ByteBuffer tcpSegment(byte[] to, byte[] from, byte[] sourceIp, byte[] destinationIp, long sequence, byte[] payload) {
        int ipLength = IPV4_HEADER + TCP_HEADER + payload.length;
        ByteBuffer frame = ByteBuffer.allocate(ETH_HEADER + ipLength);
        frame.put(to).put(from).putShort((short) ETHERTYPE_IPV4);
        frame.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(sourceIp).put(destinationIp);
        frame.putShort(ETH_HEADER + 10, checksum(frame, ETH_HEADER, IPV4_HEADER));
        frame.putShort((short) 40000).putShort((short) 80).putInt((int) sequence).putInt(1)
                .put((byte) (5 << 4)).put((byte) 0x18).putShort((short) 0xFFFF).putShort((short) 0).putShort((short) 0);
        return frame.put(payload).flip();
    }

    /** The TCP checksum (RFC 793 §3.1: over the pseudo-header and the segment) the IPv4 frame's field should hold. */
    static short tcpChecksum(ByteBuffer frame) {
        int tcp = ETH_HEADER + (frame.get(ETH_HEADER) & 0x0F) * 4;
        int tcpLength = (frame.getShort(ETH_HEADER + 2) & 0xFFFF) - (tcp - ETH_HEADER);
        ByteBuffer pseudo = ByteBuffer.allocate(12 + tcpLength);
        pseudo.put(bytes(frame, ETH_HEADER + 12, 8)).put((byte) 0).put((byte) 6).putShort((short) tcpLength);
        pseudo.put(bytes(frame, tcp, tcpLength)).putShort(12 + 16, (short) 0);
        return checksum(pseudo, 0, pseudo.capacity());
    }

    /** The sequence number of the IPv4 TCP frame. */
    static long sequence(ByteBuffer frame) {
        return frame.getInt(ETH_HEADER + (frame.get(ETH_HEADER) & 0x0F) * 4 + 4) & 0xFFFFFFFFL;
    }

    /** The payload of the IPv4 TCP frame, as its IPv4 total length bounds it. */
    static byte[] tcpPayload(ByteBuffer frame) {
        int tcp = ETH_HEADER + (frame.get(ETH_HEADER) & 0x0F) * 4;
        int data = tcp + ((frame.get(tcp + 12) & 0xF0) >> 2);
        return bytes(frame, data, ETH_HEADER + (frame.getShort(ETH_HEADER + 2) & 0xFFFF) - data);
    }
}
