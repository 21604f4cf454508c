package morgana.netstack.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.sim.Simulator;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpListener;
import morgana.netstack.tcp.TcpState;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;

/**
 * Records the frames of a real exchange, then feeds mutated copies (flipped bits, truncations, random
 * splices) to a fresh server: every one must end as processed or as a counted drop, never as an exception
 * and never as an {@link DropReason#INTERNAL_ERROR}.
 */
class NetworkStackFuzzTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Ipv4Address CLIENT_IP = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address SERVER_IP = Ipv4Address.parse("10.0.0.2");

    static NetworkStack stack(String mac, Ipv4Address ip) {
        return new NetworkStack(StackConfig.of(MacAddress.parse(mac), new Ipv4Cidr(ip, 24), null));
    }

    @Test
    void mutatedFramesAreProcessedOrCountedNeverThrown() {
        List<byte[]> recorded = new ArrayList<>();
        LinkPair link = new LinkPair();
        link.a().setTap(f -> {
            byte[] copy = new byte[f.remaining()];
            f.get(copy);
            recorded.add(copy);
        });
        NetworkStack client = stack("52:54:00:00:00:01", CLIENT_IP);
        NetworkStack server = stack("52:54:00:00:00:02", SERVER_IP);
        Simulator sim = new Simulator(T0).attach(client, link.a()).attach(server, link.b());
        TcpListener listener = server.listen(80);
        TcpConnection c = client.connect(SERVER_IP, 80);
        sim.runUntil(() -> c.state() == TcpState.ESTABLISHED, Duration.ofSeconds(10));
        c.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()));
        c.shutdownOutput();
        sim.runUntil(() -> false, Duration.ofSeconds(5));
        assertThat(recorded).hasSizeGreaterThanOrEqualTo(4);
        assertThat(listener.accept()).isNotNull();

        Random random = new Random(2026);
        LinkPair target = new LinkPair();
        NetworkStack victim = stack("52:54:00:00:00:02", SERVER_IP);
        victim.listen(80);
        Instant now = T0;
        int frames = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] frame = mutate(recorded.get(random.nextInt(recorded.size())), random);
            target.b().inject(frame);
            now = now.plusMillis(random.nextInt(500));
            victim.poll(now, target.b());
            while (target.a().takeReceived() != null) {
                frames++;
            }
            frames++;
        }

        assertThat(victim.stats().drops(DropReason.INTERNAL_ERROR))
                .as("%s", victim.lastInternalError()).isZero();
        assertThat(victim.stats().framesReceived()).isEqualTo(3000);
        assertThat(victim.stats().totalDrops()).isPositive();
        assertThat(frames).isGreaterThanOrEqualTo(3000);
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] f = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> f[random.nextInt(f.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> f = java.util.Arrays.copyOf(f, random.nextInt(f.length + 1));
            case 2 -> {
                for (int i = 0; i < 4; i++) {
                    f[14 + random.nextInt(f.length - 14)] = (byte) random.nextInt(256);
                }
            }
            default -> {
                // keep the checksums right but scramble the TCP options area, if any
                if (f.length > 14 + 20 + 20) {
                    int at = 14 + 20 + 20;
                    f[14 + 20 + 12] = (byte) (((random.nextInt(16)) << 4));
                    for (int i = at; i < f.length && i < at + 20; i++) {
                        f[i] = (byte) random.nextInt(256);
                    }
                }
            }
        }
        return f;
    }
}
