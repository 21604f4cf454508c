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

    /** A binding; its lifetime is pushed back by traffic at most once a second (see {@link #confirm}). */
    private static final class Entry {
        final MacAddress mac;
        Instant expiresAt;
        long confirmedSecond;

        Entry(MacAddress mac, Instant expiresAt) {
            this.mac = mac;
            this.expiresAt = expiresAt;
        }
    }

    private final Map<Ipv4Address, Entry> entries = new LinkedHashMap<>();
    /** The last confirmation by {@link #confirm(int, long, Instant)}; forgotten whenever a binding is learned. */
    private int lastConfirmedIp;
    private long lastConfirmedMac = -1;
    private long lastConfirmedSecond;
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
        return Optional.ofNullable(find(ip, now));
    }

    /** As {@link #lookup}, null for none: what the stack asks for every packet it sends. */
    public MacAddress find(Ipv4Address ip, Instant now) {
        Entry e = entries.get(ip);
        if (e == null) {
            return null;
        }
        if (!now.isBefore(e.expiresAt)) {
            entries.remove(ip);
            return null;
        }
        return e.mac;
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
        confirm(ip, mac.bits(), now);
    }

    /**
     * As below, for a sender address as {@link Ipv4Address#bits()}: the sender of the frame before it, confirmed
     * this second already, is passed over without a lookup (which would make an address to look up with).
     */
    public void confirm(int ipBits, long macBits, Instant now) {
        if (ipBits == lastConfirmedIp && macBits == lastConfirmedMac && now.getEpochSecond() == lastConfirmedSecond) {
            return;
        }
        confirm(new Ipv4Address(ipBits), macBits, now);
        lastConfirmedIp = ipBits;
        lastConfirmedMac = macBits;
        lastConfirmedSecond = now.getEpochSecond();
    }

    /**
     * As above, with the address as {@link MacAddress#bits()}, as a received frame has it. Every frame of a
     * transfer confirms its sender: the lifetime moves at most once a second, so that it is not remade each time.
     */
    public void confirm(Ipv4Address ip, long macBits, Instant now) {
        Entry e = entries.get(ip);
        if (e != null && e.mac.bits() == macBits && e.confirmedSecond != now.getEpochSecond()) {
            e.expiresAt = now.plus(lifetime);
            e.confirmedSecond = now.getEpochSecond();
        }
    }

    /** Inserts or refreshes a binding, valid from {@code now} for the lifetime. */
    public void learn(Ipv4Address ip, MacAddress mac, Instant now) {
        lastConfirmedMac = -1;
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
