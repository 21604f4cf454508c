package morgana.fuzz.iface;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import morgana.fuzz.ByteScript;
import morgana.fuzz.Frames;
import morgana.fuzz.ParserContract;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.wire.EthernetFrame;
import morgana.netstack.wire.EthernetRepr;
import morgana.netstack.wire.Icmpv4Packet;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.Ipv4Packet;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.ArpPacket;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import morgana.netstack.wire.UdpPacket;
import morgana.netstack.wire.UdpRepr;
import morgana.netstack.wire.WireFormatException;

/**
 * A whole {@link NetworkStack} (static 10.0.0.2/24, TCP listening on 80, UDP bound on 7) fed up to 16 arbitrary
 * frames. Each frame in the input is a flags byte, a 16-bit length (taken modulo 1515) and that many bytes;
 * flag bit 0 repairs the checksums, bit 1 addresses the frame to the stack's MAC, bit 2 to its IP, bits 4-7
 * advance the clock by that many 250 ms steps. Asserts: no {@link DropReason#INTERNAL_ERROR} (an exception
 * inside the stack), frames too short for Ethernet counted as such, every frame the stack sends well-formed,
 * reassembly and ARP state bounded and gone once its timers run out, and the stack still answering an ARP
 * request and a ping afterwards.
 */
class WholeStackFuzzTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final MacAddress STACK_MAC = MacAddress.parse("52:54:00:00:00:02");
    static final Ipv4Address STACK_IP = Ipv4Address.parse("10.0.0.2");
    static final MacAddress PEER_MAC = MacAddress.parse("52:54:00:00:00:09");
    static final Ipv4Address PEER_IP = Ipv4Address.parse("10.0.0.9");
    static final int MAX_FRAMES = 16;

    @FuzzTest
    void arbitraryFramesAreDroppedOrHandledAndTheStackStillAnswers(byte[] input) {
        NetworkStack stack = new NetworkStack(StackConfig.of(STACK_MAC, new Ipv4Cidr(STACK_IP, 24), null));
        stack.listen(80);
        stack.bindUdp(7);
        LinkPair link = new LinkPair();
        ByteScript script = new ByteScript(input);
        Instant now = T0;
        int injected = 0;
        int tooShort = 0;
        while (script.hasMore() && injected < MAX_FRAMES) {
            int flags = script.u8();
            byte[] frame = script.take(script.u16() % (EthernetFrame.HEADER_LEN + 1501));
            address(frame, flags);
            if ((flags & 1) != 0) {
                Frames.repairChecksums(frame);
            }
            tooShort += frame.length < EthernetFrame.HEADER_LEN ? 1 : 0;
            link.a().transmit(ByteBuffer.wrap(frame));
            injected++;
            now = now.plusMillis(250L * (flags >>> 4));
            pollWithinBudget(stack, now, link, input);
            assertSentFramesWellFormed(link, input);
        }
        assertThat(stack.stats().drops(DropReason.INTERNAL_ERROR)).as("%s on %s", stack.lastInternalError(),
                ParserContract.hex(input)).isZero();
        assertThat(stack.stats().framesReceived()).isEqualTo(injected);
        assertThat(stack.stats().drops(DropReason.ETHERNET_TRUNCATED)).isEqualTo(tooShort);
        assertThat(stack.reassembliesInProgress()).isLessThanOrEqualTo(16);

        stillAnswersArpAndPing(stack, link, now.plusMillis(1), input);

        Instant later = now.plus(Duration.ofMinutes(3));
        pollWithinBudget(stack, later, link, input);
        assertSentFramesWellFormed(link, input);
        assertThat(stack.reassembliesInProgress()).as("reassembly after its timeout").isZero();
        assertThat(stack.arpCache().size()).isLessThanOrEqualTo(256);
    }

    private static void address(byte[] frame, int flags) {
        if ((flags & 2) != 0 && frame.length >= 6) {
            System.arraycopy(STACK_MAC.toBytes(), 0, frame, 0, 6);
        }
        if ((flags & 4) != 0 && frame.length >= 14 + 20) {
            System.arraycopy(STACK_IP.toBytes(), 0, frame, 14 + 16, 4);
        }
    }

    private static void pollWithinBudget(NetworkStack stack, Instant now, LinkPair link, byte[] input) {
        ParserContract.value(input, () -> {
            stack.poll(now, link.b());
            return null;
        });
    }

    private static void stillAnswersArpAndPing(NetworkStack stack, LinkPair link, Instant now, byte[] input) {
        link.a().transmit(ByteBuffer.wrap(Frames.arpRequest(PEER_MAC, PEER_IP, STACK_IP)));
        byte[] data = "still there?".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        link.a().transmit(ByteBuffer.wrap(Frames.echoRequest(PEER_MAC, STACK_MAC, PEER_IP, STACK_IP, 0x4d47, 7, data)));
        pollWithinBudget(stack, now, link, input);
        boolean arpReply = false;
        boolean echoReply = false;
        for (byte[] frame : drain(link)) {
            assertWellFormed(frame, input);
            EthernetRepr eth = parse(() -> EthernetRepr.parse(EthernetFrame.newChecked(ByteBuffer.wrap(frame))), input);
            if (!eth.destination().equals(PEER_MAC)) {
                continue;
            }
            ByteBuffer payload = ByteBuffer.wrap(frame, 14, frame.length - 14);
            if (eth.etherType() == Frames.ETHERTYPE_ARP) {
                ArpRepr arp = parse(() -> ArpRepr.parse(ArpPacket.newChecked(payload)), input);
                arpReply |= arp.operation() == ArpRepr.Operation.REPLY && arp.senderIp().equals(STACK_IP)
                        && arp.senderMac().equals(STACK_MAC);
            } else if (eth.etherType() == Frames.ETHERTYPE_IPV4) {
                Ipv4Packet ip = parse(() -> Ipv4Packet.newChecked(payload), input);
                if (ip.protocol() == Frames.ICMP && parse(() -> Icmpv4Repr.parse(Icmpv4Packet.newChecked(ip.payload())),
                        input) instanceof Icmpv4Repr.EchoReply reply) {
                    echoReply |= reply.identifier() == 0x4d47 && reply.sequence() == 7
                            && java.util.Arrays.equals(reply.data(), data);
                }
            }
        }
        assertThat(arpReply).as("ARP reply after %s", ParserContract.hex(input)).isTrue();
        assertThat(echoReply).as("echo reply after %s", ParserContract.hex(input)).isTrue();
    }

    private static void assertSentFramesWellFormed(LinkPair link, byte[] input) {
        for (byte[] frame : drain(link)) {
            assertWellFormed(frame, input);
        }
    }

    private static List<byte[]> drain(LinkPair link) {
        List<byte[]> out = new ArrayList<>();
        for (byte[] f = link.a().takeReceived(); f != null; f = link.a().takeReceived()) {
            out.add(f);
        }
        return out;
    }

    /** What the stack sends must pass its own parsers: Ethernet, then ARP, or IPv4 and the layer inside it. */
    private static void assertWellFormed(byte[] frame, byte[] input) {
        EthernetRepr eth = parse(() -> EthernetRepr.parse(EthernetFrame.newChecked(ByteBuffer.wrap(frame))), input);
        assertThat(eth.source()).isEqualTo(STACK_MAC);
        ByteBuffer payload = ByteBuffer.wrap(frame, 14, frame.length - 14);
        if (eth.etherType() == Frames.ETHERTYPE_ARP) {
            parse(() -> ArpRepr.parse(ArpPacket.newChecked(payload)), input);
            return;
        }
        assertThat(eth.etherType()).isEqualTo(Frames.ETHERTYPE_IPV4);
        Ipv4Packet packet = parse(() -> Ipv4Packet.newChecked(payload), input);
        assertThat(packet.verifyChecksum()).isTrue();
        if (packet.moreFragments() || packet.fragmentOffset() != 0) {
            return;
        }
        Ipv4Repr ip = parse(() -> Ipv4Repr.parse(packet), input);
        switch (ip.ipProtocol()) {
            case ICMP -> parse(() -> Icmpv4Repr.parse(Icmpv4Packet.newChecked(packet.payload())), input);
            case TCP -> parse(() -> TcpRepr.parse(TcpPacket.newChecked(packet.payload()), ip.source(), ip.destination()), input);
            case UDP -> parse(() -> UdpRepr.parse(UdpPacket.newChecked(packet.payload()), ip.source(), ip.destination()), input);
            case UNKNOWN -> throw new AssertionError("sent IPv4 protocol " + ip.protocol());
        }
    }

    private static <T> T parse(ParserContract.Step<T, WireFormatException> step, byte[] input) {
        return ParserContract.valueOrRefusal(input, WireFormatException.class, step)
                .orElseThrow(() -> new AssertionError("the stack sent a frame its own parsers refuse, after "
                        + ParserContract.hex(input)));
    }
}
