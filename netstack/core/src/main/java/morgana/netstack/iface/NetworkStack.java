package morgana.netstack.iface;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import morgana.netstack.dhcp.DhcpClient;
import morgana.netstack.dhcp.DhcpLease;
import morgana.netstack.phy.Device;
import morgana.netstack.phy.DeviceCapabilities;
import morgana.netstack.phy.TcpSegmentation;
import morgana.netstack.tcp.Elapsed;
import morgana.netstack.tcp.TcpConfig;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpLayer;
import morgana.netstack.tcp.TcpListener;
import morgana.netstack.udp.UdpLayer;
import morgana.netstack.udp.UdpSocket;
import morgana.netstack.wire.ArpPacket;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.DhcpPacket;
import morgana.netstack.wire.DhcpRepr;
import morgana.netstack.wire.EtherType;
import morgana.netstack.wire.EthernetFrame;
import morgana.netstack.wire.EthernetRepr;
import morgana.netstack.wire.Icmpv4Packet;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.IpProtocol;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.Ipv4Fragment;
import morgana.netstack.wire.Ipv4Packet;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import morgana.netstack.wire.UdpPacket;
import morgana.netstack.wire.UdpRepr;
import morgana.netstack.wire.WireError;
import morgana.netstack.wire.WireFormatException;

/**
 * The whole stack for one interface: Ethernet, ARP, IPv4 (with reassembly and fragmentation), ICMP, UDP, TCP,
 * and a DHCP client when the configuration asks for one. It owns no thread, no clock and no I/O: the caller
 * hands it a device and the time, and asks when it next needs attention.
 *
 * <p>Started with {@link StackConfig#dhcp}, the stack has no address until DHCP leases one: meanwhile it
 * answers no ARP and no ping, and accepts only DHCP's own replies.
 *
 * <p>Not thread-safe: construct it, poll it and use its sockets from one thread (the event loop).
 */
public final class NetworkStack {

    /** How many packets may wait for ARP resolution, over all next hops. */
    static final int ARP_QUEUE_CAPACITY = 64;

    private final StackConfig initial;
    private final StackStats stats = new StackStats();
    private final ArpCache arpCache = new ArpCache();
    private final ArpPendingQueue arpPending = new ArpPendingQueue(ARP_QUEUE_CAPACITY);
    private final Ipv4Reassembler reassembler = new Ipv4Reassembler(stats);
    private final RateLimiter icmpErrors = RateLimiter.defaults();
    private final TcpLayer tcp;
    private final UdpLayer udp = new UdpLayer(stats);
    private final DhcpClient dhcp;
    /** Null while the stack has no address (DHCP not yet bound). */
    private Ipv4Cidr address;
    private Optional<Ipv4Address> gateway;
    private boolean announceDue;
    private int nextIdentification;
    private boolean frameWasBroadcast;
    /** Where every IPv4 frame is made before it is sent: Ethernet's header and the largest IPv4 packet. */
    private final byte[] txFrame = new byte[EthernetFrame.HEADER_LEN + DeviceCapabilities.MAX_IPV4_PACKET];
    /** Whether the device vouched for the transport checksum of the frame in hand ({@link Device#receiveVouched}). */
    private boolean frameChecksumVouched;
    /** {@link #txFrame}, wrapped once, and a second buffer over it for the packet bodies. */
    private final ByteBuffer txBuffer = ByteBuffer.wrap(txFrame);
    private final ByteBuffer txPayload = ByteBuffer.wrap(txFrame);
    private final Ipv4Packet txPacket = Ipv4Packet.unbound();
    /** The views of a received frame, bound to one frame after another, and the segment parsed from it. */
    private final EthernetFrame rxFrame = EthernetFrame.unbound();
    private final Ipv4Packet rxPacket = Ipv4Packet.unbound();
    private final TcpPacket rxTcp = TcpPacket.unbound();
    private final TcpRepr.Reusable rxSegment = new TcpRepr.Reusable();
    private ByteBuffer rxBuffer;
    private Instant lastNow = Instant.EPOCH;
    /** The device of the poll in hand, for the senders below, which are made once rather than per poll. */
    private Device pollDevice;
    private final TcpSink tcpSink = new TcpSink();
    private final TcpBody tcpBody = new TcpBody();
    private final PacketQuote packetQuote = new PacketQuote();
    private final UdpLayer.DatagramSink udpSink = (dst, datagram) -> sendUdp(lastNow, pollDevice, dst, datagram);
    private final Consumer<Ipv4Reassembler.Expired> onReassemblyExpired = this::reassemblyExpired;
    private final DhcpClient.Sink dhcpSink = (src, dst, message) -> sendDhcp(lastNow, pollDevice, src, dst, message);
    private RuntimeException lastInternalError;

