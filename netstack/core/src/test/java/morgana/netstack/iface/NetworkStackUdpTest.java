package morgana.netstack.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import morgana.netstack.udp.UdpDatagram;
import morgana.netstack.udp.UdpSocket;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import morgana.netstack.wire.UdpRepr;
import org.junit.jupiter.api.Test;

/** UDP sockets, port and protocol unreachables, and the rate limits on answers to closed ports. */
class NetworkStackUdpTest extends StackWithHandPlayedPeer {

    byte[] udpFromPeer(Ipv4Address destination, int port, String text) {
        return TestFrames.udp(PEER_MAC, STACK_MAC, PEER_IP, destination, new UdpRepr(5353, port, text.getBytes()));
    }

    @Test
    void deliversADatagramToTheBoundSocketAndSendsTheAnswer() throws Exception {
        resolvePeer();
        UdpSocket socket = stack.bindUdp(7);

        exchange(T0, udpFromPeer(STACK_IP, 7, "hello"));
        UdpDatagram got = socket.receive();
        assertThat(got).isEqualTo(new UdpDatagram(PEER_IP, 5353, STACK_IP, "hello".getBytes()));
        assertThat(socket.receive()).isNull();

        assertThat(socket.send(got.source(), got.sourcePort(), "olleh".getBytes())).isTrue();
        List<byte[]> sent = exchange(T0, null);
        assertThat(sent).hasSize(1);
        assertThat(TestFrames.ethernetOf(sent.get(0)).destination()).isEqualTo(PEER_MAC);
        assertThat(TestFrames.udpOf(sent.get(0))).isEqualTo(new UdpRepr(7, 5353, "olleh".getBytes()));
        assertThat(stack.stats().udpDatagramsReceived()).isEqualTo(1);
        assertThat(stack.stats().udpDatagramsSent()).isEqualTo(1);
    }

    @Test
    void boundsTheReceiveQueueAndCountsTheOverflow() {
        resolvePeer();
        UdpSocket socket = stack.bindUdp(7, 2);
        for (int i = 0; i < 5; i++) {
            exchange(T0, udpFromPeer(STACK_IP, 7, "d" + i));
        }

        assertThat(socket.pending()).isEqualTo(2);
        assertThat(new String(socket.receive().payload())).isEqualTo("d0");
        assertThat(stack.stats().drops(DropReason.UDP_RECEIVE_QUEUE_FULL)).isEqualTo(3);
    }

    @Test
    void boundsTheSendQueue() {
        UdpSocket socket = stack.bindUdp(7, 2);

        assertThat(socket.send(PEER_IP, 9, new byte[1])).isTrue();
        assertThat(socket.send(PEER_IP, 9, new byte[1])).isTrue();
        assertThat(socket.send(PEER_IP, 9, new byte[1])).isFalse();
    }

