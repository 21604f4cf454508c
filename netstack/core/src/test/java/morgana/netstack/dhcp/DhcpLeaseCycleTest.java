package morgana.netstack.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.iface.TestFrames;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.sim.Simulator;
import morgana.netstack.udp.UdpSocket;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.DhcpMessageType;
import morgana.netstack.wire.DhcpPacket;
import morgana.netstack.wire.DhcpRepr;
import morgana.netstack.wire.EtherType;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import morgana.netstack.wire.UdpRepr;
import org.junit.jupiter.api.Test;

/**
 * RFC 2131 §4.4 in the simulator: a DHCP client stack and a stack running {@link TestDhcpServer}, through a
 * whole lease cycle on the virtual clock (a 120 s lease: T1 at 60 s, T2 at 105 s).
 */
class DhcpLeaseCycleTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final MacAddress CLIENT_MAC = MacAddress.parse("52:54:00:12:34:56");
    static final Ipv4Address SERVER_IP = Ipv4Address.parse("10.0.2.2");
    static final Ipv4Address OFFERED = Ipv4Address.parse("10.0.2.15");

    final LinkPair link = new LinkPair();
    final NetworkStack client = new NetworkStack(StackConfig.dhcp(CLIENT_MAC, 1500));
    final NetworkStack serverStack = new NetworkStack(
            StackConfig.of(MacAddress.parse("52:54:00:00:00:02"), new Ipv4Cidr(SERVER_IP, 24), null));
    final TestDhcpServer server = new TestDhcpServer(serverStack.bindUdp(67), SERVER_IP, OFFERED, 120);
    final Simulator sim = new Simulator(T0).attach(client, link.a()).attach(serverStack, link.b());
    final List<ArpRepr> arpsFromClient = new ArrayList<>();
    final DhcpClient dhcp = client.dhcp().orElseThrow();

    DhcpLeaseCycleTest() {
        link.a().setTap(frame -> {
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            try {
                if (TestFrames.ethernetOf(bytes).type() == EtherType.ARP) {
                    arpsFromClient.add(TestFrames.arpOf(bytes));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    boolean runUntil(java.util.function.BooleanSupplier done, Duration limit) {
        return sim.runUntil(() -> {
            server.serve();
            return done.getAsBoolean();
        }, limit);
    }

    void bind() {
        assertThat(runUntil(() -> dhcp.state() == DhcpState.BOUND, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void startsWithoutAnAddressAndBindsTheOfferedOne() {
        assertThat(client.address()).isEmpty();
        assertThat(client.config().usesDhcp()).isTrue();

        bind();

        assertThat(client.address()).contains(new Ipv4Cidr(OFFERED, 24));
        assertThat(client.config().gateway()).contains(SERVER_IP);
        assertThat(sim.now()).isEqualTo(T0); // no wait before the DISCOVER, no retransmission
        assertThat(server.count(DhcpMessageType.DISCOVER)).isEqualTo(1);
        assertThat(server.count(DhcpMessageType.REQUEST)).isEqualTo(1);
        var request = server.received.get(1);
        assertThat(request.requestedIp()).contains(OFFERED);
        assertThat(request.serverIdentifier()).contains(SERVER_IP);
        assertThat(request.clientIp()).isEqualTo(Ipv4Address.ANY);
        assertThat(server.receivedAt.get(1)).isEqualTo(Ipv4Address.BROADCAST);
        DhcpLease lease = dhcp.lease().orElseThrow();
        assertThat(lease.renewAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(lease.rebindAt()).isEqualTo(T0.plusSeconds(105));
        assertThat(lease.expiresAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(lease.dnsServers()).containsExactly(SERVER_IP);
    }

    @Test
    void announcesTheLeasedAddressWithAGratuitousArp() {
        bind();
        sim.runUntilIdle(Duration.ofSeconds(1));

        assertThat(arpsFromClient).contains(
                new ArpRepr(ArpRepr.Operation.REQUEST, CLIENT_MAC, OFFERED, MacAddress.ZERO, OFFERED));
        assertThat(client.stats().gratuitousArpsSent()).isEqualTo(1);
    }

    @Test
    void usesTheLeasedAddressForUdp() {
        bind();
        UdpSocket echo = serverStack.bindUdp(7);
        UdpSocket mine = client.bindUdp(4000);

        mine.send(SERVER_IP, 7, "hi".getBytes());
        var got = new morgana.netstack.udp.UdpDatagram[1];
        assertThat(runUntil(() -> (got[0] = echo.receive()) != null, Duration.ofSeconds(5))).isTrue();

        assertThat(got[0].source()).isEqualTo(OFFERED);
    }

    @Test
    void renewsWithTheLeasingServerByUnicastAtT1() {
        bind();
        int before = server.received.size();

        assertThat(runUntil(() -> server.received.size() > before, Duration.ofSeconds(100))).isTrue();

        assertThat(sim.now()).isEqualTo(T0.plusSeconds(60));
        var renewal = server.received.get(before);
        assertThat(renewal.messageType()).isEqualTo(DhcpMessageType.REQUEST);
        assertThat(renewal.clientIp()).isEqualTo(OFFERED);
        assertThat(renewal.requestedIp()).isEmpty();
        assertThat(renewal.serverIdentifier()).isEmpty();
        assertThat(server.receivedAt.get(before)).isEqualTo(SERVER_IP);
        assertThat(runUntil(() -> dhcp.state() == DhcpState.BOUND, Duration.ofSeconds(1))).isTrue();
        assertThat(dhcp.lease().orElseThrow().expiresAt()).isEqualTo(T0.plusSeconds(180));
        assertThat(client.stats().gratuitousArpsSent()).isEqualTo(1); // same address: no new announcement
    }

    @Test
    void keepsItsAddressForTenMinutesByRenewingEveryMinute() {
        bind();

        runUntil(() -> false, Duration.ofMinutes(10));

        assertThat(dhcp.state()).isIn(DhcpState.BOUND, DhcpState.RENEWING);
        assertThat(client.address()).contains(new Ipv4Cidr(OFFERED, 24));
        assertThat(server.count(DhcpMessageType.REQUEST)).isEqualTo(1 + 10); // one renewal a minute
        assertThat(dhcp.leasesLost()).isZero();
    }

    @Test
    void rebindsByBroadcastAtT2AndGivesTheAddressUpAtExpiryWhenTheServerIsGone() {
        bind();
        server.answering = false;
        List<Instant> requestTimes = new ArrayList<>();
        List<Ipv4Address> requestDestinations = new ArrayList<>();
        int[] seen = {server.received.size()};

        runUntil(() -> {
            while (seen[0] < server.received.size()) {
                requestTimes.add(sim.now());
                requestDestinations.add(server.receivedAt.get(seen[0]));
                seen[0]++;
            }
            return dhcp.state() == DhcpState.SELECTING;
        }, Duration.ofSeconds(200));

        assertThat(sim.now()).isEqualTo(T0.plusSeconds(120));
        assertThat(client.address()).isEmpty();
        assertThat(dhcp.leasesLost()).isEqualTo(1);
        // RENEWING from 60 s: unicast, again no sooner than 60 s later -> at T2 (105 s) REBINDING by broadcast;
        // then the DISCOVER of the new start at expiry.
        assertThat(requestTimes).containsExactly(T0.plusSeconds(60), T0.plusSeconds(105), T0.plusSeconds(120));
        assertThat(requestDestinations).containsExactly(SERVER_IP, Ipv4Address.BROADCAST, Ipv4Address.BROADCAST);
        assertThat(server.received.get(server.received.size() - 1).messageType()).isEqualTo(DhcpMessageType.DISCOVER);
    }

    @Test
    void retransmitsTheDiscoverWithExponentialBackoffAndBindsWhenTheServerComesBack() {
        server.answering = false;
        List<Instant> discovers = new ArrayList<>();
        int[] seen = {0};
        runUntil(() -> {
            while (seen[0] < server.received.size()) {
                discovers.add(sim.now());
                seen[0]++;
            }
            return false;
        }, Duration.ofSeconds(200));

        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < discovers.size(); i++) {
            gaps.add(Duration.between(discovers.get(i - 1), discovers.get(i)).toMillis());
        }
        long[] nominal = {4000, 8000, 16000, 32000, 64000, 64000};
        assertThat(gaps).hasSizeGreaterThanOrEqualTo(5);
        for (int i = 0; i < gaps.size(); i++) {
            assertThat(gaps.get(i)).isBetween(nominal[i] - 1000, nominal[i] + 1000); // RFC 2131 §4.1: ±1 s
        }

        server.answering = true;
        assertThat(runUntil(() -> dhcp.state() == DhcpState.BOUND, Duration.ofSeconds(70))).isTrue();
    }

    @Test
    void aNakWhileRenewingDropsTheAddressAndStartsOver() {
        bind();
        server.nakRequests = true;

        assertThat(runUntil(() -> client.address().isEmpty(), Duration.ofSeconds(100))).isTrue();
        assertThat(sim.now()).isEqualTo(T0.plusSeconds(60));

        server.nakRequests = false;
        assertThat(runUntil(() -> dhcp.state() == DhcpState.BOUND, Duration.ofSeconds(10))).isTrue();
        assertThat(dhcp.leasesAcquired()).isEqualTo(2);
    }

    @Test
    void ignoresRepliesForAnotherTransactionAndCountsMalformedOnes() {
        client.poll(T0, link.a()); // the DISCOVER goes out
        link.a().inject(TestFrames.udp(MacAddress.parse("52:54:00:00:00:02"), MacAddress.BROADCAST, SERVER_IP,
                Ipv4Address.BROADCAST, new UdpRepr(67, 68, new byte[300])));
        client.poll(T0, link.a());

        assertThat(client.stats().drops(DropReason.DHCP_MALFORMED)).isEqualTo(1);

        DhcpRepr stranger = new DhcpRepr(DhcpPacket.OP_REPLY, DhcpMessageType.OFFER, 12345, 0, true, Ipv4Address.ANY,
                OFFERED, Ipv4Address.ANY, Ipv4Address.ANY, CLIENT_MAC, Optional.of(SERVER_IP), Optional.empty(),
                Optional.empty(), List.of(), List.of(), OptionalLong.of(60), OptionalLong.empty(), OptionalLong.empty(),
                List.of(), OptionalInt.empty(), Optional.empty());
        byte[] bytes = new byte[stranger.bufferLen()];
        stranger.emit(DhcpPacket.forWriting(ByteBuffer.wrap(bytes)));
        link.a().inject(TestFrames.udp(MacAddress.parse("52:54:00:00:00:02"), MacAddress.BROADCAST, SERVER_IP,
                Ipv4Address.BROADCAST, new UdpRepr(67, 68, bytes)));
        client.poll(T0, link.a());

        assertThat(client.stats().drops(DropReason.DHCP_IGNORED)).isEqualTo(1); // another xid
        assertThat(dhcp.state()).isEqualTo(DhcpState.SELECTING);
    }

    @Test
    void answersNoArpOrPingBeforeItHasAnAddress() {
        client.poll(T0, link.a());
        link.b().takeReceived();
        link.a().inject(TestFrames.arp(MacAddress.parse("52:54:00:00:00:02"), MacAddress.BROADCAST,
                new ArpRepr(ArpRepr.Operation.REQUEST, MacAddress.parse("52:54:00:00:00:02"), SERVER_IP,
                        MacAddress.ZERO, Ipv4Address.ANY)));
        client.poll(T0, link.a());

        assertThat(link.b().takeReceived()).isNull();
        assertThat(client.address()).isEmpty();
    }
}
