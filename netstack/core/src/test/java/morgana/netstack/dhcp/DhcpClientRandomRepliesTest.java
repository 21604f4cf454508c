package morgana.netstack.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.LongStream;
import morgana.netstack.wire.DhcpMessageType;
import morgana.netstack.wire.DhcpPacket;
import morgana.netstack.wire.DhcpRepr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client against a chaotic server: replies of random types, xids right or wrong, from one of two servers,
 * with random lease times, at random moments. Whatever comes, it never throws, holds a lease exactly in the
 * leased states, tells its listener about every change, and always knows when it next needs a poll.
 */
class DhcpClientRandomRepliesTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void survivesAnyReplySequence(long seed) {
        Random r = new Random(seed);
        List<DhcpRepr> sent = new ArrayList<>();
        boolean[] bound = {false};
        DhcpClient client = new DhcpClient(MAC, seed, new DhcpClient.Listener() {
            @Override
            public void bound(DhcpLease lease) {
                bound[0] = true;
            }

            @Override
            public void unbound() {
                assertThat(bound[0]).as("unbound only after bound").isTrue();
                bound[0] = false;
            }
        });
        Instant now = T0;
        for (int step = 0; step < 200; step++) {
            if (r.nextInt(3) == 0) {
                Optional<Instant> at = client.pollAt();
                now = at.isPresent() && at.get().isAfter(now) && r.nextBoolean() ? at.get()
                        : now.plusMillis(r.nextInt(100_000));
                client.poll(now, (src, dst, m) -> sent.add(m));
            } else {
                int xid = sent.isEmpty() || r.nextInt(5) == 0 ? r.nextInt() : sent.getLast().xid();
                client.process(now, randomReply(r, xid));
            }
            boolean leased = switch (client.state()) {
                case BOUND, RENEWING, REBINDING -> true;
                default -> false;
            };
            assertThat(client.lease().isPresent()).isEqualTo(leased).isEqualTo(bound[0]);
            if (client.state() != DhcpState.BOUND) {
                assertThat(client.pollAt()).isPresent();
            }
        }
    }

    private static DhcpRepr randomReply(Random r, int xid) {
        DhcpMessageType[] types = DhcpMessageType.values();
        Ipv4Address server = Ipv4Address.parse(r.nextBoolean() ? "10.0.0.1" : "10.0.0.2");
        Ipv4Address yours = r.nextInt(10) == 0 ? new Ipv4Address(r.nextInt()) : Ipv4Address.parse("10.0.0.50");
        OptionalLong lease = r.nextInt(4) == 0 ? OptionalLong.empty()
                : OptionalLong.of(r.nextInt(10) == 0 ? 0xFFFF_FFFFL : r.nextInt(10) == 0 ? 0 : r.nextInt(1000));
        OptionalLong t1 = r.nextBoolean() ? OptionalLong.empty() : OptionalLong.of(r.nextInt(2000));
        OptionalLong t2 = r.nextBoolean() ? OptionalLong.empty() : OptionalLong.of(r.nextInt(2000));
        Optional<Ipv4Address> mask = r.nextBoolean() ? Optional.empty() : Optional.of(new Ipv4Address(r.nextInt()));
        return new DhcpRepr(r.nextInt(8) == 0 ? DhcpPacket.OP_REQUEST : DhcpPacket.OP_REPLY,
                types[r.nextInt(types.length)], xid, 0, true, Ipv4Address.ANY, yours, Ipv4Address.ANY,
                Ipv4Address.ANY, r.nextInt(10) == 0 ? MacAddress.BROADCAST : MAC,
                r.nextInt(6) == 0 ? Optional.empty() : Optional.of(server), Optional.empty(), mask,
                r.nextBoolean() ? List.of(server) : List.of(new Ipv4Address(r.nextInt())), List.of(), lease, t1, t2,
                List.of(), OptionalInt.empty(), Optional.empty());
    }
}
