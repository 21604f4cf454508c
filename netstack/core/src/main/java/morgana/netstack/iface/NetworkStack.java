package morgana.netstack.iface;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import morgana.netstack.phy.Device;
import morgana.netstack.tcp.TcpConfig;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpLayer;
import morgana.netstack.tcp.TcpListener;
import morgana.netstack.wire.ArpPacket;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.EtherType;
import morgana.netstack.wire.EthernetFrame;
import morgana.netstack.wire.EthernetRepr;
import morgana.netstack.wire.Icmpv4Packet;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.IpProtocol;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Packet;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import morgana.netstack.wire.WireFormatException;

/**
 * The whole stack for one interface: Ethernet, ARP, IPv4, ICMP and TCP. It owns no thread, no clock and
 * no I/O: the caller hands it a device and the time, and asks when it next needs attention.
 *
 * <p>Not thread-safe: construct it, poll it and use its sockets from one thread (the event loop).
 */
public final class NetworkStack {

    /** How many packets may wait for ARP resolution, over all next hops. */
    static final int ARP_QUEUE_CAPACITY = 32;

    private final StackConfig config;
    private final StackStats stats = new StackStats();
    private final ArpCache arpCache = new ArpCache();
    private final ArpPendingQueue arpPending = new ArpPendingQueue(ARP_QUEUE_CAPACITY);
    private final TcpLayer tcp;
    private ByteBuffer rxBuffer;
    private Instant lastNow = Instant.EPOCH;
    private RuntimeException lastInternalError;

    public NetworkStack(StackConfig config) {
        this(config, TcpConfig.defaults());
    }

    public NetworkStack(StackConfig config, TcpConfig tcpConfig) {
        this.config = config;
        this.tcp = new TcpLayer(tcpConfig, config.address().address(), config.mtu() - 40, stats);
    }

    public StackConfig config() {
        return config;
    }

    /**
     * Receives every frame the device has waiting, runs the timers due at {@code now}, and transmits what
     * the sockets and protocols have to send. Never throws on malformed input: such frames are counted drops.
     */
    public void poll(Instant now, Device device) {
        lastNow = now;
        int capacity = Math.max(config.mtu(), device.mtu()) + 18;
        if (rxBuffer == null || rxBuffer.capacity() < capacity) {
            rxBuffer = ByteBuffer.allocate(capacity);
        }
        while (true) {
            rxBuffer.clear();
            if (!device.receive(rxBuffer)) {
                break;
            }
            stats.frameReceived();
            receiveFrame(now, device, rxBuffer);
        }
        runArpTimers(now, device);
        tcp.dispatch(now, (src, dst, segment) -> sendTcp(now, device, src, dst, segment));
    }

    /** When the stack next needs a poll even if no frame arrives; empty when only a frame can wake it. */
    public Optional<Instant> pollAt(Instant now) {
        Optional<Instant> arp = arpPending.nextDeadline();
        Optional<Instant> tcpAt = tcp.pollAt(now);
        Optional<Instant> earliest = arp.isEmpty() ? tcpAt
                : tcpAt.isEmpty() ? arp
                : Optional.of(arp.get().isBefore(tcpAt.get()) ? arp.get() : tcpAt.get());
        return earliest.map(t -> t.isBefore(now) ? now : t);
    }

    /** Opens a passive TCP endpoint on {@code port} (any local address of this stack). */
    public TcpListener listen(int port) {
        return tcp.listen(port);
    }

    /**
     * Starts an active open to {@code remote:port} from an ephemeral local port (RFC 9293 §3.5). The SYN goes
     * out at the next poll; the connection's state tells when it is established.
     */
    public TcpConnection connect(Ipv4Address remote, int port) {
        return tcp.connect(lastNow, remote, port);
    }

    /** Counters: frames in and out, and drops by reason. */
    public StackStats stats() {
        return stats;
    }

    /** The exception behind the latest {@link DropReason#INTERNAL_ERROR}, for a bug report; empty if none. */
    public Optional<RuntimeException> lastInternalError() {
        return Optional.ofNullable(lastInternalError);
    }

    /** The ARP cache, for inspection. */
    public ArpCache arpCache() {
        return arpCache;
    }

    // ---- receive path ----

