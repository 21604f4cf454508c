package morgana.netstack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code parse(emit(repr)) == repr} for UDP, the ICMP errors, IPv4 fragment headers and DHCP, on edge cases and
 * then seeded random cases (as in {@link WireRoundTripTest}); and their parsers on arbitrary bytes.
 */
class UdpIcmpErrorFragmentDhcpRoundTripTest {

    private static final long SEED = 0x4D6F7267616E62L;
    private static final int TRIES = 1000;

    // ---- UDP

    static Stream<Arguments> udp() {
        Random r = new Random(SEED);
        List<Arguments> edges = new ArrayList<>();
        edges.add(Arguments.of(new UdpRepr(0, 1, new byte[0]), new Ipv4Address(0), new Ipv4Address(0)));
        edges.add(Arguments.of(new UdpRepr(0xFFFF, 0xFFFF, new byte[1]), new Ipv4Address(-1), new Ipv4Address(-1)));
        edges.add(Arguments.of(new UdpRepr(68, 67, new byte[UdpRepr.MAX_PAYLOAD]), new Ipv4Address(0),
                Ipv4Address.BROADCAST));
        return Stream.concat(edges.stream(), IntStream.range(0, TRIES).mapToObj(i -> Arguments.of(
                new UdpRepr(r.nextInt(0x10000), 1 + r.nextInt(0xFFFF), bytes(r, 600)),
                new Ipv4Address(r.nextInt()), new Ipv4Address(r.nextInt()))));
    }

    @ParameterizedTest
    @MethodSource("udp")
    void udpRoundTrips(UdpRepr repr, Ipv4Address src, Ipv4Address dst) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(UdpPacket.forWriting(buf), src, dst);