    public NetworkStack(StackConfig config) {
        this(config, TcpConfig.defaults());
    }

    /**
     * With {@link StackConfig#dhcp}, the DHCP client's transaction ids derive from the MAC and the TCP ISN
     * secret (give each boot a random one, as for TCP).
     */
    public NetworkStack(StackConfig config, TcpConfig tcpConfig) {
        this.initial = config;
        this.tcp = new TcpLayer(tcpConfig, config.address().address(), config.mtu() - 40, stats);
        if (config.usesDhcp()) {
            this.address = null;
            this.gateway = Optional.empty();
            this.dhcp = new DhcpClient(config.mac(), tcpConfig.isnSecret(), new DhcpClient.Listener() {
                @Override
                public void bound(DhcpLease lease) {
                    configure(lease.address(), lease.router());
                }

                @Override
                public void unbound() {
                    unconfigure();
                }
            });
        } else {
            this.address = config.address();
            this.gateway = config.gateway();
            this.dhcp = null;
            this.announceDue = false; // announced only when the address changes at run time
        }
        this.nextIdentification = (int) (tcpConfig.isnSecret() >>> 16) & 0xFFFF;
    }

    /** The configuration in force: the static one, or the one DHCP leased ({@link StackConfig#dhcp}'s until then). */
    public StackConfig config() {
        return address == null ? initial : new StackConfig(initial.mac(), address, gateway, initial.mtu());
    }

    /** The interface's address, empty while DHCP has none. */
    public Optional<Ipv4Cidr> address() {
        return Optional.ofNullable(address);
    }

    /** The DHCP client, when the stack was started with {@link StackConfig#dhcp}. */
    public Optional<DhcpClient> dhcp() {
        return Optional.ofNullable(dhcp);
    }

    /**
     * Changes the interface's address (and gateway) at run time and announces it with a gratuitous ARP at the
     * next poll. Connections from the old address are not moved.
     *
     * @throws IllegalStateException when DHCP manages the address
     */
    public void setAddress(Ipv4Cidr newAddress, Optional<Ipv4Address> newGateway) {
        if (dhcp != null) {
            throw new IllegalStateException("DHCP manages this stack's address; start it with a static StackConfig instead");
        }
        configure(newAddress, newGateway);
    }

    /**
     * Sends a gratuitous ARP for the current address at the next poll (RFC 5227 §2.3), e.g. once at boot so
     * that neighbours which cached another machine's MAC for this address learn ours. Address changes announce
     * themselves; a stack without an address announces nothing.
     */
    public void announce() {
        announceDue = true;
    }

    private void configure(Ipv4Cidr newAddress, Optional<Ipv4Address> newGateway) {
        if (newGateway.isPresent() && !newAddress.contains(newGateway.get())) {
            throw new IllegalArgumentException("gateway " + newGateway.get() + " is not on " + newAddress);
        }
        boolean changed = address == null || !address.address().equals(newAddress.address());
        address = newAddress;
        gateway = newGateway;
        tcp.setLocalAddress(newAddress.address());
        if (changed) {
            announceDue = true;
        }
    }

    private void unconfigure() {
        address = null;
        gateway = Optional.empty();
        tcp.setLocalAddress(Ipv4Address.ANY);
        announceDue = false;
    }