    private void receiveFrame(Instant now, Device device, ByteBuffer bytes) {
        try {
            EthernetFrame frame = EthernetFrame.newChecked(bytes);
            EthernetRepr eth = EthernetRepr.parse(frame);
            if (!eth.destination().equals(config.mac()) && !eth.destination().isBroadcast()) {
                stats.dropped(DropReason.ETHERNET_NOT_FOR_US);
                return;
            }
            switch (eth.type()) {
                case ARP -> receiveArp(now, device, ArpRepr.parse(ArpPacket.newChecked(frame.payload())));
                case IPV4 -> receiveIpv4(now, device, eth.source(), Ipv4Packet.newChecked(frame.payload()));
                case VLAN, QINQ -> stats.dropped(DropReason.ETHERNET_VLAN_TAGGED);
                case IPV6, UNKNOWN -> stats.dropped(DropReason.ETHERNET_UNKNOWN_TYPE);
            }
        } catch (WireFormatException e) {
            stats.dropped(DropReason.of(e.error()));
        } catch (RuntimeException e) {
            stats.dropped(DropReason.INTERNAL_ERROR);
            lastInternalError = e;
        }
    }

    /** RFC 826 "Packet Reception": merge the sender if known, add it if the request is for us, then reply. */
    private void receiveArp(Instant now, Device device, ArpRepr arp) {
        Ipv4Address ours = config.address().address();
        boolean forUs = arp.targetIp().equals(ours);
        if (arp.senderIp().equals(Ipv4Address.ANY) || arp.senderMac().isMulticast()) {
            // an ARP probe (RFC 5227 §2.1.1) or a bogus sender: nothing to learn
        } else if (forUs || arpCache.has(arp.senderIp())) {
            arpCache.learn(arp.senderIp(), arp.senderMac(), now);
            for (ArpPendingQueue.Waiting w : arpPending.release(arp.senderIp())) {
                transmitIpv4Frame(device, arp.senderMac(), w.frame());
            }
        }
        if (!forUs) {
            stats.dropped(DropReason.ARP_NOT_FOR_US);
            return;
        }
        if (arp.operation() == ArpRepr.Operation.REQUEST) {
            ArpRepr reply = new ArpRepr(ArpRepr.Operation.REPLY, config.mac(), ours, arp.senderMac(), arp.senderIp());
            sendArp(device, arp.senderMac(), reply);
        }
    }

    private void receiveIpv4(Instant now, Device device, MacAddress from, Ipv4Packet packet) throws WireFormatException {
        Ipv4Repr ip = Ipv4Repr.parse(packet);
        if (config.address().contains(ip.source())) {
            arpCache.confirm(ip.source(), from, now);
        }
        config.gateway().ifPresent(gw -> arpCache.confirm(gw, from, now));
        Ipv4Address ours = config.address().address();
        boolean broadcast = ip.destination().equals(Ipv4Address.BROADCAST)
                || ip.destination().equals(config.address().broadcast());
        if (!ip.destination().equals(ours) && !broadcast) {
            stats.dropped(DropReason.IPV4_NOT_FOR_US);
            return;
        }
        switch (ip.ipProtocol()) {
            case ICMP -> receiveIcmp(now, device, ip, broadcast, packet.payload());
            case TCP -> {
                if (broadcast) {
                    stats.dropped(DropReason.TCP_BROADCAST);
                    return;
                }
                TcpRepr segment = TcpRepr.parse(TcpPacket.newChecked(packet.payload()), ip.source(), ip.destination());
                stats.tcpSegmentReceived();
                tcp.process(now, ip.source(), ip.destination(), segment);
            }
            case UDP, UNKNOWN -> stats.dropped(DropReason.IPV4_UNKNOWN_PROTOCOL);
        }
    }

