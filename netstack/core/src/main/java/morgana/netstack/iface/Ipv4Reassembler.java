package morgana.netstack.iface;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Fragment;
import morgana.netstack.wire.Ipv4Packet;

/**
 * Puts fragmented IPv4 datagrams back together (RFC 791 §3.2, RFC 815's hole list in spirit) within bounds:
 * at most {@code maxDatagrams} in progress holding at most {@code maxBytes} of payload, each for at most
 * {@code timeout} after its first fragment (RFC 1122 §3.3.2 asks for a 60 to 120 s timer; Linux uses 30 s).
 *
 * <p>Hostile shapes: fragments that overlap other than as exact duplicates make the whole datagram be
 * discarded, including the fragments still to come until the timeout (RFC 5722's rule for IPv6, applied to
 * IPv4: it defeats teardrop and overlap-based filter evasion, RFC 1858); a datagram that would end past
 * 65535 bytes (ping of death) or a non-final fragment whose length is not a multiple of 8 is dropped.
 */
final class Ipv4Reassembler {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_MAX_DATAGRAMS = 16;
    static final int DEFAULT_MAX_BYTES = 256 * 1024;

    /** The fields that tie fragments of one datagram together (RFC 791 §3.2 "Identification"). */
    record Key(Ipv4Address source, Ipv4Address destination, int protocol, int identification) {
    }

    /** A datagram put back together: its first fragment's header fields and the whole payload. */
    record Datagram(Ipv4Fragment first, byte[] payload) {
    }

    /** A datagram given up at its timeout, with its first fragment's quote if that had arrived. */
    record Expired(Key key, Optional<byte[]> firstFragmentQuote) {
    }

    private record Piece(int offset, byte[] bytes) {
        int end() {
            return offset + bytes.length;
        }
    }

    private static final class Assembly {
        final Instant expiresAt;
        final List<Piece> pieces = new ArrayList<>();
        Ipv4Fragment first;
        byte[] firstQuote;
        int totalLength = -1;
        int bytes;
        /** Overlap seen: discard everything until the timeout (RFC 5722 §4). */
        boolean poisoned;
        /** Reassembled already: later copies of its fragments are duplicates, not a new datagram. */
        boolean completed;

        boolean isMarker() {
            return poisoned || completed;
        }

        Assembly(Instant expiresAt) {
            this.expiresAt = expiresAt;
        }
    }

    private final Map<Key, Assembly> assemblies = new LinkedHashMap<>();
    private final StackStats stats;
    private final Duration timeout;
    private final int maxDatagrams;
    private final int maxBytes;
    private int bytesHeld;

    Ipv4Reassembler(StackStats stats) {
        this(stats, DEFAULT_TIMEOUT, DEFAULT_MAX_DATAGRAMS, DEFAULT_MAX_BYTES);
    }

