package morgana.netstack.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.sim.Simulator;
import morgana.netstack.udp.UdpDatagram;
import morgana.netstack.udp.UdpSocket;
import morgana.netstack.wire.Icmpv4Packet;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.IpProtocol;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.Ipv4Fragment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** IPv4 reassembly (RFC 791 §3.2) and its defences, and fragmentation of what the stack sends. */
class Ipv4ReassemblyTest extends StackWithHandPlayedPeer {

    /** The ICMP message of an echo request carrying {@code size} bytes of data, as `ping -s size` sends. */
    static byte[] echoRequest(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        Icmpv4Repr request = new Icmpv4Repr.EchoRequest(0x77, 1, data);
        byte[] icmp = new byte[request.bufferLen()];
        request.emit(Icmpv4Packet.forWriting(ByteBuffer.wrap(icmp)));
        return icmp;
    }

    static Ipv4Fragment header(int id, int offset, boolean more, int length) {
        return new Ipv4Fragment(PEER_IP, STACK_IP, IpProtocol.ICMP.value(), id, offset, more, length, 64);
    }

    /** Cuts {@code payload} into fragments of {@code chunk} bytes (a multiple of 8), as a host with that MTU would. */
    static List<byte[]> fragments(byte[] payload, int id, int chunk) {
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < payload.length; off += chunk) {
            int len = Math.min(chunk, payload.length - off);
            out.add(TestFrames.fragment(PEER_MAC, STACK_MAC, header(id, off, off + len < payload.length, len), payload));
        }
        return out;
    }

    /** Puts the stack's fragmented reply back together (by offset) and parses its ICMP message. */
    static Icmpv4Repr reassembleReply(List<byte[]> frames) throws Exception {
        List<Ipv4Fragment> headers = new ArrayList<>();
        for (byte[] f : frames) {
            headers.add(TestFrames.fragmentOf(f));
        }
        int total = 0;
        for (Ipv4Fragment h : headers) {
            total = Math.max(total, h.end());
        }
        byte[] whole = new byte[total];
        for (int i = 0; i < frames.size(); i++) {
            byte[] p = TestFrames.ipPayloadOf(frames.get(i));
            System.arraycopy(p, 0, whole, headers.get(i).offset(), p.length);
        }
        return Icmpv4Repr.parse(Icmpv4Packet.newChecked(ByteBuffer.wrap(whole)));
    }

    static LongStream seeds() {
        return LongStream.range(0, 50);
    }

    /** `ping -s 4000` from a host with MTU 1500, fragments shuffled and some sent twice. */
    @ParameterizedTest
    @MethodSource("seeds")
    void reassemblesFragmentsInAnyOrderWithDuplicatesAndAnswersInFragments(long seed) throws Exception {
        resolvePeer();
        Random r = new Random(seed);
        byte[] icmp = echoRequest(4000, seed);
        List<byte[]> frames = new ArrayList<>(fragments(icmp, 0x1234, 1480));
        int duplicates = r.nextInt(4);
        for (int i = 0; i < duplicates; i++) {
            frames.add(frames.get(r.nextInt(frames.size())).clone());
        }
        Collections.shuffle(frames, r);

        List<byte[]> sent = new ArrayList<>();
        for (byte[] f : frames) {
            sent.addAll(exchange(T0, f));
        }

        assertThat(sent).hasSize(3); // 4008 bytes of ICMP in 1480-byte pieces
        Icmpv4Repr reply = reassembleReply(sent);
        byte[] data = Arrays.copyOfRange(icmp, 8, icmp.length);
        assertThat(reply).isEqualTo(new Icmpv4Repr.EchoReply(0x77, 1, data));
        assertThat(stack.stats().ipv4DatagramsReassembled()).isEqualTo(1);
        assertThat(stack.stats().ipv4FragmentsSent()).isEqualTo(3);
        // Copies arriving after completion are recognised as duplicates, not the start of a new datagram.
        assertThat(exchange(T0.plus(Duration.ofSeconds(30)), null)).isEmpty();
        assertThat(stack.stats().drops(DropReason.IPV4_REASSEMBLY_TIMEOUT)).isZero();
        assertThat(stack.reassembliesInProgress()).isZero();
    }

    @Test
    void discardsTheWholeDatagramWhenFragmentsOverlap() {
        resolvePeer();
        byte[] icmp = echoRequest(3000, 1);
        exchange(T0, TestFrames.fragment(PEER_MAC, STACK_MAC, header(9, 0, true, 1480), icmp));
        // overlaps the first by 8 bytes: RFC 5722's rule, the datagram is gone
        exchange(T0, TestFrames.fragment(PEER_MAC, STACK_MAC, header(9, 1472, true, 1480), icmp));
        // the honest rest arrives: still nothing, since the whole datagram was discarded
        List<byte[]> sent = new ArrayList<>();
        sent.addAll(exchange(T0, TestFrames.fragment(PEER_MAC, STACK_MAC, header(9, 1480, true, 1480), icmp)));
        sent.addAll(exchange(T0, TestFrames.fragment(PEER_MAC, STACK_MAC, header(9, 2960, false, 48), icmp)));

        assertThat(sent).isEmpty();
        assertThat(stack.stats().drops(DropReason.IPV4_FRAGMENT_OVERLAP)).isEqualTo(3);
        assertThat(stack.stats().ipv4DatagramsReassembled()).isZero();
    }

    /** Teardrop: the second fragment lies wholly inside the first. */
    @Test
    void rejectsTheTeardropShape() {
        resolvePeer();
        byte[] payload = new byte[64];
        exchange(T0, TestFrames.fragment(PEER_MAC, STACK_MAC, header(5, 0, true, 48), payload));
        List<byte[]> sent = exchange(T0, TestFrames.fragment(PEER_MAC, STACK_MAC, header(5, 8, true, 16), payload));

        assertThat(sent).isEmpty();
        assertThat(stack.stats().drops(DropReason.IPV4_FRAGMENT_OVERLAP)).isEqualTo(1);
    }

    /** Ping of death: a last fragment at offset 65528 that would make the datagram longer than 65535 bytes. */
    @Test
    void rejectsADatagramEndingPast65535Bytes() {
        resolvePeer();
        byte[] payload = new byte[65528 + 100];

        exchange(T0, TestFrames.fragment(PEER_MAC, STACK_MAC, header(6, 65528, false, 100), payload));

        assertThat(stack.stats().drops(DropReason.IPV4_FRAGMENT_TOO_LONG)).isEqualTo(1);
        assertThat(stack.reassembliesInProgress()).isZero();
    }

    @Test
    void discardsFragmentsThatDisagreeOnTheEnd() {
        resolvePeer();
        byte[] payload = new byte[64];
        exchange(T0, TestFrames.fragment(PEER_MAC, STACK_MAC, header(7, 32, false, 32), payload));
        byte[] longer = new byte[96];
        exchange(T0, TestFrames.fragment(PEER_MAC, STACK_MAC, header(7, 64, true, 16), longer)); // past the end

        assertThat(stack.stats().drops(DropReason.IPV4_FRAGMENT_INCONSISTENT)).isEqualTo(1);
    }

    @Test
    void givesUpAfterThirtySecondsWithATimeExceededQuotingTheFirstFragment() throws Exception {
        resolvePeer();
        byte[] icmp = echoRequest(3000, 2);
        byte[] first = TestFrames.fragment(PEER_MAC, STACK_MAC, header(8, 0, true, 1480), icmp);
        exchange(T0, first);
        assertThat(stack.pollAt(T0)).contains(T0.plus(Duration.ofSeconds(30)));

        assertThat(exchange(T0.plus(Duration.ofSeconds(29)), null)).isEmpty();
        List<byte[]> sent = exchange(T0.plus(Duration.ofSeconds(30)), null);

        assertThat(sent).hasSize(1);
        Icmpv4Repr error = TestFrames.icmpOf(sent.get(0));
        byte[] quoted = Arrays.copyOfRange(first, 14, 14 + Icmpv4Repr.MAX_QUOTE);
        assertThat(error).isEqualTo(new Icmpv4Repr.TimeExceeded(Icmpv4Repr.CODE_REASSEMBLY_TIME_EXCEEDED, quoted));
        assertThat(stack.stats().drops(DropReason.IPV4_REASSEMBLY_TIMEOUT)).isEqualTo(1);
        assertThat(stack.reassembliesInProgress()).isZero();
    }

    @Test
    void timesOutSilentlyWithoutTheFirstFragment() {
        resolvePeer();
        exchange(T0, TestFrames.fragment(PEER_MAC, STACK_MAC, header(8, 1480, false, 100), new byte[1580]));

        assertThat(exchange(T0.plus(Duration.ofSeconds(30)), null)).isEmpty();
        assertThat(stack.stats().drops(DropReason.IPV4_REASSEMBLY_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void boundsTheDatagramsInProgress() {
        resolvePeer();
        for (int id = 0; id < Ipv4Reassembler.DEFAULT_MAX_DATAGRAMS + 5; id++) {
            exchange(T0, TestFrames.fragment(PEER_MAC, STACK_MAC, header(id, 0, true, 8), new byte[16]));
        }

        assertThat(stack.reassembliesInProgress()).isEqualTo(Ipv4Reassembler.DEFAULT_MAX_DATAGRAMS);
        assertThat(stack.stats().drops(DropReason.IPV4_REASSEMBLY_FULL)).isEqualTo(5);
    }

    @Test
    void boundsTheBytesHeld() {
        StackStats stats = new StackStats();
        Ipv4Reassembler r = new Ipv4Reassembler(stats, Duration.ofSeconds(30), 100, 4000);
        byte[] payload = new byte[1480];
        for (int id = 0; id < 5; id++) {
            Ipv4Fragment f = header(id, 0, true, 1480);
            r.add(T0, f, ByteBuffer.wrap(payload), ByteBuffer.wrap(new byte[1500]));
        }

        assertThat(r.bytesHeld()).isEqualTo(2960);
        assertThat(stats.drops(DropReason.IPV4_REASSEMBLY_FULL)).isEqualTo(3);
    }

    /** Both directions over a 1500-byte link: a 6000-byte UDP datagram goes out in fragments and comes back whole. */
    @Test
    void carriesALargeUdpDatagramBetweenTwoStacks() {
        LinkPair wire = new LinkPair();
        NetworkStack a = new NetworkStack(StackConfig.of(PEER_MAC, new Ipv4Cidr(PEER_IP, 24), null));
        NetworkStack b = new NetworkStack(StackConfig.of(STACK_MAC, new Ipv4Cidr(STACK_IP, 24), null));
        Simulator sim = new Simulator(T0).attach(a, wire.a()).attach(b, wire.b());
        UdpSocket client = a.bindUdp(40000);
        UdpSocket server = b.bindUdp(9);
        byte[] big = new byte[6000];
        new Random(3).nextBytes(big);

        client.send(STACK_IP, 9, big);
        UdpDatagram[] got = new UdpDatagram[1];
        assertThat(sim.runUntil(() -> (got[0] = server.receive()) != null, Duration.ofSeconds(5))).isTrue();

        assertThat(got[0].payload()).isEqualTo(big);
        assertThat(a.stats().ipv4FragmentsSent()).isEqualTo(5);
        assertThat(b.stats().ipv4DatagramsReassembled()).isEqualTo(1);
    }

    @Test
    void fragmentsOnEightByteBoundariesWithMoreFragmentsOnAllButTheLast() throws Exception {
        resolvePeer();
        UdpSocket socket = stack.bindUdp(9);
        socket.send(PEER_IP, 9, new byte[3000]);

        List<byte[]> sent = exchange(T0, null);

        for (int i = 0; i < sent.size(); i++) {
            Ipv4Fragment f = TestFrames.fragmentOf(sent.get(i));
            assertThat(f.offset() % 8).isZero();
            assertThat(f.moreFragments()).isEqualTo(i < sent.size() - 1);
            assertThat(f.bufferLen()).isLessThanOrEqualTo(1500);
        }
        assertThat(sent).hasSize(3);
    }
}
