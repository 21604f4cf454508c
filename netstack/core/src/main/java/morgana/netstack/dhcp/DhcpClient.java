package morgana.netstack.dhcp;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import morgana.netstack.wire.DhcpMessageType;
import morgana.netstack.wire.DhcpPacket;
import morgana.netstack.wire.DhcpRepr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * The client side of DHCP (RFC 2131 §4.4): acquires a lease (DISCOVER, OFFER, REQUEST, ACK), renews it from
 * the leasing server at T1, rebinds with any server at T2, and gives the address up when the lease expires or a
 * server says NAK, then starts over. Pure: it consumes received messages and the time, and produces messages
 * and address changes; the interface does UDP, IP and Ethernet.
 *
 * <p>Deliberate omissions: no random 1 to 10 s wait before the first DISCOVER (RFC 2131 §4.4.1 "SHOULD"; a
 * server booting is exactly when the address is wanted), no ARP probe of the offered address before using it
 * (so no DECLINE), no INIT-REBOOT with a remembered address, no RELEASE.
 */
public final class DhcpClient {

    /** The options the client asks for (RFC 2132 §9.8): mask, router, DNS, lease time, server id, T1, T2. */
    static final List<Integer> PARAMETER_REQUEST_LIST = List.of(1, 3, 6, 51, 54, 58, 59);
    /** The first retransmission wait in SELECTING and REQUESTING; doubled each time up to 64 s (RFC 2131 §4.1). */
    static final Duration FIRST_RETRANSMIT = Duration.ofSeconds(4);
    static final Duration MAX_RETRANSMIT = Duration.ofSeconds(64);
    /** In RENEWING and REBINDING, retransmissions are no closer than this (RFC 2131 §4.4.5). */
    static final Duration MIN_RENEW_RETRANSMIT = Duration.ofSeconds(60);
    /** REQUESTs in REQUESTING before the client gives up on that offer and starts over. */
    static final int MAX_REQUESTS = 4;
    /** Used when an ACK carries no lease time (which RFC 2131 Table 3 forbids); an hour, like many servers. */
    static final long DEFAULT_LEASE_SECONDS = 3600;

    /** Where the client's messages go; {@code source} is 0.0.0.0 until the client has an address. */
    @FunctionalInterface
    public interface Sink {
        void send(Ipv4Address source, Ipv4Address destination, DhcpRepr message);
    }

    /** Told when the interface must start or stop using an address. */
    public interface Listener {
        void bound(DhcpLease lease);

        void unbound();
    }

    private final MacAddress mac;
    private final Random random;
    private final Listener listener;
    private DhcpState state = DhcpState.INIT;
    private int xid;
    private Instant transactionStart;
    private Instant requestSentAt;
    private Instant nextSend;
    private Duration backoff = FIRST_RETRANSMIT;
    private int requestsSent;
    private DhcpRepr offer;
    private DhcpLease lease;
    private long leasesAcquired;
    private long leasesLost;

    /**
     * @param seed for transaction ids and retransmission jitter (RFC 2131 §4.1 asks that xids be random, so that
     *             clients booting together do not collide: derive it from something per machine)
     */
    public DhcpClient(MacAddress mac, long seed, Listener listener) {
        this.mac = mac;
        this.random = new Random(seed ^ mac.bits());
        this.listener = listener;
    }

    public DhcpState state() {
        return state;
    }

    public Optional<DhcpLease> lease() {
        return Optional.ofNullable(lease);
    }

    public long leasesAcquired() {
        return leasesAcquired;
    }

    /** Leases given up at expiry or on NAK. */
    public long leasesLost() {
        return leasesLost;
    }

    /** When the client next needs {@link #poll}. */
    public Optional<Instant> pollAt() {
        if (state == DhcpState.INIT) {
            return Optional.of(Instant.MIN);
        }
        return Optional.ofNullable(nextSend).filter(t -> !t.equals(Instant.MAX)); // an infinite lease needs no poll
    }

