package morgana.netstack.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpState;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** ICMP unreachables about our TCP segments (RFC 1122 §4.2.3.9, RFC 5461, RFC 5927). */
class TcpIcmpErrorTest {

    static final MacAddress MAC = MacAddress.parse("52:54:00:00:00:02");
    static final Ipv4Address IP = Ipv4Address.parse("10.0.0.2");
    static final MacAddress PEER_MAC = MacAddress.parse("52:54:00:00:00:01");
    static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.1");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final LinkPair link = new LinkPair();
    final NetworkStack stack = new NetworkStack(StackConfig.of(MAC, new Ipv4Cidr(IP, 24), null));

    byte[] connectAndTakeSyn(TcpConnection[] out) {
        link.b().inject(TestFrames.arp(PEER_MAC, MacAddress.BROADCAST,
                new ArpRepr(ArpRepr.Operation.REQUEST, PEER_MAC, PEER, MacAddress.ZERO, IP)));
        stack.poll(T0, link.b());
        link.a().takeReceived();
        out[0] = stack.connect(PEER, 80);
        stack.poll(T0, link.b());
        return link.a().takeReceived();
    }

    void answer(byte[] syn, int code, int seqDelta) throws Exception {
        byte[] quote = Arrays.copyOfRange(syn, 14, 14 + 28);
        TcpRepr sent = TestFrames.tcpOf(syn);
        int seq = sent.seqNumber() + seqDelta;
        quote[20 + 4] = (byte) (seq >>> 24);
        quote[20 + 5] = (byte) (seq >>> 16);
        quote[20 + 6] = (byte) (seq >>> 8);
        quote[20 + 7] = (byte) seq;
        link.b().inject(TestFrames.icmp(PEER_MAC, MAC, PEER, IP, new Icmpv4Repr.DestinationUnreachable(code, 0, quote)));
        stack.poll(T0, link.b());
    }

    @Test
    void aPortUnreachableForTheSynRefusesTheConnection() throws Exception {
        TcpConnection[] c = new TcpConnection[1];
        byte[] syn = connectAndTakeSyn(c);

        answer(syn, Icmpv4Repr.CODE_PORT_UNREACHABLE, 0);

        assertThat(c[0].state()).isEqualTo(TcpState.CLOSED);
    }

    @Test
    void ignoresAnUnreachableQuotingAnotherSequenceNumber() throws Exception {
        TcpConnection[] c = new TcpConnection[1];
        byte[] syn = connectAndTakeSyn(c);

        answer(syn, Icmpv4Repr.CODE_PORT_UNREACHABLE, 1000);

        assertThat(c[0].state()).isEqualTo(TcpState.SYN_SENT);
    }

    @Test
    void ignoresSoftErrors() throws Exception {
        TcpConnection[] c = new TcpConnection[1];
        byte[] syn = connectAndTakeSyn(c);

        answer(syn, Icmpv4Repr.CODE_HOST_UNREACHABLE, 0);

        assertThat(c[0].state()).isEqualTo(TcpState.SYN_SENT);
        assertThat(stack.stats().icmpErrorsReceived()).isEqualTo(1);
    }
}