    /**
     * Receives every frame the device has waiting, runs the timers due at {@code now}, and transmits what
     * the sockets and protocols have to send. Never throws on malformed input: such frames are counted drops.
     */
    public void poll(Instant now, Device device) {
        lastNow = now;
        DeviceCapabilities capabilities = device.capabilities();
        int offload = capabilities.segmentationOffload();
        boolean partialChecksums = capabilities.checksumOffload();
        // A device that cuts our segments may also hand over the peer's merged into one (GRO): room for 64 KiB.
        int capacity = Math.max(Math.max(initial.mtu(), device.mtu()), offload) + 18;
        if (rxBuffer == null || rxBuffer.capacity() < capacity) {
            rxBuffer = ByteBuffer.allocate(capacity);
        }
        pollDevice = device;
        tcpSink.offload = offload;
        tcpSink.partialChecksums = partialChecksums;
        while (true) {
            rxBuffer.clear();
            Device.Reception reception = device.receiveVouched(rxBuffer);
            if (reception == Device.Reception.NONE) {
                break;
            }
            frameChecksumVouched = reception == Device.Reception.CHECKSUM_VOUCHED;
            stats.frameReceived();
            receiveFrame(now, device, rxBuffer);
        }
        reassembler.expire(now, onReassemblyExpired);
        if (dhcp != null) {
            dhcp.poll(now, dhcpSink);
        }
        if (announceDue && address != null) {
            announceDue = false;
            sendGratuitousArp(device);
        }
        runArpTimers(now, device);
        tcp.dispatch(now, tcpSink);
        udp.dispatch(udpSink);
    }

    private void reassemblyExpired(Ipv4Reassembler.Expired expired) {
        if (address != null && expired.key().destination().equals(address.address())) {
            expired.firstFragmentQuote().ifPresent(quote -> sendIcmpError(lastNow, pollDevice, expired.key().source(),
                    new Icmpv4Repr.TimeExceeded(Icmpv4Repr.CODE_REASSEMBLY_TIME_EXCEEDED, quote)));
        }
    }

    /** Where the TCP layer's segments go during a poll: the poll's device, with its offloads. */
    private final class TcpSink implements TcpLayer.SegmentSink {
        int offload;
        boolean partialChecksums;

        @Override
        public void send(Ipv4Address src, Ipv4Address dst, TcpRepr segment) {
            sendTcp(lastNow, pollDevice, src, dst, segment, 0, partialChecksums);
        }

        @Override
        public int segmentationLimit() {
            return offload;
        }

        @Override
        public void sendSegmented(Ipv4Address src, Ipv4Address dst, TcpRepr segment, int segmentSize) {
            sendTcp(lastNow, pollDevice, src, dst, segment, segmentSize, partialChecksums);
        }
    }

    /** Writes the segment in hand into the IPv4 body {@link #sendIpv4} gives it: one object for every segment. */
    private static final class TcpBody implements Consumer<ByteBuffer> {
        final TcpPacket view = TcpPacket.unbound();
        TcpRepr segment;
        Ipv4Address source;
        Ipv4Address destination;
        boolean partialChecksum;

        @Override
        public void accept(ByteBuffer body) {
            segment.emit(view.rebindForWriting(body), source, destination, partialChecksum);
        }
    }

    /** The ICMP quote of the received packet in hand (its header and first bytes), made only if an error needs it. */
    private static final class PacketQuote implements Supplier<byte[]> {
        Ipv4Packet packet;

        @Override
        public byte[] get() {
            return Icmpv4Repr.quote(packet.bytes());
        }
    }

    /** When the stack next needs a poll even if no frame arrives; empty when only a frame can wake it. */
    public Optional<Instant> pollAt(Instant now) {
        return Elapsed.deadline(now, nanosUntilPoll(now));
    }

    /**
     * As {@link #pollAt}, in nanoseconds from {@code now}: 0 when a poll is due, {@link Elapsed#NEVER} when only
     * a frame can wake the stack. What an event loop asks before every sleep; it makes nothing on the way.
     */
    public long nanosUntilPoll(Instant now) {
        if ((announceDue && address != null) || udp.hasPendingSends()) {
            return 0;
        }
        long earliest = tcp.nanosUntilDue(now);
        earliest = Math.min(earliest, nanosUntil(now, arpPending.nextDeadline()));
        earliest = Math.min(earliest, nanosUntil(now, reassembler.nextDeadline()));
        if (dhcp != null) {
            earliest = Math.min(earliest, nanosUntil(now, dhcp.pollAt()));
        }
        return Math.max(0, earliest);
    }

