package morgana.netstack.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.EtherType;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.IpProtocol;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;

class NetworkStackArpIcmpTest {

    static final MacAddress STACK_MAC = MacAddress.parse("52:54:00:00:00:02");
    static final Ipv4Address STACK_IP = Ipv4Address.parse("10.0.0.2");
    static final MacAddress PEER_MAC = MacAddress.parse("52:54:00:00:00:01");
    static final Ipv4Address PEER_IP = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address FAR_IP = Ipv4Address.parse("192.0.2.7");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final LinkPair link = new LinkPair();
    final NetworkStack stack = new NetworkStack(StackConfig.of(STACK_MAC, new Ipv4Cidr(STACK_IP, 24), PEER_IP));

    /** The peer is link end a; the stack polls end b. */
    byte[] exchange(Instant now, byte[] frame) {
        link.b().inject(frame);
        stack.poll(now, link.b());
        return link.a().takeReceived();
    }

    byte[] arpRequestFromPeer(Ipv4Address target) {
        return TestFrames.arp(PEER_MAC, MacAddress.BROADCAST,
                new ArpRepr(ArpRepr.Operation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, target));
    }

    byte[] echoRequestFromPeer(Ipv4Address destination) {
        return TestFrames.icmp(PEER_MAC, STACK_MAC, PEER_IP, destination,
                new Icmpv4Repr.EchoRequest(0x1234, 7, "ping".getBytes()));
    }

    @Test
    void answersArpRequestForItsAddressAndLearnsTheSender() throws Exception {
        byte[] reply = exchange(T0, arpRequestFromPeer(STACK_IP));

        assertThat(TestFrames.ethernetOf(reply).destination()).isEqualTo(PEER_MAC);
        assertThat(TestFrames.arpOf(reply)).isEqualTo(
                new ArpRepr(ArpRepr.Operation.REPLY, STACK_MAC, STACK_IP, PEER_MAC, PEER_IP));
        assertThat(stack.arpCache().lookup(PEER_IP, T0)).contains(PEER_MAC);
        assertThat(stack.stats().framesReceived()).isEqualTo(1);
        assertThat(stack.stats().framesSent()).isEqualTo(1);
    }

    @Test
    void ignoresArpRequestForAnotherAddress() {
        byte[] reply = exchange(T0, arpRequestFromPeer(Ipv4Address.parse("10.0.0.99")));

        assertThat(reply).isNull();
        assertThat(stack.stats().drops(DropReason.ARP_NOT_FOR_US)).isEqualTo(1);
        assertThat(stack.arpCache().has(PEER_IP)).isFalse();
    }

    @Test
    void answersEchoRequestOnceTheRequesterIsResolved() throws Exception {
        byte[] arpRequest = exchange(T0, echoRequestFromPeer(STACK_IP));
        assertThat(TestFrames.arpOf(arpRequest)).isEqualTo(
                new ArpRepr(ArpRepr.Operation.REQUEST, STACK_MAC, STACK_IP, MacAddress.ZERO, PEER_IP));
        assertThat(TestFrames.ethernetOf(arpRequest).destination()).isEqualTo(MacAddress.BROADCAST);

        byte[] echoReply = exchange(T0, TestFrames.arp(PEER_MAC, STACK_MAC,
                new ArpRepr(ArpRepr.Operation.REPLY, PEER_MAC, PEER_IP, STACK_MAC, STACK_IP)));

        assertThat(TestFrames.ethernetOf(echoReply).destination()).isEqualTo(PEER_MAC);
        Ipv4Repr ip = TestFrames.ipv4Of(echoReply);
        assertThat(ip.source()).isEqualTo(STACK_IP);
        assertThat(ip.destination()).isEqualTo(PEER_IP);
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(TestFrames.icmpOf(echoReply)).isEqualTo(new Icmpv4Repr.EchoReply(0x1234, 7, "ping".getBytes()));
        assertThat(stack.stats().echoRepliesSent()).isEqualTo(1);
    }

    @Test
    void repliesStraightAwayWhenTheRequesterIsCached() throws Exception {
        exchange(T0, arpRequestFromPeer(STACK_IP));

        byte[] reply = exchange(T0, echoRequestFromPeer(STACK_IP));

        assertThat(TestFrames.icmpOf(reply)).isInstanceOf(Icmpv4Repr.EchoReply.class);
    }