    @Test
    void refusesAPayloadNoIpv4DatagramCanCarry() {
        UdpSocket socket = stack.bindUdp(7);

        assertThatThrownBy(() -> socket.send(PEER_IP, 9, new byte[UdpRepr.MAX_PAYLOAD + 1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(socket.send(PEER_IP, 9, new byte[UdpRepr.MAX_PAYLOAD])).isTrue();
    }

    @Test
    void refusesASecondSocketOnAPortAndFreesItOnClose() {
        UdpSocket socket = stack.bindUdp(7);
        assertThatThrownBy(() -> stack.bindUdp(7)).isInstanceOf(IllegalStateException.class);

        socket.close();

        assertThat(stack.bindUdp(7).port()).isEqualTo(7);
        assertThat(socket.send(PEER_IP, 9, new byte[1])).isFalse();
    }

    @Test
    void answersAClosedPortWithPortUnreachableQuotingTheDatagram() throws Exception {
        resolvePeer();
        byte[] offending = udpFromPeer(STACK_IP, 9999, "anyone?");

        List<byte[]> sent = exchange(T0, offending);

        assertThat(sent).hasSize(1);
        Ipv4Repr ip = TestFrames.ipv4Of(sent.get(0));
        assertThat(ip.source()).isEqualTo(STACK_IP);
        assertThat(ip.destination()).isEqualTo(PEER_IP);
        Icmpv4Repr icmp = TestFrames.icmpOf(sent.get(0));
        byte[] offendingIp = Arrays.copyOfRange(offending, 14, offending.length);
        assertThat(icmp).isEqualTo(Icmpv4Repr.DestinationUnreachable.portUnreachable(offendingIp));
        assertThat(stack.stats().drops(DropReason.UDP_NO_SOCKET)).isEqualTo(1);
        assertThat(stack.stats().icmpErrorsSent()).isEqualTo(1);
    }

    @Test
    void staysSilentForABroadcastToAClosedPort() {
        resolvePeer();

        assertThat(exchange(T0, TestFrames.udp(PEER_MAC, MacAddress.BROADCAST, PEER_IP, Ipv4Address.BROADCAST,
                new UdpRepr(5353, 9999, new byte[3])))).isEmpty();
        assertThat(exchange(T0, udpFromPeer(Ipv4Address.parse("10.0.0.255"), 9999, "x"))).isEmpty();
        assertThat(stack.stats().drops(DropReason.UDP_NO_SOCKET)).isEqualTo(2);
    }

    @Test
    void deliversBroadcastsToABoundSocket() {
        resolvePeer();
        UdpSocket socket = stack.bindUdp(7);

        exchange(T0, TestFrames.udp(PEER_MAC, MacAddress.BROADCAST, PEER_IP, Ipv4Address.BROADCAST,
                new UdpRepr(5353, 7, new byte[3])));

        assertThat(socket.receive().destination()).isEqualTo(Ipv4Address.BROADCAST);
    }

    @Test
    void rateLimitsPortUnreachablesAndRefillsOverTime() {
        resolvePeer();
        int answered = 0;
        for (int i = 0; i < 100; i++) {
            answered += exchange(T0, udpFromPeer(STACK_IP, 9999, "scan")).size();
        }
        assertThat(answered).isEqualTo(20);
        assertThat(stack.stats().drops(DropReason.ICMP_RATE_LIMITED)).isEqualTo(80);

        assertThat(exchange(T0.plus(Duration.ofSeconds(1)), udpFromPeer(STACK_IP, 9999, "later"))).hasSize(1);
    }

    @Test
    void rateLimitsResetsForClosedTcpPorts() throws Exception {
        resolvePeer();
        int resets = 0;
        for (int i = 0; i < 100; i++) {
            List<byte[]> sent = exchange(T0, TestFrames.tcp(PEER_MAC, STACK_MAC, PEER_IP, STACK_IP,
                    TcpRepr.of(40000 + i, 22, i, 0, TcpPacket.SYN, 1000, new byte[0])));
            for (byte[] f : sent) {
                assertThat(TestFrames.tcpOf(f).rst()).isTrue();
                resets++;
            }
        }
        assertThat(resets).isEqualTo(20);
        assertThat(stack.stats().drops(DropReason.TCP_RESET_RATE_LIMITED)).isEqualTo(80);
    }

    @Test
    void answersAnUnknownProtocolWithProtocolUnreachable() throws Exception {
        resolvePeer();
        byte[] frame = TestFrames.ipv4(PEER_MAC, STACK_MAC, new Ipv4Repr(PEER_IP, STACK_IP, 132, 4, 64), new byte[4]);

        List<byte[]> sent = exchange(T0, frame);

        assertThat(sent).hasSize(1);
        Icmpv4Repr icmp = TestFrames.icmpOf(sent.get(0));
        assertThat(icmp).isInstanceOf(Icmpv4Repr.DestinationUnreachable.class);
        assertThat(((Icmpv4Repr.DestinationUnreachable) icmp).code()).isEqualTo(Icmpv4Repr.CODE_PROTOCOL_UNREACHABLE);
    }

    @Test
    void countsIcmpErrorsItReceivesAndNeverAnswersThem() {
        resolvePeer();
        byte[] quote = Arrays.copyOfRange(udpFromPeer(PEER_IP, 53, "q"), 14, 14 + 28);
        byte[] error = TestFrames.icmp(PEER_MAC, STACK_MAC, PEER_IP, STACK_IP,
                Icmpv4Repr.DestinationUnreachable.portUnreachable(quote));

        assertThat(exchange(T0, error)).isEmpty();
        assertThat(stack.stats().icmpErrorsReceived()).isEqualTo(1);
    }

    @Test
    void countsMalformedDatagramsByName() {
        resolvePeer();
        byte[] frame = udpFromPeer(STACK_IP, 7, "hello");
        frame[14 + 20 + 6] ^= 0x55; // break the checksum

        assertThat(exchange(T0, frame)).isEmpty();
        assertThat(stack.stats().drops(DropReason.UDP_BAD_CHECKSUM)).isEqualTo(1);
    }
}
