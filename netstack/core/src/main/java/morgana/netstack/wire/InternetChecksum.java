package morgana.netstack.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The 16-bit one's complement checksum of IPv4, ICMP and TCP (RFC 1071). */
public final class InternetChecksum {

    private InternetChecksum() {
    }

    /**
     * Sums {@code length} bytes from absolute index {@code offset} as big-endian 16-bit words, unfolded. Eight
     * bytes at a time: the four words of a long add up the same as one by one. A buffer in little-endian order
     * (a native one on x86) is read as it is and its folded sum swapped: the sum of byte-swapped words is the
     * byte-swapped sum (RFC 1071 §2(B)), and no big-endian view of the buffer is made.
     */
    public static long sum(ByteBuffer buf, int offset, int length) {
        boolean swapped = buf.order() != ByteOrder.BIG_ENDIAN;
        long acc = 0;
        int end = offset + length;
        int i = offset;
        for (; i + 7 < end; i += 8) {
            long v = buf.getLong(i);
            acc += (v >>> 48) + ((v >>> 32) & 0xFFFF) + ((v >>> 16) & 0xFFFF) + (v & 0xFFFF);
        }
        for (; i + 1 < end; i += 2) {
            acc += buf.getShort(i) & 0xFFFF;
        }
        if (i < end) {
            // an odd byte is padded with zero (RFC 1071 §1): the high byte of its word, the low one read swapped
            acc += swapped ? buf.get(i) & 0xFF : (buf.get(i) & 0xFF) << 8;
        }
        if (!swapped) {
            return acc;
        }
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return ((acc & 0xFF) << 8) | (acc >>> 8);
    }

    /** The sum over the IPv4 pseudo-header that TCP and UDP checksums include (RFC 9293 §3.1). */
    public static long pseudoHeaderSum(Ipv4Address source, Ipv4Address destination, int protocol, int length) {
        return pseudoHeaderSum(source.bits(), destination.bits(), protocol, length);
    }

    /** As above, with the addresses as {@link Ipv4Address#bits()}. */
    public static long pseudoHeaderSum(int source, int destination, int protocol, int length) {
        return (source >>> 16) + (source & 0xFFFF) + (destination >>> 16) + (destination & 0xFFFF) + protocol + length;
    }

    /**
     * The same pseudo-header read from the IPv4 header at {@code ipv4Offset} of {@code buf} (its source and
     * destination addresses), for a TCP or UDP segment of {@code length} bytes.
     */
    public static long pseudoHeaderSum(ByteBuffer buf, int ipv4Offset, int protocol, int length) {
        return sum(buf, ipv4Offset + 12, 8) + protocol + length;
    }

    /** Folds the carries and complements: the value to write into a checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** The checksum of a range, ready to write. Over a range that includes a correct checksum, this is 0. */
    public static int of(ByteBuffer buf, int offset, int length) {
        return finish(sum(buf, offset, length));
    }
}
