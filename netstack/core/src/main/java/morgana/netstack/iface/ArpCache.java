package morgana.netstack.iface;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.MacAddress;

/**
 * IPv4-to-Ethernet bindings learned from ARP (RFC 826), each valid for a fixed lifetime (RFC 1122 §2.3.2.1
 * asks for a timeout). Bounded: when full, the entry learned longest ago makes room.
 */
public final class ArpCache {

    public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    public static final int DEFAULT_CAPACITY = 256;

    private record Entry(MacAddress mac, Instant expiresAt) {
    }

    private final Map<Ipv4Address, Entry> entries = new LinkedHashMap<>();
    private final Duration lifetime;
    private final int capacity;

    public ArpCache() {
        this(DEFAULT_LIFETIME, DEFAULT_CAPACITY);
    }

    public ArpCache(Duration lifetime, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("an ARP cache holds at least one entry, not " + capacity);
        }
        this.lifetime = lifetime;
        this.capacity = capacity;
    }

    /** The binding for {@code ip} if one was learned and has not expired at {@code now}. */
    public Optional<MacAddress> lookup(Ipv4Address ip, Instant now) {
        Entry e = entries.get(ip);
        if (e == null) {
            return Optional.empty();
        }
        if (!now.isBefore(e.expiresAt)) {
            entries.remove(ip);
            return Optional.empty();
        }
        return Optional.of(e.mac);
    }

    /** True if {@code ip} has a binding, expired or not (RFC 826's "merge" step updates such entries). */
    public boolean has(Ipv4Address ip) {
        return entries.containsKey(ip);
    }

    /**
     * Extends an existing binding when traffic from {@code mac} shows it is still right (RFC 1122 §2.3.2.1
     * allows such link-layer confirmation); never creates or changes one, so a forged frame cannot.
     */
    public void confirm(Ipv4Address ip, MacAddress mac, Instant now) {
        Entry e = entries.get(ip);
        if (e != null && e.mac.equals(mac)) {
            entries.put(ip, new Entry(mac, now.plus(lifetime)));
        }
    }

    /** Inserts or refreshes a binding, valid from {@code now} for the lifetime. */
    public void learn(Ipv4Address ip, MacAddress mac, Instant now) {
        entries.remove(ip); // re-insert so iteration order is learning order
        if (entries.size() >= capacity) {
            Iterator<Ipv4Address> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        entries.put(ip, new Entry(mac, now.plus(lifetime)));
    }

    public int size() {
        return entries.size();
    }
}
