package morgana.netstack.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import morgana.netstack.wire.DhcpMessageType;
import morgana.netstack.wire.DhcpPacket;
import morgana.netstack.wire.DhcpRepr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;

/** The client state machine alone, fed replies by hand. */
class DhcpClientTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");
    static final Ipv4Address SERVER = Ipv4Address.parse("192.168.1.1");
    static final Ipv4Address OFFERED = Ipv4Address.parse("192.168.1.20");

    final List<DhcpRepr> sent = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final DhcpClient client = new DhcpClient(MAC, 1, new DhcpClient.Listener() {
        @Override
        public void bound(DhcpLease lease) {
            events.add("bound " + lease.address());
        }

        @Override
        public void unbound() {
            events.add("unbound");
        }
    });

    DhcpRepr reply(DhcpMessageType type, int xid, Optional<Ipv4Address> mask, OptionalLong lease, OptionalLong t1,
                   OptionalLong t2) {
        return new DhcpRepr(DhcpPacket.OP_REPLY, type, xid, 0, true, Ipv4Address.ANY, OFFERED, Ipv4Address.ANY,
                Ipv4Address.ANY, MAC, Optional.of(SERVER), Optional.empty(), mask, List.of(SERVER), List.of(), lease,
                t1, t2, List.of(), OptionalInt.empty(), Optional.empty());
    }

    void bindWith(Optional<Ipv4Address> mask, OptionalLong lease, OptionalLong t1, OptionalLong t2) {
        client.poll(T0, (src, dst, m) -> sent.add(m));
        int xid = sent.get(0).xid();
        assertThat(client.process(T0, reply(DhcpMessageType.OFFER, xid, mask, lease, t1, t2))).isTrue();
        client.poll(T0, (src, dst, m) -> sent.add(m));
        assertThat(sent.get(1).messageType()).isEqualTo(DhcpMessageType.REQUEST);
        assertThat(client.process(T0, reply(DhcpMessageType.ACK, xid, mask, lease, t1, t2))).isTrue();
    }

    @Test
    void takesT1AndT2FromTheServerWhenGiven() {
        bindWith(Optional.of(Ipv4Address.parse("255.255.255.0")), OptionalLong.of(1000), OptionalLong.of(100),
                OptionalLong.of(200));

        DhcpLease lease = client.lease().orElseThrow();
        assertThat(lease.renewAt()).isEqualTo(T0.plusSeconds(100));
        assertThat(lease.rebindAt()).isEqualTo(T0.plusSeconds(200));
        assertThat(lease.expiresAt()).isEqualTo(T0.plusSeconds(1000));
        assertThat(client.pollAt()).contains(T0.plusSeconds(100));
        assertThat(events).containsExactly("bound 192.168.1.20/24");
    }

    @Test
    void usesTheClassfulPrefixWithoutASubnetMask() {
        bindWith(Optional.empty(), OptionalLong.of(1000), OptionalLong.empty(), OptionalLong.empty());

        assertThat(client.lease().orElseThrow().address()).isEqualTo(new Ipv4Cidr(OFFERED, 24));
        assertThat(client.lease().orElseThrow().renewAt()).isEqualTo(T0.plusSeconds(500));
        assertThat(client.lease().orElseThrow().rebindAt()).isEqualTo(T0.plusSeconds(875));
    }

    @Test
    void anInfiniteLeaseNeedsNoPoll() {
        bindWith(Optional.of(Ipv4Address.parse("255.255.0.0")), OptionalLong.of(0xFFFF_FFFFL), OptionalLong.empty(),
                OptionalLong.empty());

        assertThat(client.state()).isEqualTo(DhcpState.BOUND);
        assertThat(client.pollAt()).isEmpty();
        assertThat(client.lease().orElseThrow().address().prefixLength()).isEqualTo(16);
    }

    @Test
    void ignoresOffersOfUnusableAddressesAndRepliesForOthers() {
        client.poll(T0, (src, dst, m) -> sent.add(m));
        int xid = sent.get(0).xid();
        DhcpRepr good = reply(DhcpMessageType.OFFER, xid, Optional.empty(), OptionalLong.of(60), OptionalLong.empty(),
                OptionalLong.empty());
        DhcpRepr loopback = new DhcpRepr(good.op(), good.messageType(), xid, 0, true, Ipv4Address.ANY,
                Ipv4Address.parse("127.0.0.1"), Ipv4Address.ANY, Ipv4Address.ANY, MAC, good.serverIdentifier(),
                Optional.empty(), Optional.empty(), List.of(), List.of(), OptionalLong.of(60), OptionalLong.empty(),
                OptionalLong.empty(), List.of(), OptionalInt.empty(), Optional.empty());
        DhcpRepr otherXid = reply(DhcpMessageType.OFFER, xid + 1, Optional.empty(), OptionalLong.of(60),
                OptionalLong.empty(), OptionalLong.empty());
        DhcpRepr ackFirst = reply(DhcpMessageType.ACK, xid, Optional.empty(), OptionalLong.of(60),
                OptionalLong.empty(), OptionalLong.empty());

        assertThat(client.process(T0, loopback)).isFalse();
        assertThat(client.process(T0, otherXid)).isFalse();
        assertThat(client.process(T0, ackFirst)).isFalse();
        assertThat(client.state()).isEqualTo(DhcpState.SELECTING);
        assertThat(client.process(T0, good)).isTrue();
        assertThat(client.state()).isEqualTo(DhcpState.REQUESTING);
    }

    @Test
    void takesTheAckOnlyFromTheSelectedServer() {
        client.poll(T0, (src, dst, m) -> sent.add(m));
        int xid = sent.get(0).xid();
        client.process(T0, reply(DhcpMessageType.OFFER, xid, Optional.empty(), OptionalLong.of(60),
                OptionalLong.empty(), OptionalLong.empty()));
        DhcpRepr ack = reply(DhcpMessageType.ACK, xid, Optional.empty(), OptionalLong.of(60), OptionalLong.empty(),
                OptionalLong.empty());
        DhcpRepr otherServer = new DhcpRepr(ack.op(), ack.messageType(), xid, 0, true, Ipv4Address.ANY, OFFERED,
                Ipv4Address.ANY, Ipv4Address.ANY, MAC, Optional.of(Ipv4Address.parse("192.168.1.2")), Optional.empty(),
                Optional.empty(), List.of(), List.of(), OptionalLong.of(60), OptionalLong.empty(), OptionalLong.empty(),
                List.of(), OptionalInt.empty(), Optional.empty());

        assertThat(client.process(T0, ack)).as("an ACK before the REQUEST went out").isFalse();
        client.poll(T0, (src, dst, m) -> sent.add(m));
        assertThat(client.process(T0, otherServer)).isFalse();
        assertThat(client.process(T0, ack)).isTrue();
        assertThat(client.state()).isEqualTo(DhcpState.BOUND);
    }

    @Test
    void givesUpOnAnOfferAfterFourUnansweredRequests() {
        client.poll(T0, (src, dst, m) -> sent.add(m));
        client.process(T0, reply(DhcpMessageType.OFFER, sent.get(0).xid(), Optional.empty(), OptionalLong.of(60),
                OptionalLong.empty(), OptionalLong.empty()));
        Instant now = T0;
        for (int i = 0; i < 200 && client.state() == DhcpState.REQUESTING; i++) {
            client.poll(now, (src, dst, m) -> sent.add(m));
            now = client.pollAt().orElseThrow();
        }

        assertThat(client.state()).isEqualTo(DhcpState.SELECTING);
        assertThat(sent.stream().filter(m -> m.messageType() == DhcpMessageType.REQUEST)).hasSize(4);
        assertThat(sent.getLast().messageType()).isEqualTo(DhcpMessageType.DISCOVER);
        assertThat(sent.getLast().xid()).isNotEqualTo(sent.get(0).xid());
    }
}