    Ipv4Reassembler(StackStats stats, Duration timeout, int maxDatagrams, int maxBytes) {
        this.stats = stats;
        this.timeout = timeout;
        this.maxDatagrams = maxDatagrams;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds a fragment whose payload is {@code payload} and whose whole packet (for a later time exceeded
     * quote) is {@code packet}. Returns the datagram when this fragment completes it; drops are counted.
     */
    Optional<Datagram> add(Instant now, Ipv4Fragment fragment, ByteBuffer payload, ByteBuffer packet) {
        if (fragment.end() > 0xFFFF - Ipv4Packet.MIN_HEADER_LEN) {
            stats.dropped(DropReason.IPV4_FRAGMENT_TOO_LONG); // ping of death: the datagram would pass 65535
            return Optional.empty();
        }
        if (fragment.moreFragments() && (fragment.payloadLength() == 0 || fragment.payloadLength() % 8 != 0)) {
            stats.dropped(DropReason.IPV4_FRAGMENT_BAD_LENGTH); // RFC 791: only the last may end off an 8-byte boundary
            return Optional.empty();
        }
        Key key = new Key(fragment.source(), fragment.destination(), fragment.protocol(), fragment.identification());
        Assembly a = assemblies.get(key);
        if (a == null) {
            if (assemblies.size() >= maxDatagrams && !evictOneMarker()) {
                stats.dropped(DropReason.IPV4_REASSEMBLY_FULL);
                return Optional.empty();
            }
            a = new Assembly(now.plus(timeout));
            assemblies.put(key, a);
        }
        if (a.poisoned) {
            stats.dropped(DropReason.IPV4_FRAGMENT_OVERLAP);
            return Optional.empty();
        }
        if (a.completed) {
            stats.dropped(DropReason.IPV4_FRAGMENT_DUPLICATE);
            return Optional.empty();
        }
        byte[] bytes = new byte[fragment.payloadLength()];
        payload.duplicate().get(bytes);
        Piece piece = new Piece(fragment.offset(), bytes);

        if (!fragment.moreFragments()) {
            if ((a.totalLength >= 0 && a.totalLength != piece.end()) || endsPastLast(a, piece.end())) {
                poison(a);
                stats.dropped(DropReason.IPV4_FRAGMENT_INCONSISTENT);
                return Optional.empty();
            }
            a.totalLength = piece.end();
        } else if (a.totalLength >= 0 && piece.end() > a.totalLength) {
            poison(a);
            stats.dropped(DropReason.IPV4_FRAGMENT_INCONSISTENT);
            return Optional.empty();
        }
        for (Piece p : a.pieces) {
            if (p.offset < piece.end() && piece.offset < p.end()) {
                if (p.offset == piece.offset && Arrays.equals(p.bytes, piece.bytes)) {
                    stats.dropped(DropReason.IPV4_FRAGMENT_DUPLICATE);
                    return Optional.empty();
                }
                poison(a);
                stats.dropped(DropReason.IPV4_FRAGMENT_OVERLAP);
                return Optional.empty();
            }
        }
        if (bytesHeld + bytes.length > maxBytes) {
            stats.dropped(DropReason.IPV4_REASSEMBLY_FULL);
            return Optional.empty();
        }
        a.pieces.add(piece);
        a.bytes += bytes.length;
        bytesHeld += bytes.length;
        if (piece.offset == 0) {
            a.first = fragment;
            a.firstQuote = quote(packet);
        }
        if (a.totalLength < 0 || a.bytes != a.totalLength) {
            return Optional.empty(); // no overlaps, so covering every byte means the byte count matches
        }
        byte[] whole = new byte[a.totalLength];
        for (Piece p : a.pieces) {
            System.arraycopy(p.bytes, 0, whole, p.offset, p.bytes.length);
        }
        Ipv4Fragment first = a.first;
        bytesHeld -= a.bytes;
        a.bytes = 0;
        a.pieces.clear();
        a.firstQuote = null;
        a.completed = true;
        return Optional.of(new Datagram(first, whole));
    }

    private static boolean endsPastLast(Assembly a, int end) {
        for (Piece p : a.pieces) {
            if (p.end() > end) {
                return true;
            }
        }
        return false;
    }

    private void poison(Assembly a) {
        bytesHeld -= a.bytes;
        a.bytes = 0;
        a.pieces.clear();
        a.firstQuote = null;
        a.poisoned = true;
    }

    /** Makes room by forgetting the oldest poisoned or completed datagram; false when there is none. */
    private boolean evictOneMarker() {
        for (Iterator<Assembly> it = assemblies.values().iterator(); it.hasNext(); ) {
            if (it.next().isMarker()) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    private static byte[] quote(ByteBuffer packet) {
        byte[] q = new byte[Math.min(packet.remaining(), Icmpv4Repr.MAX_QUOTE)];
        packet.duplicate().get(q);
        return q;
    }

    /** Gives up the datagrams whose time ran out at {@code now}, telling {@code expired} about each one. */
    void expire(Instant now, Consumer<Expired> expired) {
        if (assemblies.isEmpty()) {
            return; // the usual case: no iterator to make
        }
        for (Iterator<Map.Entry<Key, Assembly>> it = assemblies.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Assembly> e = it.next();
            Assembly a = e.getValue();
            if (now.isBefore(a.expiresAt)) {
                continue;
            }
            it.remove();
            bytesHeld -= a.bytes;
            if (!a.isMarker()) {
                stats.dropped(DropReason.IPV4_REASSEMBLY_TIMEOUT);
                expired.accept(new Expired(e.getKey(), Optional.ofNullable(a.firstQuote)));
            }
        }
    }

    Optional<Instant> nextDeadline() {
        if (assemblies.isEmpty()) {
            return Optional.empty();
        }
        Instant earliest = null;
        for (Assembly a : assemblies.values()) {
            if (earliest == null || a.expiresAt.isBefore(earliest)) {
                earliest = a.expiresAt;
            }
        }
        return Optional.ofNullable(earliest);
    }

    /** Datagrams still waiting for fragments (not those discarded or completed and remembered). */
    int inProgress() {
        int n = 0;
        for (Assembly a : assemblies.values()) {
            if (!a.isMarker()) {
                n++;
            }
        }
        return n;
    }

    int bytesHeld() {
        return bytesHeld;
    }
}
