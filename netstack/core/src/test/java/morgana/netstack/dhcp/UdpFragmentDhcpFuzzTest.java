package morgana.netstack.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import morgana.netstack.iface.DropReason;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.sim.Simulator;
import morgana.netstack.udp.UdpSocket;
import morgana.netstack.wire.InternetChecksum;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;

/**
 * Records a DHCP lease, a fragmented UDP exchange and a closed-port probe between two stacks, then feeds
 * mutated copies to fresh stacks (one still asking DHCP, one with an address and a bound socket). Besides bit
 * flips and cuts, mutations that keep the IPv4 checksum right and zero the UDP checksum (RFC 768: not
 * verified) reach the reassembler and the DHCP parser with hostile bytes. Every frame must end processed or
 * as a named drop, never as an {@link DropReason#INTERNAL_ERROR}.
 */
class UdpFragmentDhcpFuzzTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Ipv4Address SERVER_IP = Ipv4Address.parse("10.0.2.2");
    static final MacAddress CLIENT_MAC = MacAddress.parse("52:54:00:12:34:56");

    @Test
    void mutatedUdpFragmentAndDhcpFramesAreProcessedOrCountedNeverThrown() {
        List<byte[]> recorded = record();
        assertThat(recorded).hasSizeGreaterThanOrEqualTo(10);

        Random random = new Random(2131);
        LinkPair target = new LinkPair();
        NetworkStack dhcpVictim = new NetworkStack(StackConfig.dhcp(CLIENT_MAC, 1500));
        NetworkStack staticVictim = new NetworkStack(StackConfig.of(CLIENT_MAC, Ipv4Cidr.parse("10.0.2.15/24"), null));
        staticVictim.bindUdp(7);
        Instant now = T0;
        for (int round = 0; round < 4000; round++) {
            byte[] frame = mutate(recorded.get(random.nextInt(recorded.size())), random);
            now = now.plusMillis(random.nextInt(2000));
            for (NetworkStack victim : List.of(dhcpVictim, staticVictim)) {
                target.b().inject(frame);
                victim.poll(now, target.b());
                while (target.a().takeReceived() != null) {
                    // answers are fine; only exceptions are not
                }
            }
        }

        for (NetworkStack victim : List.of(dhcpVictim, staticVictim)) {
            assertThat(victim.stats().drops(DropReason.INTERNAL_ERROR)).as("%s", victim.lastInternalError()).isZero();
            assertThat(victim.stats().framesReceived()).isEqualTo(4000);
        }
        assertThat(staticVictim.stats().dropsByReason()).containsKeys(DropReason.IPV4_BAD_CHECKSUM,
                DropReason.IPV4_FRAGMENT_OVERLAP, DropReason.UDP_BAD_CHECKSUM);
        assertThat(dhcpVictim.stats().dropsByReason()).containsKeys(DropReason.DHCP_MALFORMED, DropReason.DHCP_IGNORED);
        System.out.println("fuzz drops, DHCP client: " + dhcpVictim.stats().dropsByReason());
        System.out.println("fuzz drops, static: " + staticVictim.stats().dropsByReason());
    }

    private static List<byte[]> record() {
        List<byte[]> recorded = new ArrayList<>();
        LinkPair link = new LinkPair();
        java.util.function.Consumer<ByteBuffer> tap = f -> {
            byte[] copy = new byte[f.remaining()];
            f.get(copy);
            recorded.add(copy);
        };
        link.a().setTap(tap);
        link.b().setTap(tap);
        NetworkStack client = new NetworkStack(StackConfig.dhcp(CLIENT_MAC, 1500));
        NetworkStack serverStack = new NetworkStack(
                StackConfig.of(MacAddress.parse("52:54:00:00:00:02"), new Ipv4Cidr(SERVER_IP, 24), null));
        TestDhcpServer server = new TestDhcpServer(serverStack.bindUdp(67), SERVER_IP,
                Ipv4Address.parse("10.0.2.15"), 120);
        Simulator sim = new Simulator(T0).attach(client, link.a()).attach(serverStack, link.b());
        sim.runUntil(() -> {
            server.serve();
            return client.address().isPresent();
        }, Duration.ofSeconds(10));
        UdpSocket mine = client.bindUdp(4000);
        UdpSocket echo = serverStack.bindUdp(7);
        mine.send(SERVER_IP, 7, new byte[3500]);
        mine.send(SERVER_IP, 9, new byte[20]); // closed: port unreachable
        sim.runUntil(() -> {
            var d = echo.receive();
            if (d != null) {
                echo.send(d.source(), d.sourcePort(), d.payload());
            }
            return mine.receive() != null;
        }, Duration.ofSeconds(10));
        return recorded;
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] f = original.clone();
        if (f.length < 14 + 20) {
            return f;
        }
        switch (random.nextInt(5)) {
            case 0 -> f[random.nextInt(f.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> f = Arrays.copyOf(f, random.nextInt(f.length + 1));
            case 2 -> { // fragment offset and flags, IPv4 checksum kept right
                f[14 + 6] = (byte) random.nextInt(256);
                f[14 + 7] = (byte) random.nextInt(256);
                fixIpChecksum(f);
            }
            case 3 -> { // total length, checksum kept right
                f[14 + 2] = (byte) random.nextInt(256);
                f[14 + 3] = (byte) random.nextInt(256);
                fixIpChecksum(f);
            }
            default -> { // UDP body bytes with the UDP checksum zeroed: the DHCP parser sees them
                int udp = 14 + (f[14] & 0x0F) * 4;
                if (f[14 + 9] == 17 && f.length > udp + 8) {
                    f[udp + 6] = 0;
                    f[udp + 7] = 0;
                    for (int i = 0; i < 1 + random.nextInt(6); i++) {
                        f[udp + 8 + random.nextInt(f.length - udp - 8)] = (byte) random.nextInt(256);
                    }
                } else {
                    f[random.nextInt(f.length)] = (byte) random.nextInt(256);
                }
            }
        }
        return f;
    }

    private static void fixIpChecksum(byte[] f) {
        int headerLen = (f[14] & 0x0F) * 4;
        if (headerLen < 20 || 14 + headerLen > f.length) {
            return;
        }
        f[14 + 10] = 0;
        f[14 + 11] = 0;
        int sum = InternetChecksum.of(ByteBuffer.wrap(f), 14, headerLen);
        f[14 + 10] = (byte) (sum >>> 8);
        f[14 + 11] = (byte) sum;
    }
}