    /** Nanoseconds to a deadline (a far one short of {@link Elapsed#NEVER}, which means none). */
    private static long nanosUntil(Instant now, Optional<Instant> deadline) {
        return deadline.isEmpty() ? Elapsed.NEVER : Math.min(Elapsed.nanos(now, deadline.get()), Elapsed.NEVER - 1);
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

    /** Binds a UDP socket to {@code port}, queuing {@value UdpLayer#DEFAULT_QUEUE_CAPACITY} datagrams each way. */
    public UdpSocket bindUdp(int port) {
        return bindUdp(port, UdpLayer.DEFAULT_QUEUE_CAPACITY);
    }

    /**
     * Binds a UDP socket to {@code port} with queues of {@code queueCapacity} datagrams each way.
     *
     * @throws IllegalStateException when the port is bound already, or is DHCP's client port on a DHCP stack
     */
    public UdpSocket bindUdp(int port, int queueCapacity) {
        if (dhcp != null && port == DhcpRepr.CLIENT_PORT) {
            throw new IllegalStateException("UDP port 68 belongs to this stack's DHCP client");
        }
        return udp.bind(port, queueCapacity);
    }

    /** Counters: frames in and out, per layer, and drops by reason. */
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

    /** IPv4 datagrams waiting for more fragments. */
    public int reassembliesInProgress() {
        return reassembler.inProgress();
    }

    /** TCP connections the stack tracks, in any state (half-open and TIME_WAIT included), for inspection. */
    public int tcpConnectionCount() {
        return tcp.connectionCount();
    }

    // ---- receive path ----

    private void receiveFrame(Instant now, Device device, ByteBuffer bytes) {
        try {
            EthernetFrame frame = rxFrame.rebind(bytes);
            // The addresses as numbers: a frame's MAC addresses are compared, not kept (no objects per frame).
            long destination = frame.destinationBits();
            boolean broadcast = destination == MacAddress.BROADCAST.bits();
            if (destination != initial.mac().bits() && !broadcast) {
                stats.dropped(DropReason.ETHERNET_NOT_FOR_US);
                return;
            }
            frameWasBroadcast = broadcast;
            switch (EtherType.of(frame.etherType())) {
                case ARP -> receiveArp(now, device, ArpRepr.parse(ArpPacket.newChecked(frame.payload())));
                case IPV4 -> receiveIpv4(now, device, frame.sourceBits(), rxPacket.rebind(frame));
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
        boolean forUs = address != null && arp.targetIp().equals(address.address());
        if (arp.senderIp().equals(Ipv4Address.ANY) || arp.senderMac().isMulticast()) {
            // an ARP probe (RFC 5227 §2.1.1) or a bogus sender: nothing to learn
        } else if (forUs || arpCache.has(arp.senderIp())) {
            arpCache.learn(arp.senderIp(), arp.senderMac(), now);
            for (ArpPendingQueue.Waiting w : arpPending.release(arp.senderIp())) {
                transmitIpv4Frame(device, arp.senderMac(), ByteBuffer.wrap(w.frame()));
            }
        }
        if (!forUs) {
            stats.dropped(DropReason.ARP_NOT_FOR_US);
            return;
        }
        if (arp.operation() == ArpRepr.Operation.REQUEST) {
            ArpRepr reply = new ArpRepr(ArpRepr.Operation.REPLY, initial.mac(), address.address(), arp.senderMac(),
                    arp.senderIp());
            sendArp(device, arp.senderMac(), reply);
        }
    }

    private boolean isBroadcast(Ipv4Address destination) {
        return isBroadcast(destination.bits());
    }

    private boolean isBroadcast(int destination) {
        return destination == Ipv4Address.BROADCAST.bits()
                || (address != null && address.prefixLength() < 31 && destination == address.broadcastBits());
    }

    private void receiveIpv4(Instant now, Device device, long from, Ipv4Packet packet) throws WireFormatException {
        if (Ipv4Fragment.isFragment(packet)) {
            receiveFragment(now, device, packet);
            return;
        }
        if (!packet.verifyChecksum()) {
            throw new WireFormatException(WireError.IPV4_BAD_CHECKSUM);
        }
        // The addresses as numbers, so that a segment of a connection makes no object on its way in.
        int source = packet.sourceBits();
        int destination = packet.destinationBits();
        if (address != null && address.contains(source)) {
            arpCache.confirm(source, from, now);
        }
        if (gateway.isPresent()) {
            arpCache.confirm(gateway.get(), from, now);
        }
        boolean broadcast = isBroadcast(destination);
        boolean ours = address != null && destination == address.address().bits();
        // Unconfigured, a DHCP server may unicast its reply to the address it offers (RFC 2131 §4.1).
        boolean dhcpCandidate = address == null && dhcp != null && packet.protocol() == IpProtocol.UDP.value();
        if (!ours && !broadcast && !dhcpCandidate) {
            stats.dropped(DropReason.IPV4_NOT_FOR_US);
            return;
        }
        if (packet.protocol() == IpProtocol.TCP.value() && !broadcast) {
            TcpRepr segment = rxSegment.parse(rxTcp.rebind(packet), source, destination, frameChecksumVouched);
            stats.tcpSegmentReceived();
            tcp.process(now, source, destination, segment);
            return;
        }
        Ipv4Repr ip = Ipv4Repr.parse(packet);
        packetQuote.packet = packet;
        try {
            deliver(now, device, ip, broadcast, frameChecksumVouched, packet.payload(), packetQuote);
        } finally {
            packetQuote.packet = null;
        }
    }

    /** RFC 791 §3.2: a fragment for us waits in the reassembler until its datagram is whole. */
    private void receiveFragment(Instant now, Device device, Ipv4Packet packet) throws WireFormatException {
        Ipv4Fragment fragment = Ipv4Fragment.parse(packet);
        stats.ipv4FragmentReceived();
        boolean broadcast = isBroadcast(fragment.destination());
        if (address == null || (!fragment.destination().equals(address.address()) && !broadcast)) {
            stats.dropped(DropReason.IPV4_NOT_FOR_US);
            return;
        }
        Optional<Ipv4Reassembler.Datagram> whole = reassembler.add(now, fragment, packet.payload(), packet.bytes());
        if (whole.isEmpty()) {
            return;
        }
        stats.ipv4DatagramReassembled();
        Ipv4Fragment first = whole.get().first();
        byte[] payload = whole.get().payload();
        Ipv4Repr ip = new Ipv4Repr(first.source(), first.destination(), first.protocol(), payload.length, first.ttl());
        deliver(now, device, ip, broadcast, false, ByteBuffer.wrap(payload), () -> {
            ByteBuffer quoted = ByteBuffer.allocate(Math.min(ip.bufferLen(), Icmpv4Repr.MAX_QUOTE));
            byte[] header = new byte[Ipv4Packet.MIN_HEADER_LEN];
            ip.emit(Ipv4Packet.forWriting(ByteBuffer.wrap(header)));
            quoted.put(header).put(payload, 0, quoted.remaining());
            return quoted.array();
        });
    }

    /** {@code vouched}: the TCP or UDP checksum needs no check ({@link Device.Reception#CHECKSUM_VOUCHED}). */
    private void deliver(Instant now, Device device, Ipv4Repr ip, boolean broadcast, boolean vouched,
                         ByteBuffer payload, Supplier<byte[]> quote) throws WireFormatException {
        switch (ip.ipProtocol()) {
            case ICMP -> receiveIcmp(now, device, ip, broadcast, payload);
            case TCP -> {
                if (broadcast) {
                    stats.dropped(DropReason.TCP_BROADCAST);
                    return;
                }
                TcpRepr segment = TcpRepr.parse(TcpPacket.newChecked(payload), ip.source(), ip.destination(), vouched);
                stats.tcpSegmentReceived();
                tcp.process(now, ip.source(), ip.destination(), segment);
            }
            case UDP -> receiveUdp(now, device, ip, broadcast, vouched, payload, quote);
            case UNKNOWN -> {
                stats.dropped(DropReason.IPV4_UNKNOWN_PROTOCOL);
                if (!broadcast) { // RFC 1122 §3.2.2.1: a host SHOULD say protocol unreachable
                    sendIcmpError(now, device, ip.source(),
                            new Icmpv4Repr.DestinationUnreachable(Icmpv4Repr.CODE_PROTOCOL_UNREACHABLE, 0, quote.get()));
                }
            }
        }
    }

    private void receiveUdp(Instant now, Device device, Ipv4Repr ip, boolean broadcast, boolean vouched,
                            ByteBuffer payload, Supplier<byte[]> quote) throws WireFormatException {
        UdpRepr datagram = UdpRepr.parse(UdpPacket.newChecked(payload), ip.source(), ip.destination(), vouched);
        stats.udpDatagramReceived();
        if (dhcp != null && datagram.destinationPort() == DhcpRepr.CLIENT_PORT) {
            DhcpRepr message = DhcpRepr.parse(DhcpPacket.newChecked(ByteBuffer.wrap(datagram.payload())));
            if (!dhcp.process(now, message)) {
                stats.dropped(DropReason.DHCP_IGNORED);
            }
            return;
        }
        if (address == null) {
            stats.dropped(DropReason.IPV4_NOT_FOR_US);
            return;
        }
        if (!udp.process(ip.source(), ip.destination(), datagram)) {
            stats.dropped(DropReason.UDP_NO_SOCKET);
            if (!broadcast) { // RFC 1122 §4.1.3.1: port unreachable, never for broadcasts
                sendIcmpError(now, device, ip.source(), Icmpv4Repr.DestinationUnreachable.portUnreachable(quote.get()));
            }
        }
    }

    /** RFC 792: an echo reply carries the request's identifier, sequence number and data. */
    private void receiveIcmp(Instant now, Device device, Ipv4Repr ip, boolean broadcast, ByteBuffer payload)
            throws WireFormatException {
        if (address == null) {
            stats.dropped(DropReason.IPV4_NOT_FOR_US);
            return;
        }
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
            // Soft errors for TCP (RFC 5927 §4.1 advises not to abort on them); counted for the operator.
            case Icmpv4Repr.DestinationUnreachable error -> {
                stats.icmpErrorReceived();
                tellTcp(error);
            }
            case Icmpv4Repr.TimeExceeded error -> stats.icmpErrorReceived();
        }
    }

    /**
     * Hands an unreachable that quotes one of our TCP segments (its IPv4 header, then at least the ports and
     * sequence number: RFC 792's 8 bytes) to the TCP layer.
     */
    private void tellTcp(Icmpv4Repr.DestinationUnreachable error) {
        ByteBuffer quote = ByteBuffer.wrap(error.data());
        int headerLength = (quote.get(0) & 0x0F) * 4;
        if (headerLength < Ipv4Packet.MIN_HEADER_LEN || quote.remaining() < headerLength + 8
                || (quote.get(9) & 0xFF) != IpProtocol.TCP.value()) {
            return;
        }
        Ipv4Address source = new Ipv4Address(quote.getInt(12));
        Ipv4Address destination = new Ipv4Address(quote.getInt(16));
        if (address == null || !source.equals(address.address())) {
            return;
        }
        int localPort = quote.getShort(headerLength) & 0xFFFF;
        int remotePort = quote.getShort(headerLength + 2) & 0xFFFF;
        int seq = quote.getInt(headerLength + 4);
        boolean hard = error.code() == Icmpv4Repr.CODE_PROTOCOL_UNREACHABLE
                || error.code() == Icmpv4Repr.CODE_PORT_UNREACHABLE;
        tcp.icmpError(source, localPort, destination, remotePort, seq, hard);
    }

    // ---- transmit path ----

    /**
     * Sends an ICMP error about a datagram from {@code offender}, within the rate limit, and never to an
     * address that is not one host's (RFC 1122 §3.2.2: not for link broadcasts, not to 0.0.0.0, broadcast,
     * multicast or loopback sources).
     */
    private void sendIcmpError(Instant now, Device device, Ipv4Address offender, Icmpv4Repr error) {
        int first = offender.bits() >>> 24;
        if (address == null || frameWasBroadcast || offender.equals(Ipv4Address.ANY) || isBroadcast(offender)
                || first >= 224 || first == 127) {
            return;
        }
        if (!icmpErrors.tryAcquire(now)) {
            stats.dropped(DropReason.ICMP_RATE_LIMITED);
            return;
        }
        Ipv4Repr ip = Ipv4Repr.of(address.address(), offender, IpProtocol.ICMP, error.bufferLen());
        sendIpv4(now, device, ip, body -> error.emit(Icmpv4Packet.forWriting(body)));
        stats.icmpErrorSent();
    }

    /**
     * A segment; one larger than the MTU with a {@code segmentSize} goes whole, for the device to cut (TSO).
     * With {@code partialChecksum} the device completes the checksum of a segment that is not fragmented.
     */
    private void sendTcp(Instant now, Device device, Ipv4Address src, Ipv4Address dst, TcpRepr segment, int segmentSize,
                         boolean partialChecksum) {
        if (address == null) {
            stats.dropped(DropReason.IPV4_NO_ROUTE);
            return;
        }
        int packetLength = Ipv4Packet.MIN_HEADER_LEN + segment.bufferLen();
        tcpBody.segment = segment;
        tcpBody.source = src;
        tcpBody.destination = dst;
        tcpBody.partialChecksum = partialChecksum && (segmentSize > 0 || packetLength <= initial.mtu());
        try {
            sendIpv4(now, device, src, dst, IpProtocol.TCP.value(), segment.bufferLen(), tcpBody, segmentSize);
        } finally {
            tcpBody.segment = null; // its payload is a view of a send buffer, valid only now
        }
        stats.tcpSegmentSent();
    }

    private void sendUdp(Instant now, Device device, Ipv4Address dst, UdpRepr datagram) {
        if (address == null) {
            stats.dropped(DropReason.IPV4_NO_ROUTE);
            return;
        }
        Ipv4Address src = address.address();
        Ipv4Repr ip = Ipv4Repr.of(src, dst, IpProtocol.UDP, datagram.bufferLen());
        sendIpv4(now, device, ip, body -> datagram.emit(UdpPacket.forWriting(body), src, dst));
        stats.udpDatagramSent();
    }

    private void sendDhcp(Instant now, Device device, Ipv4Address src, Ipv4Address dst, DhcpRepr message) {
        byte[] body = new byte[message.bufferLen()];
        message.emit(DhcpPacket.forWriting(ByteBuffer.wrap(body)));
        UdpRepr datagram = new UdpRepr(DhcpRepr.CLIENT_PORT, DhcpRepr.SERVER_PORT, body);
        Ipv4Repr ip = Ipv4Repr.of(src, dst, IpProtocol.UDP, datagram.bufferLen());
        sendIpv4(now, device, ip, b -> datagram.emit(UdpPacket.forWriting(b), src, dst));
        stats.udpDatagramSent();
    }

    /**
     * Routes a packet (on-link: straight to the destination; otherwise via the gateway), fragments it when it
     * is larger than the MTU (RFC 791 §3.2), resolves the next hop's hardware address, and transmits, or queues
     * while an ARP request is outstanding.
     */
    private void sendIpv4(Instant now, Device device, Ipv4Repr ip, Consumer<ByteBuffer> body) {
        sendIpv4(now, device, ip.source(), ip.destination(), ip.protocol(), ip.payloadLength(), body, 0);
    }

    /**
     * As above, the header's fields given one by one (the TCP path makes no {@link Ipv4Repr} per segment);
     * with a {@code segmentSize}, a TCP packet larger than the MTU goes whole to the device (TSO).
     */
    private void sendIpv4(Instant now, Device device, Ipv4Address source, Ipv4Address destination, int protocol,
                          int payloadLength, Consumer<ByteBuffer> body, int segmentSize) {
        Ipv4Address nextHop;
        if (destination.equals(Ipv4Address.BROADCAST) || (address != null && address.contains(destination))) {
            nextHop = destination;
        } else if (gateway.isPresent()) {
            nextHop = gateway.get();
        } else {
            stats.dropped(DropReason.IPV4_NO_ROUTE);
            return;
        }
        int packetLength = Ipv4Packet.MIN_HEADER_LEN + payloadLength;
        boolean segmented = packetLength > initial.mtu() && segmentSize > 0;
        if (packetLength <= initial.mtu() || segmented) {
            // One frame buffer for everything sent, with views made once: a device copies what it keeps, and so
            // does the ARP queue.
            int payloadAt = EthernetFrame.HEADER_LEN + Ipv4Packet.MIN_HEADER_LEN;
            Ipv4Repr.emit(txPacket.rebindForWriting(txBuffer, EthernetFrame.HEADER_LEN, packetLength), source,
                    destination, protocol, payloadLength, Ipv4Repr.DEFAULT_TTL);
            body.accept(txPayload.clear().limit(payloadAt + payloadLength).position(payloadAt));
            sendFrameTo(now, device, nextHop, txBuffer.clear().limit(EthernetFrame.HEADER_LEN + packetLength),
                    segmented ? segmentSize : 0);
            return;
        }
        Ipv4Repr ip = new Ipv4Repr(source, destination, protocol, payloadLength, Ipv4Repr.DEFAULT_TTL);
        byte[] payload = new byte[ip.payloadLength()];
        body.accept(ByteBuffer.wrap(payload));
        int chunk = (initial.mtu() - Ipv4Packet.MIN_HEADER_LEN) & ~7;
        int identification = nextIdentification++ & 0xFFFF;
        for (int offset = 0; offset < payload.length; offset += chunk) {
            int length = Math.min(chunk, payload.length - offset);
            Ipv4Fragment fragment = new Ipv4Fragment(ip.source(), ip.destination(), ip.protocol(), identification,
                    offset, offset + length < payload.length, length, ip.ttl());
            ByteBuffer frame = ByteBuffer.wrap(txFrame, 0, EthernetFrame.HEADER_LEN + fragment.bufferLen());
            Ipv4Packet packet = Ipv4Packet.forWriting(frame.slice(EthernetFrame.HEADER_LEN, fragment.bufferLen()));
            fragment.emit(packet);
            packet.payloadForWriting().put(payload, offset, length);
            sendFrameTo(now, device, nextHop, frame);
            stats.ipv4FragmentSent();
        }
    }

    private void sendFrameTo(Instant now, Device device, Ipv4Address nextHop, ByteBuffer frame) {
        sendFrameTo(now, device, nextHop, frame, 0);
    }

    /**
     * Sends the frame from position 0 to its limit (room for the Ethernet header first). With a
     * {@code segmentSize}, the frame is a TCP segment for the device to cut; queued, it is cut here.
     */
    private void sendFrameTo(Instant now, Device device, Ipv4Address nextHop, ByteBuffer frame, int segmentSize) {
        if (nextHop.equals(Ipv4Address.BROADCAST) || isBroadcast(nextHop)) {
            transmitIpv4Frame(device, MacAddress.BROADCAST, frame, segmentSize);
            return;
        }
        MacAddress mac = arpCache.find(nextHop, now);
        if (mac != null) {
            transmitIpv4Frame(device, mac, frame, segmentSize);
            return;
        }
        List<byte[]> queued = segmentSize == 0 ? List.of(Arrays.copyOf(frame.array(), frame.limit()))
                : TcpSegmentation.split(frame, segmentSize).stream().map(ByteBuffer::array).toList();
        boolean all = true;
        for (byte[] piece : queued) {
            all &= arpPending.enqueue(nextHop, piece);
        }
        if (!all) {
            stats.dropped(DropReason.ARP_QUEUE_FULL);
        } else {
            runArpTimers(now, device); // asks at once for a new hop; the 1 s pacing holds back the others
        }
    }

    private void runArpTimers(Instant now, Device device) {
        if (arpPending.size() == 0) {
            return; // nothing waits for an address: no request callback to make
        }
        int unresolved = arpPending.tick(now, hop -> sendArpRequest(device, hop));
        for (int i = 0; i < unresolved; i++) {
            stats.dropped(DropReason.ARP_UNRESOLVED);
        }
    }

    private void transmitIpv4Frame(Device device, MacAddress destination, ByteBuffer frame) {
        transmitIpv4Frame(device, destination, frame, 0);
    }

    private void transmitIpv4Frame(Device device, MacAddress destination, ByteBuffer frame, int segmentSize) {
        EthernetFrame.writeHeader(frame, destination, initial.mac(), EtherType.IPV4.value());
        if (segmentSize > 0) {
            device.transmitSegmented(frame, segmentSize);
        } else {
            device.transmit(frame);
        }
        stats.frameSent();
    }

    private void sendArpRequest(Device device, Ipv4Address target) {
        Ipv4Address ours = address == null ? Ipv4Address.ANY : address.address();
        ArpRepr request = new ArpRepr(ArpRepr.Operation.REQUEST, initial.mac(), ours, MacAddress.ZERO, target);
        sendArp(device, MacAddress.BROADCAST, request);
        stats.arpRequestSent();
    }

    /**
     * An ARP announcement (RFC 5227 §2.3): a broadcast request with our address as both sender and target, so
     * neighbours that cached an older binding for it update theirs.
     */
    private void sendGratuitousArp(Device device) {
        Ipv4Address ours = address.address();
        sendArp(device, MacAddress.BROADCAST,
                new ArpRepr(ArpRepr.Operation.REQUEST, initial.mac(), ours, MacAddress.ZERO, ours));
        stats.gratuitousArpSent();
    }

    private void sendArp(Device device, MacAddress destination, ArpRepr arp) {
        byte[] frame = new byte[EthernetFrame.HEADER_LEN + arp.bufferLen()];
        EthernetFrame eth = EthernetFrame.forWriting(ByteBuffer.wrap(frame));
        new EthernetRepr(initial.mac(), destination, EtherType.ARP).emit(eth);
        arp.emit(ArpPacket.forWriting(eth.payload()));
        device.transmit(ByteBuffer.wrap(frame));
        stats.frameSent();
    }
}
