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
}
