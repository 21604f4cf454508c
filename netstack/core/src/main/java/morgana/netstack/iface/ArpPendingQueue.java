package morgana.netstack.iface;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import morgana.netstack.wire.Ipv4Address;

/**
 * Outgoing IPv4 packets that wait for their next hop's hardware address. RFC 1122 §2.3.2.2 asks to keep
 * at least one such packet per destination and to send ARP requests for one address at most once per
 * second (§2.3.2.1). After a few unanswered requests the packets are dropped.
 */
final class ArpPendingQueue {

    static final Duration REQUEST_INTERVAL = Duration.ofSeconds(1);
    static final int MAX_REQUESTS = 3;

    /** A frame ready but for its Ethernet header. */
    record Waiting(byte[] frame) {
    }

    private static final class Resolution {
        final List<Waiting> packets = new ArrayList<>();
        Instant lastRequest;
        int requests;
    }

    private final Map<Ipv4Address, Resolution> pending = new LinkedHashMap<>();
    private final int capacity;
    private int size;

    ArpPendingQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Queues a packet for {@code nextHop}; false when the queue is full. */
    boolean enqueue(Ipv4Address nextHop, byte[] frame) {
        if (size >= capacity) {
            return false;
        }
        pending.computeIfAbsent(nextHop, k -> new Resolution()).packets.add(new Waiting(frame));
        size++;
        return true;
    }

    /** Takes every packet waiting for {@code nextHop} (now resolved). */
    List<Waiting> release(Ipv4Address nextHop) {
        Resolution r = pending.remove(nextHop);
        if (r == null) {
            return List.of();
        }
        size -= r.packets.size();
        return r.packets;
    }

    /**
     * Walks the resolutions at {@code now}: calls {@code request} for each one due a (re-)request, and drops
     * (returning their count) the packets of those that used up their requests.
     */
    int tick(Instant now, java.util.function.Consumer<Ipv4Address> request) {
        if (pending.isEmpty()) {
            return 0; // the usual case: no iterator to make
        }
        int dropped = 0;
        for (Iterator<Map.Entry<Ipv4Address, Resolution>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Ipv4Address, Resolution> e = it.next();
            Resolution r = e.getValue();
            if (r.lastRequest != null && now.isBefore(r.lastRequest.plus(REQUEST_INTERVAL))) {
                continue;
            }
            if (r.requests >= MAX_REQUESTS) {
                dropped += r.packets.size();
                size -= r.packets.size();
                it.remove();
                continue;
            }
            r.requests++;
            r.lastRequest = now;
            request.accept(e.getKey());
        }
        return dropped;
    }

    /** When {@link #tick} next has something to do. */
    Optional<Instant> nextDeadline() {
        if (pending.isEmpty()) {
            return Optional.empty();
        }
        Instant earliest = null;
        for (Resolution r : pending.values()) {
            Instant due = r.lastRequest == null ? Instant.MIN : r.lastRequest.plus(REQUEST_INTERVAL);
            if (earliest == null || due.isBefore(earliest)) {
                earliest = due;
            }
        }
        return Optional.ofNullable(earliest);
    }

    int size() {
        return size;
    }
}