    /** RFC 792: an echo reply carries the request's identifier, sequence number and data. */
    private void receiveIcmp(Instant now, Device device, Ipv4Repr ip, boolean broadcast, ByteBuffer payload)
            throws WireFormatException {
        Icmpv4Repr icmp = Icmpv4Repr.parse(Icmpv4Packet.newChecked(payload));
        switch (icmp) {
            case Icmpv4Repr.EchoRequest request -> {
                if (broadcast) {
                    stats.dropped(DropReason.ICMP_BROADCAST);
                    return;
                }
                Icmpv4Repr reply = new Icmpv4Repr.EchoReply(request.identifier(), request.sequence(), request.data());
                Ipv4Repr out = Ipv4Repr.of(ip.destination(), ip.source(), IpProtocol.ICMP, reply.bufferLen());
                sendIpv4(now, device, out, body -> reply.emit(Icmpv4Packet.forWriting(body)));
                stats.echoReplySent();
            }
            case Icmpv4Repr.EchoReply reply -> stats.dropped(DropReason.ICMP_UNSUPPORTED); // no ping socket yet
        }
    }

    // ---- transmit path ----

    private void sendTcp(Instant now, Device device, Ipv4Address src, Ipv4Address dst, TcpRepr segment) {
        Ipv4Repr ip = Ipv4Repr.of(src, dst, IpProtocol.TCP, segment.bufferLen());
        sendIpv4(now, device, ip, body -> segment.emit(TcpPacket.forWriting(body), src, dst));
        stats.tcpSegmentSent();
    }

    /**
     * Routes a packet (on-link: straight to the destination; otherwise via the gateway), resolves the next
     * hop's hardware address, and transmits, or queues the packet while an ARP request is outstanding.
     */
    private void sendIpv4(Instant now, Device device, Ipv4Repr ip, java.util.function.Consumer<ByteBuffer> body) {
        Ipv4Address nextHop;
        if (ip.destination().equals(Ipv4Address.BROADCAST) || config.address().contains(ip.destination())) {
            nextHop = ip.destination();
        } else if (config.gateway().isPresent()) {
            nextHop = config.gateway().get();
        } else {
            stats.dropped(DropReason.IPV4_NO_ROUTE);
            return;
        }
        byte[] frame = new byte[EthernetFrame.HEADER_LEN + ip.bufferLen()];
        ByteBuffer ipBytes = ByteBuffer.wrap(frame, EthernetFrame.HEADER_LEN, ip.bufferLen());
        Ipv4Packet packet = Ipv4Packet.forWriting(ipBytes);
        ip.emit(packet);
        body.accept(packet.payloadForWriting());

        if (nextHop.equals(Ipv4Address.BROADCAST) || nextHop.equals(config.address().broadcast())) {
            transmitIpv4Frame(device, MacAddress.BROADCAST, frame);
            return;
        }
        Optional<MacAddress> mac = arpCache.lookup(nextHop, now);
        if (mac.isPresent()) {
            transmitIpv4Frame(device, mac.get(), frame);
        } else if (!arpPending.enqueue(nextHop, frame)) {
            stats.dropped(DropReason.ARP_QUEUE_FULL);
        } else {
            runArpTimers(now, device); // asks at once for a new hop; the 1 s pacing holds back the others

        }
    }

    private void runArpTimers(Instant now, Device device) {
        int unresolved = arpPending.tick(now, hop -> sendArpRequest(device, hop));
        for (int i = 0; i < unresolved; i++) {
            stats.dropped(DropReason.ARP_UNRESOLVED);
        }
    }

    private void transmitIpv4Frame(Device device, MacAddress destination, byte[] frame) {
        new EthernetRepr(config.mac(), destination, EtherType.IPV4).emit(EthernetFrame.forWriting(ByteBuffer.wrap(frame)));
        device.transmit(ByteBuffer.wrap(frame));
        stats.frameSent();
    }

    private void sendArpRequest(Device device, Ipv4Address target) {
        ArpRepr request = new ArpRepr(ArpRepr.Operation.REQUEST, config.mac(), config.address().address(),
                MacAddress.ZERO, target);
        sendArp(device, MacAddress.BROADCAST, request);
    }

    private void sendArp(Device device, MacAddress destination, ArpRepr arp) {
        byte[] frame = new byte[EthernetFrame.HEADER_LEN + arp.bufferLen()];
        EthernetFrame eth = EthernetFrame.forWriting(ByteBuffer.wrap(frame));
        new EthernetRepr(config.mac(), destination, EtherType.ARP).emit(eth);
        arp.emit(ArpPacket.forWriting(eth.payload()));
        device.transmit(ByteBuffer.wrap(frame));
        stats.frameSent();
    }
}