    @Test
    void reRequestsAtMostOncePerSecondThenGivesUp() throws Exception {
        exchange(T0, echoRequestFromPeer(STACK_IP));
        assertThat(stack.pollAt(T0)).contains(T0.plusSeconds(1));

        stack.poll(T0.plusMillis(500), link.b());
        assertThat(link.a().takeReceived()).isNull();

        stack.poll(T0.plusSeconds(1), link.b());
        assertThat(TestFrames.arpOf(link.a().takeReceived()).operation()).isEqualTo(ArpRepr.Operation.REQUEST);
        stack.poll(T0.plusSeconds(2), link.b());
        assertThat(link.a().takeReceived()).isNotNull();
        stack.poll(T0.plusSeconds(3), link.b());

        assertThat(link.a().takeReceived()).isNull();
        assertThat(stack.stats().drops(DropReason.ARP_UNRESOLVED)).isEqualTo(1);
        assertThat(stack.pollAt(T0.plusSeconds(3))).isEmpty();
    }

    @Test
    void arpEntriesExpireAfterSixtySeconds() {
        exchange(T0, arpRequestFromPeer(STACK_IP));

        assertThat(stack.arpCache().lookup(PEER_IP, T0.plusSeconds(59))).contains(PEER_MAC);
        assertThat(stack.arpCache().lookup(PEER_IP, T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void routesOffLinkDestinationsThroughTheGateway() throws Exception {
        exchange(T0, arpRequestFromPeer(STACK_IP)); // the peer is also the gateway
        byte[] request = TestFrames.icmp(PEER_MAC, STACK_MAC, FAR_IP, STACK_IP,
                new Icmpv4Repr.EchoRequest(1, 1, new byte[0]));

        byte[] reply = exchange(T0, request);

        assertThat(TestFrames.ethernetOf(reply).destination()).isEqualTo(PEER_MAC);
        assertThat(TestFrames.ipv4Of(reply).destination()).isEqualTo(FAR_IP);
    }

    @Test
    void doesNotAnswerEchoRequestsToBroadcast() {
        byte[] reply = exchange(T0, echoRequestFromPeer(Ipv4Address.parse("10.0.0.255")));

        assertThat(reply).isNull();
        assertThat(stack.stats().drops(DropReason.ICMP_BROADCAST)).isEqualTo(1);
    }

    @Test
    void dropsPacketsForOtherAddresses() {
        assertThat(exchange(T0, echoRequestFromPeer(Ipv4Address.parse("10.0.0.3")))).isNull();
        assertThat(stack.stats().drops(DropReason.IPV4_NOT_FOR_US)).isEqualTo(1);
    }

    @Test
    void dropsFramesForOtherMacAddresses() {
        byte[] frame = echoRequestFromPeer(STACK_IP);
        frame[5] = 0x77;

        assertThat(exchange(T0, frame)).isNull();
        assertThat(stack.stats().drops(DropReason.ETHERNET_NOT_FOR_US)).isEqualTo(1);
    }

    @Test
    void dropsVlanTaggedAndUnknownEtherTypes() {
        byte[] vlan = echoRequestFromPeer(STACK_IP);
        vlan[12] = (byte) 0x81;
        vlan[13] = 0x00;
        byte[] ipv6 = echoRequestFromPeer(STACK_IP);
        ipv6[12] = (byte) 0x86;
        ipv6[13] = (byte) 0xDD;

        exchange(T0, vlan);
        exchange(T0, ipv6);

        assertThat(stack.stats().drops(DropReason.ETHERNET_VLAN_TAGGED)).isEqualTo(1);
        assertThat(stack.stats().drops(DropReason.ETHERNET_UNKNOWN_TYPE)).isEqualTo(1);
        assertThat(EtherType.of(0x8100)).isEqualTo(EtherType.VLAN);
    }

    @Test
    void dropsTruncatedFrames() {
        assertThat(exchange(T0, new byte[13])).isNull();
        byte[] shortIp = java.util.Arrays.copyOf(echoRequestFromPeer(STACK_IP), 14 + 19);
        assertThat(exchange(T0, shortIp)).isNull();
        byte[] shortArp = java.util.Arrays.copyOf(arpRequestFromPeer(STACK_IP), 14 + 20);
        assertThat(exchange(T0, shortArp)).isNull();

        assertThat(stack.stats().drops(DropReason.ETHERNET_TRUNCATED)).isEqualTo(1);
        assertThat(stack.stats().drops(DropReason.IPV4_TRUNCATED)).isEqualTo(1);
        assertThat(stack.stats().drops(DropReason.ARP_TRUNCATED)).isEqualTo(1);
    }

    @Test
    void dropsIpv4WithBadChecksum() {
        exchange(T0, arpRequestFromPeer(STACK_IP));
        byte[] frame = echoRequestFromPeer(STACK_IP);
        frame[14 + 10] ^= 0x01;

        assertThat(exchange(T0, frame)).isNull();
        assertThat(stack.stats().drops(DropReason.IPV4_BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void dropsIcmpWithBadChecksum() {
        exchange(T0, arpRequestFromPeer(STACK_IP));
        byte[] frame = echoRequestFromPeer(STACK_IP);
        frame[frame.length - 1] ^= 0x01;

        assertThat(exchange(T0, frame)).isNull();
        assertThat(stack.stats().drops(DropReason.ICMP_BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void holdsALastFragmentAndDropsAFirstOneOffTheEightByteGrid() {
        exchange(T0, arpRequestFromPeer(STACK_IP));
        byte[] frame = echoRequestFromPeer(STACK_IP);
        setFlagsAndRechecksum(frame, 0x2000); // more fragments, but 12 bytes of payload
        byte[] later = echoRequestFromPeer(STACK_IP);
        setFlagsAndRechecksum(later, 0x0003); // offset 24, the last fragment

        assertThat(exchange(T0, frame)).isNull();
        assertThat(exchange(T0, later)).isNull();
        assertThat(stack.stats().drops(DropReason.IPV4_FRAGMENT_BAD_LENGTH)).isEqualTo(1);
        assertThat(stack.reassembliesInProgress()).isEqualTo(1);
    }

    @Test
    void skipsIpv4OptionsAndEthernetPadding() throws Exception {
        exchange(T0, arpRequestFromPeer(STACK_IP));
        byte[] icmp = new byte[8];
        new Icmpv4Repr.EchoRequest(9, 9, new byte[0]).emit(
                morgana.netstack.wire.Icmpv4Packet.forWriting(java.nio.ByteBuffer.wrap(icmp)));
        // a 24-byte header: one NOP option word; then 10 bytes of Ethernet padding after the packet
        byte[] frame = new byte[14 + 24 + 8 + 10];
        System.arraycopy(TestFrames.ipv4(PEER_MAC, STACK_MAC, Ipv4Repr.of(PEER_IP, STACK_IP, IpProtocol.ICMP, 8), icmp),
                0, frame, 0, 14 + 20);
        frame[14] = 0x46;
        frame[14 + 3] = 32; // total length
        java.util.Arrays.fill(frame, 14 + 20, 14 + 24, (byte) 1);
        System.arraycopy(icmp, 0, frame, 14 + 24, 8);
        rechecksum(frame, 24);

        byte[] reply = exchange(T0, frame);

        assertThat(TestFrames.icmpOf(reply)).isEqualTo(new Icmpv4Repr.EchoReply(9, 9, new byte[0]));
    }

    @Test
    void dropsBadHeaderAndTotalLengths() {
        byte[] ihlTooSmall = echoRequestFromPeer(STACK_IP);
        ihlTooSmall[14] = 0x44;
        byte[] totalTooLong = echoRequestFromPeer(STACK_IP);
        totalTooLong[14 + 2] = 0x7F;
        byte[] totalBelowHeader = echoRequestFromPeer(STACK_IP);
        totalBelowHeader[14 + 2] = 0;
        totalBelowHeader[14 + 3] = 19;

        exchange(T0, ihlTooSmall);
        exchange(T0, totalTooLong);
        exchange(T0, totalBelowHeader);

        assertThat(stack.stats().drops(DropReason.IPV4_BAD_HEADER_LENGTH)).isEqualTo(1);
        assertThat(stack.stats().drops(DropReason.IPV4_BAD_TOTAL_LENGTH)).isEqualTo(2);
    }

    @Test
    void answersNothingAndNeedsNoPollWhenIdle() {
        stack.poll(T0, link.b());

        assertThat(link.a().pending()).isZero();
        assertThat(stack.pollAt(T0)).isEmpty();
        assertThat(stack.stats().toString()).contains("framesReceived=0");
    }

    private static void setFlagsAndRechecksum(byte[] frame, int flagsAndOffset) {
        frame[14 + 6] = (byte) (flagsAndOffset >>> 8);
        frame[14 + 7] = (byte) flagsAndOffset;
        rechecksum(frame, 20);
    }

    private static void rechecksum(byte[] frame, int headerLen) {
        frame[14 + 10] = 0;
        frame[14 + 11] = 0;
        int sum = morgana.netstack.wire.InternetChecksum.of(java.nio.ByteBuffer.wrap(frame), 14, headerLen);
        frame[14 + 10] = (byte) (sum >>> 8);
        frame[14 + 11] = (byte) sum;
    }
}