        UdpPacket p = UdpPacket.newChecked(buf);
        assertThat(UdpRepr.parse(p, src, dst)).isEqualTo(repr);
        assertThat(p.checksum()).as("an emitted checksum is never the 'none' value").isNotZero();
    }

    // ---- ICMP errors

    static Stream<Icmpv4Repr> icmpErrors() {
        Random r = new Random(SEED + 1);
        byte[] header = quote(r, 0);
        Stream<Icmpv4Repr> edges = Stream.of(
                Icmpv4Repr.DestinationUnreachable.portUnreachable(header),
                new Icmpv4Repr.DestinationUnreachable(Icmpv4Repr.CODE_FRAGMENTATION_NEEDED, 0xFFFF, quote(r, 8)),
                new Icmpv4Repr.DestinationUnreachable(Icmpv4Repr.CODE_FRAGMENTATION_NEEDED, 0, header),
                new Icmpv4Repr.DestinationUnreachable(255, 0, quote(r, Icmpv4Repr.MAX_QUOTE - 20)),
                new Icmpv4Repr.TimeExceeded(Icmpv4Repr.CODE_TTL_EXCEEDED, header),
                new Icmpv4Repr.TimeExceeded(Icmpv4Repr.CODE_REASSEMBLY_TIME_EXCEEDED, quote(r, 8)));
        return Stream.concat(edges, IntStream.range(0, TRIES).mapToObj(i -> {
            int code = r.nextInt(16);
            byte[] q = quote(r, r.nextInt(100));
            if (r.nextBoolean()) {
                return new Icmpv4Repr.TimeExceeded(code % 2, q);
            }
            int mtu = code == Icmpv4Repr.CODE_FRAGMENTATION_NEEDED ? r.nextInt(0x10000) : 0;
            return new Icmpv4Repr.DestinationUnreachable(code, mtu, q);
        }));
    }

    @ParameterizedTest
    @MethodSource("icmpErrors")
    void icmpErrorsRoundTrip(Icmpv4Repr repr) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(Icmpv4Packet.forWriting(buf));

        assertThat(Icmpv4Repr.parse(Icmpv4Packet.newChecked(buf))).isEqualTo(repr);
        assertThat(repr.isError()).isTrue();
    }

    // ---- IPv4 fragments

    static Stream<Ipv4Fragment> fragments() {
        Random r = new Random(SEED + 2);
        Stream<Ipv4Fragment> edges = Stream.of(
                new Ipv4Fragment(new Ipv4Address(0), new Ipv4Address(0), 0, 0, 0, true, 8, 0),
                new Ipv4Fragment(new Ipv4Address(-1), new Ipv4Address(-1), 255, 0xFFFF, 65528, false, 0, 255),
                new Ipv4Fragment(new Ipv4Address(1), new Ipv4Address(2), 17, 1, 1480, true, 1480, 64));
        return Stream.concat(edges, IntStream.range(0, TRIES).mapToObj(i -> new Ipv4Fragment(
                new Ipv4Address(r.nextInt()), new Ipv4Address(r.nextInt()), r.nextInt(256), r.nextInt(0x10000),
                8 * r.nextInt(8192), r.nextBoolean(), r.nextInt(1500), r.nextInt(256))));
    }

    @ParameterizedTest
    @MethodSource("fragments")
    void fragmentHeadersRoundTrip(Ipv4Fragment repr) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(Ipv4Packet.forWriting(buf));

        Ipv4Packet p = Ipv4Packet.newChecked(buf);
        assertThat(Ipv4Fragment.parse(p)).isEqualTo(repr);
        assertThat(p.dontFragment()).isFalse();
        assertThat(Ipv4Fragment.isFragment(p)).isEqualTo(repr.moreFragments() || repr.offset() != 0);
    }

    // ---- DHCP

    static Stream<DhcpRepr> dhcp() {
        Random r = new Random(SEED + 3);
        MacAddress mac = MacAddress.parse("52:54:00:12:34:56");
        Stream<DhcpRepr> edges = Stream.of(
                DhcpRepr.clientMessage(DhcpMessageType.DISCOVER, 0, 0, mac, Ipv4Address.ANY, Optional.empty(),
                        Optional.empty(), List.of(1, 3, 6)),
                DhcpRepr.clientMessage(DhcpMessageType.REQUEST, -1, 0xFFFF, mac, Ipv4Address.parse("10.0.2.15"),
                        Optional.of(Ipv4Address.parse("10.0.2.15")), Optional.of(Ipv4Address.parse("10.0.2.2")),
                        List.of()),
                new DhcpRepr(DhcpPacket.OP_REPLY, DhcpMessageType.ACK, 7, 0, false, Ipv4Address.ANY,
                        Ipv4Address.parse("10.0.2.15"), Ipv4Address.parse("10.0.2.2"), Ipv4Address.ANY, mac,
                        Optional.of(Ipv4Address.parse("10.0.2.2")), Optional.empty(),
                        Optional.of(Ipv4Address.parse("255.255.255.0")), List.of(Ipv4Address.parse("10.0.2.2")),
                        List.of(Ipv4Address.parse("10.0.2.3"), Ipv4Address.parse("1.1.1.1")), OptionalLong.of(0xFFFF_FFFFL),
                        OptionalLong.of(0), OptionalLong.of(1), List.of(), OptionalInt.of(576), Optional.of("m")));
        return Stream.concat(edges, IntStream.range(0, TRIES).mapToObj(i -> randomDhcp(r)));
    }

    @ParameterizedTest
    @MethodSource("dhcp")
    void dhcpRoundTrips(DhcpRepr repr) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(DhcpPacket.forWriting(buf));

        assertThat(DhcpRepr.parse(DhcpPacket.newChecked(buf))).isEqualTo(repr);
        assertThat(repr.bufferLen()).isGreaterThanOrEqualTo(DhcpPacket.MIN_LEN);
    }

    // ---- arbitrary bytes

    static Stream<Arguments> arbitraryBytes() {
        Random r = new Random(SEED + 4);
        List<Arguments> cases = new ArrayList<>();
        for (int length = 0; length <= 64; length++) {
            cases.add(Arguments.of(new byte[length]));
            byte[] ones = new byte[length];
            java.util.Arrays.fill(ones, (byte) 0xFF);
            cases.add(Arguments.of((Object) ones));
        }
        for (int i = 0; i < 2000; i++) {
            cases.add(Arguments.of((Object) bytes(r, 400)));
        }
        for (int i = 0; i < 1000; i++) {
            DhcpRepr d = randomDhcp(r);
            ByteBuffer buf = ByteBuffer.allocate(d.bufferLen());
            d.emit(DhcpPacket.forWriting(buf));
            byte[] b = buf.array();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                b[DhcpPacket.FIXED_LEN + r.nextInt(b.length - DhcpPacket.FIXED_LEN)] = (byte) r.nextInt(256);
            }
            cases.add(Arguments.of((Object) java.util.Arrays.copyOf(b, r.nextInt(b.length + 1))));
        }
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("arbitraryBytes")
    void newParsersOnlyReturnOrRefuse(byte[] bytes) {
        Ipv4Address a = new Ipv4Address(0x0A000001);
        quietly(() -> UdpRepr.parse(UdpPacket.newChecked(ByteBuffer.wrap(bytes)), a, a));
        quietly(() -> Icmpv4Repr.parse(Icmpv4Packet.newChecked(ByteBuffer.wrap(bytes))));
        quietly(() -> Ipv4Fragment.parse(Ipv4Packet.newChecked(ByteBuffer.wrap(bytes))));
        quietly(() -> DhcpRepr.parse(DhcpPacket.newChecked(ByteBuffer.wrap(bytes))));
    }

    interface Parse {
        Object run() throws WireFormatException;
    }

    private static void quietly(Parse parse) {
        try {
            assertThat(parse.run()).isNotNull();
        } catch (WireFormatException expected) {
            assertThat(expected.error()).isNotNull();
        }
    }

    // ---- generators

    private static byte[] bytes(Random r, int max) {
        byte[] b = new byte[r.nextInt(max + 1)];
        r.nextBytes(b);
        return b;
    }

    /** A 20-byte IPv4 header (version 4) followed by {@code extra} random bytes. */
    private static byte[] quote(Random r, int extra) {
        byte[] q = new byte[20 + extra];
        r.nextBytes(q);
        q[0] = 0x45;
        return q;
    }

    private static Optional<Ipv4Address> maybeAddress(Random r) {
        return r.nextBoolean() ? Optional.of(new Ipv4Address(r.nextInt())) : Optional.empty();
    }

    private static List<Ipv4Address> addresses(Random r) {
        List<Ipv4Address> out = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            out.add(new Ipv4Address(r.nextInt()));
        }
        return out;
    }

    private static OptionalLong maybeSeconds(Random r) {
        return r.nextBoolean() ? OptionalLong.of(r.nextLong(0x1_0000_0000L)) : OptionalLong.empty();
    }

    private static DhcpRepr randomDhcp(Random r) {
        DhcpMessageType[] types = DhcpMessageType.values();
        List<Integer> prl = new ArrayList<>();
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            prl.add(r.nextInt(256));
        }
        Optional<String> host = Optional.empty();
        if (r.nextBoolean()) {
            StringBuilder s = new StringBuilder();
            int len = 1 + r.nextInt(20);
            for (int i = 0; i < len; i++) {
                s.append((char) r.nextInt(256));
            }
            host = Optional.of(s.toString());
        }
        return new DhcpRepr(r.nextBoolean() ? DhcpPacket.OP_REQUEST : DhcpPacket.OP_REPLY,
                types[r.nextInt(types.length)], r.nextInt(), r.nextInt(0x10000), r.nextBoolean(),
                new Ipv4Address(r.nextInt()), new Ipv4Address(r.nextInt()), new Ipv4Address(r.nextInt()),
                new Ipv4Address(r.nextInt()), new MacAddress(r.nextLong(0x1_0000_0000_0000L)), maybeAddress(r),
                maybeAddress(r), maybeAddress(r), addresses(r), addresses(r), maybeSeconds(r), maybeSeconds(r),
                maybeSeconds(r), prl, r.nextBoolean() ? OptionalInt.of(576 + r.nextInt(0xFFFF - 575)) : OptionalInt.empty(),
                host);
    }
}
