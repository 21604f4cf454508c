package morgana.netstack.tcp;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import morgana.netstack.wire.Ipv4Address;

/**
 * SYN cookies (RFC 4987 §3.6): when a listener's backlog is full, the SYN-ACK's ISN carries what the
 * connection needs, and no state is kept until the ACK returns it. The 32 bits are a 5-bit time counter (64 s
 * steps; a cookie is good for one to two steps), a 3-bit index into a table of common MSS values, the peer's
 * window scale (4 bits, 15 for none), SACK-permitted (1 bit) and a 19-bit keyed hash of all that with the
 * connection's addresses, ports and the peer's ISN. Timestamps are not encoded: a connection opened by cookie
 * runs without them.
 */
final class SynCookies {

    /** The MSS values a cookie can carry; the peer's MSS is rounded down to one of them. */
    static final int[] MSS_TABLE = {536, 1220, 1360, 1400, 1440, 1460, 4312, 8960};
    static final long COUNTER_SECONDS = 64;
    private static final int NO_SCALE = 15;
    private static final int HASH_BITS = 19;

    /** What a valid cookie gives back. */
    record Decoded(int mss, OptionalInt peerWindowScale, boolean sackPermitted) {
    }

    private final long secret;
    private final MessageDigest sha256;

    SynCookies(long secret) {
        this.secret = secret;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    int encode(Instant now, Ipv4Address localIp, int localPort, Ipv4Address remoteIp, int remotePort, int peerIsn,
               int mss, OptionalInt peerWindowScale, boolean sackPermitted) {
        int index = 0;
        for (int i = 0; i < MSS_TABLE.length; i++) {
            if (MSS_TABLE[i] <= mss) {
                index = i;
            }
        }
        int scale = peerWindowScale.isPresent() ? Math.min(14, peerWindowScale.getAsInt()) : NO_SCALE;
        long counter = counter(now);
        int fields = (int) ((counter & 0x1F) << 8 | index << 5 | scale << 1 | (sackPermitted ? 1 : 0));
        return fields << HASH_BITS | hash(counter, fields, localIp, localPort, remoteIp, remotePort, peerIsn);
    }

    /** The cookie's content if it was made by us for this connection in the last one or two counter steps. */
    Optional<Decoded> decode(Instant now, Ipv4Address localIp, int localPort, Ipv4Address remoteIp, int remotePort,
                             int peerIsn, int cookie) {
        int fields = cookie >>> HASH_BITS;
        long counter = counter(now);
        for (long candidate = counter; candidate >= counter - 1; candidate--) {
            if ((candidate & 0x1F) == fields >>> 8
                    && hash(candidate, fields, localIp, localPort, remoteIp, remotePort, peerIsn)
                    == (cookie & ((1 << HASH_BITS) - 1))) {
                int scale = fields >>> 1 & 0xF;
                return Optional.of(new Decoded(MSS_TABLE[fields >>> 5 & 0x7],
                        scale == NO_SCALE ? OptionalInt.empty() : OptionalInt.of(scale), (fields & 1) != 0));
            }
        }
        return Optional.empty();
    }

    private static long counter(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), COUNTER_SECONDS);
    }

    private int hash(long counter, int fields, Ipv4Address localIp, int localPort, Ipv4Address remoteIp,
                     int remotePort, int peerIsn) {
        ByteBuffer input = ByteBuffer.allocate(8 + 8 + 4 + 4 + 2 + 4 + 2 + 4 + 8);
        input.putLong(secret).putLong(counter).putInt(fields).putInt(localIp.bits()).putShort((short) localPort)
                .putInt(remoteIp.bits()).putShort((short) remotePort).putInt(peerIsn).putLong(~secret);
        return ByteBuffer.wrap(sha256.digest(input.array())).getInt() & ((1 << HASH_BITS) - 1);
    }
}
