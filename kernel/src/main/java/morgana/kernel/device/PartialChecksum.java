package morgana.kernel.device;

import java.nio.ByteBuffer;
import morgana.netstack.wire.InternetChecksum;

/**
 * Completes the TCP or UDP checksum of a frame Linux handed over with checksum offload still pending
 * (CHECKSUM_PARTIAL, which a packet socket reports as TP_STATUS_CSUMNOTREADY): a veth peer, a Xen backend or
 * virtio's host side may leave only the pseudo-header sum in the field. The stack then sees the frame as
 * it would have crossed a wire. Only untagged IPv4 is handled; anything else is left as it is.
 */
final class PartialChecksum {

    private static final int ETH_HEADER = 14;
    private static final int TCP = 6;
    private static final int UDP = 17;

    private PartialChecksum() {
    }

    /** Rewrites the transport checksum of the frame in {@code frame[0, length)}; returns whether it did. */
    static boolean complete(ByteBuffer buffer, int length) {
        ByteBuffer frame = buffer.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN); // network order, whatever the buffer's
        if (length < ETH_HEADER + 20 || (frame.getShort(12) & 0xFFFF) != 0x0800 || (frame.get(ETH_HEADER) >> 4) != 4) {
            return false;
        }
        int headerLength = (frame.get(ETH_HEADER) & 0x0F) * 4;
        int totalLength = frame.getShort(ETH_HEADER + 2) & 0xFFFF;
        int protocol = frame.get(ETH_HEADER + 9) & 0xFF;
        boolean fragment = (frame.getShort(ETH_HEADER + 6) & 0x3FFF) != 0; // MF set or an offset: not the whole segment
        int segment = ETH_HEADER + headerLength;
        int segmentLength = totalLength - headerLength;
        int checksumOffset = protocol == TCP ? 16 : protocol == UDP ? 6 : -1;
        if (checksumOffset < 0 || fragment || headerLength < 20 || ETH_HEADER + totalLength > length
                || segmentLength < checksumOffset + 2) {
            return false;
        }
        frame.putShort(segment + checksumOffset, (short) 0);
        // RFC 9293 §3.1 / RFC 768: the pseudo-header (source, destination, zero, protocol, length), then the segment
        long sum = InternetChecksum.pseudoHeaderSum(frame, ETH_HEADER, protocol, segmentLength)
                + InternetChecksum.sum(frame, segment, segmentLength);
        int checksum = InternetChecksum.finish(sum);
        if (checksum == 0 && protocol == UDP) {
            checksum = 0xFFFF; // RFC 768: zero means "no checksum"
        }
        frame.putShort(segment + checksumOffset, (short) checksum);
        return true;
    }
}