    /** Sends what is due at {@code now}: the first DISCOVER, a retransmission, a renewal, or gives the lease up. */
    public void poll(Instant now, Sink sink) {
        switch (state) {
            case INIT -> startOver(now, sink);
            case SELECTING -> {
                if (due(now)) {
                    sendDiscover(now, sink);
                }
            }
            case REQUESTING -> {
                if (due(now)) {
                    if (requestsSent >= MAX_REQUESTS) {
                        startOver(now, sink);
                    } else {
                        sendSelectingRequest(now, sink);
                    }
                }
            }
            case BOUND -> {
                if (!now.isBefore(lease.renewAt())) {
                    state = DhcpState.RENEWING;
                    xid = random.nextInt();
                    transactionStart = now;
                    sendRenewal(now, sink);
                }
            }
            case RENEWING, REBINDING -> {
                if (!now.isBefore(lease.expiresAt())) {
                    lose();
                    startOver(now, sink);
                } else if (state == DhcpState.RENEWING && !now.isBefore(lease.rebindAt())) {
                    state = DhcpState.REBINDING;
                    xid = random.nextInt();
                    sendRenewal(now, sink);
                } else if (due(now)) {
                    sendRenewal(now, sink);
                }
            }
        }
    }

    /** A message that arrived for the client port. Returns false when the client ignored it (for the drop count). */
    public boolean process(Instant now, DhcpRepr message) {
        if (message.op() != DhcpPacket.OP_REPLY || message.xid() != xid || !message.clientMac().equals(mac)) {
            return false;
        }
        switch (state) {
            case SELECTING -> {
                if (message.messageType() != DhcpMessageType.OFFER || message.serverIdentifier().isEmpty()
                        || !usable(message.yourIp())) {
                    return false;
                }
                offer = message; // RFC 2131 §4.4.1: the client may take the first offer
                state = DhcpState.REQUESTING;
                requestsSent = 0;
                backoff = FIRST_RETRANSMIT;
                nextSend = now;
                return true;
            }
            case REQUESTING, RENEWING, REBINDING -> {
                if (message.messageType() == DhcpMessageType.NAK) {
                    if (state != DhcpState.REQUESTING) {
                        lose();
                    }
                    state = DhcpState.INIT; // RFC 2131 §4.4.1: NAK means start over
                    return true;
                }
                if (message.messageType() != DhcpMessageType.ACK || !usable(message.yourIp())) {
                    return false;
                }
                if (state == DhcpState.REQUESTING && (requestsSent == 0 || (message.serverIdentifier().isPresent()
                        && !message.serverIdentifier().equals(offer.serverIdentifier())))) {
                    // an ACK before our REQUEST went out, or from a server we did not select (RFC 2131 §4.3.2)
                    return false;
                }
                bind(message);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean usable(Ipv4Address address) {
        int first = address.bits() >>> 24;
        return !address.equals(Ipv4Address.ANY) && !address.equals(Ipv4Address.BROADCAST) && first != 127
                && first < 224;
    }

    private boolean due(Instant now) {
        return nextSend != null && !now.isBefore(nextSend);
    }

    private void startOver(Instant now, Sink sink) {
        state = DhcpState.SELECTING;
        offer = null;
        xid = random.nextInt();
        transactionStart = now;
        backoff = FIRST_RETRANSMIT;
        sendDiscover(now, sink);
    }

    private void sendDiscover(Instant now, Sink sink) {
        sink.send(Ipv4Address.ANY, Ipv4Address.BROADCAST, DhcpRepr.clientMessage(DhcpMessageType.DISCOVER, xid,
                secs(now), mac, Ipv4Address.ANY, Optional.empty(), Optional.empty(), PARAMETER_REQUEST_LIST));
        scheduleBackoff(now);
    }

    /** RFC 2131 §4.3.2 "SELECTING state": requested IP and server identifier set, ciaddr 0, broadcast. */
    private void sendSelectingRequest(Instant now, Sink sink) {
        requestsSent++;
        requestSentAt = now;
        sink.send(Ipv4Address.ANY, Ipv4Address.BROADCAST, DhcpRepr.clientMessage(DhcpMessageType.REQUEST, xid,
                secs(now), mac, Ipv4Address.ANY, Optional.of(offer.yourIp()), offer.serverIdentifier(),
                PARAMETER_REQUEST_LIST));
        scheduleBackoff(now);
    }

    /**
     * RFC 2131 §4.3.2 "RENEWING"/"REBINDING": ciaddr set, no requested IP or server identifier; unicast to the
     * leasing server when renewing, broadcast when rebinding. The next try is half the time left to T2 (or to
     * expiry), but not sooner than 60 s (§4.4.5).
     */
    private void sendRenewal(Instant now, Sink sink) {
        requestSentAt = now;
        Ipv4Address ours = lease.address().address();
        Ipv4Address to = state == DhcpState.RENEWING ? lease.server() : Ipv4Address.BROADCAST;
        sink.send(ours, to, DhcpRepr.clientMessage(DhcpMessageType.REQUEST, xid, secs(now), mac, ours,
                Optional.empty(), Optional.empty(), PARAMETER_REQUEST_LIST));
        Instant until = state == DhcpState.RENEWING ? lease.rebindAt() : lease.expiresAt();
        Duration half = Duration.between(now, until).dividedBy(2);
        Instant next = now.plus(half.compareTo(MIN_RENEW_RETRANSMIT) < 0 ? MIN_RENEW_RETRANSMIT : half);
        nextSend = next.isAfter(until) ? until : next;
    }

    /** RFC 2131 §4.1: 4 s, 8 s, ... up to 64 s, each randomized by ±1 s. */
    private void scheduleBackoff(Instant now) {
        long jitterMillis = random.nextLong(-1000, 1001);
        nextSend = now.plus(backoff).plusMillis(jitterMillis);
        backoff = backoff.multipliedBy(2);
        if (backoff.compareTo(MAX_RETRANSMIT) > 0) {
            backoff = MAX_RETRANSMIT;
        }
    }

    private int secs(Instant now) {
        long s = Duration.between(transactionStart, now).toSeconds();
        return (int) Math.min(Math.max(s, 0), 0xFFFF);
    }

    /** RFC 2131 §4.4.5: T1 defaults to half the lease, T2 to 7/8; times count from when the REQUEST went out. */
    private void bind(DhcpRepr ack) {
        long leaseSeconds = ack.leaseSeconds().orElse(DEFAULT_LEASE_SECONDS);
        Instant base = requestSentAt;
        Instant expires = leaseSeconds == 0xFFFF_FFFFL ? Instant.MAX : base.plusSeconds(leaseSeconds);
        long t1 = ack.renewalSeconds().orElse(leaseSeconds / 2);
        long t2 = ack.rebindingSeconds().orElse(leaseSeconds * 7 / 8);
        if (t2 > leaseSeconds) {
            t2 = leaseSeconds * 7 / 8;
        }
        if (t1 > t2) {
            t1 = t2;
        }
        Instant renew = leaseSeconds == 0xFFFF_FFFFL ? Instant.MAX : base.plusSeconds(t1);
        Instant rebind = leaseSeconds == 0xFFFF_FFFFL ? Instant.MAX : base.plusSeconds(t2);
        Ipv4Address server = ack.serverIdentifier().orElse(lease != null ? lease.server()
                : offer != null && offer.serverIdentifier().isPresent() ? offer.serverIdentifier().get() : ack.serverIp());
        int prefix = ack.subnetMask().map(DhcpClient::prefixOf).orElse(classfulPrefix(ack.yourIp()));
        Ipv4Cidr address = new Ipv4Cidr(ack.yourIp(), prefix);
        Optional<Ipv4Address> router = ack.routers().stream().filter(address::contains).findFirst();
        DhcpLease previous = lease;
        lease = new DhcpLease(address, router, ack.dnsServers(), server, renew, rebind, expires);
        state = DhcpState.BOUND;
        nextSend = renew;
        offer = null;
        if (previous == null || !previous.address().equals(address) || !previous.router().equals(router)) {
            leasesAcquired++;
            listener.bound(lease);
        }
    }

    private void lose() {
        if (lease != null) {
            lease = null;
            leasesLost++;
            listener.unbound();
        }
    }

    /** The prefix length of a contiguous netmask; a non-contiguous one counts its leading ones. */
    static int prefixOf(Ipv4Address mask) {
        return Integer.numberOfLeadingZeros(~mask.bits());
    }

    /** RFC 791's classes, for a server that sends no subnet mask (RFC 2131 does not require one). */
    static int classfulPrefix(Ipv4Address address) {
        int first = address.bits() >>> 24;
        return first < 128 ? 8 : first < 192 ? 16 : 24;
    }
}
