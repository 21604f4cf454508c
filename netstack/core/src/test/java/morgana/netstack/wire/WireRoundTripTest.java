package morgana.netstack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every Repr: {@code parse(emit(repr))} equals {@code repr}, and emit writes exactly {@code bufferLen} bytes.
 *
 * <p>Each property runs on its edge cases and then on cases drawn from a {@link Random} with a fixed seed, so
 * a failing case index names the same case on every run.
 */
class WireRoundTripTest {

    private static final long SEED = 0x4D6F7267616E61L; // "Morgana"
    private static final int TRIES = 1000;
    private static final int BYTE_TRIES = 2000;
    /** The longest random byte array, as a generated {@code byte[]} was before. */
    private static final int MAX_BYTES = 255;

    private static final long MAX_MAC = 0xFFFF_FFFF_FFFFL;
    private static final int[] EDGE_INTS = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE};

    // ---- Ethernet

    static Stream<EthernetRepr> ethernet() {
        Random r = new Random(SEED);
        Stream<EthernetRepr> edges = Stream.of(
                new EthernetRepr(new MacAddress(0), new MacAddress(0), 0),
                new EthernetRepr(new MacAddress(MAX_MAC), new MacAddress(MAX_MAC), 0xFFFF),
                new EthernetRepr(new MacAddress(1), new MacAddress(MAX_MAC - 1), 0x0800),
                new EthernetRepr(new MacAddress(MAX_MAC), new MacAddress(0), 0x0806));
        return Stream.concat(edges, IntStream.range(0, TRIES).mapToObj(i -> randomEthernet(r)));
    }

    @ParameterizedTest
    @MethodSource("ethernet")
    void ethernetRoundTrips(EthernetRepr repr) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(EthernetFrame.forWriting(buf));

        assertThat(EthernetRepr.parse(EthernetFrame.newChecked(buf))).isEqualTo(repr);
    }

    // ---- ARP

    static Stream<ArpRepr> arp() {
        Random r = new Random(SEED + 1);
        List<ArpRepr> edges = new ArrayList<>();
        for (ArpRepr.Operation op : ArpRepr.Operation.values()) {
            edges.add(new ArpRepr(op, new MacAddress(0), new Ipv4Address(0), new MacAddress(0), new Ipv4Address(0)));
            edges.add(new ArpRepr(op, new MacAddress(MAX_MAC), new Ipv4Address(-1), new MacAddress(MAX_MAC),
                    new Ipv4Address(-1)));
            edges.add(new ArpRepr(op, new MacAddress(1), new Ipv4Address(Integer.MIN_VALUE), new MacAddress(MAX_MAC),
                    new Ipv4Address(Integer.MAX_VALUE)));
        }
        return Stream.concat(edges.stream(), IntStream.range(0, TRIES).mapToObj(i -> randomArp(r)));
    }

    @ParameterizedTest
    @MethodSource("arp")
    void arpRoundTrips(ArpRepr repr) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(ArpPacket.forWriting(buf));

        assertThat(ArpRepr.parse(ArpPacket.newChecked(buf))).isEqualTo(repr);
    }

    // ---- IPv4

    static Stream<Ipv4Repr> ipv4() {
        Random r = new Random(SEED + 2);
        Stream<Ipv4Repr> edges = Stream.of(
                new Ipv4Repr(new Ipv4Address(0), new Ipv4Address(0), 0, 0, 0),
                new Ipv4Repr(new Ipv4Address(-1), new Ipv4Address(-1), 255, 1500, 255),
                new Ipv4Repr(new Ipv4Address(Integer.MIN_VALUE), new Ipv4Address(Integer.MAX_VALUE), 6, 1, 1),
                new Ipv4Repr(new Ipv4Address(1), new Ipv4Address(-1), 1, 1499, 64));
        return Stream.concat(edges, IntStream.range(0, TRIES).mapToObj(i -> randomIpv4(r)));
    }

    @ParameterizedTest
    @MethodSource("ipv4")
    void ipv4RoundTrips(Ipv4Repr repr) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(Ipv4Packet.forWriting(buf));

        Ipv4Packet parsed = Ipv4Packet.newChecked(buf);
        assertThat(Ipv4Repr.parse(parsed)).isEqualTo(repr);
        assertThat(parsed.payload().remaining()).isEqualTo(repr.payloadLength());
    }

    // ---- ICMPv4

    static Stream<Icmpv4Repr> icmp() {
        Random r = new Random(SEED + 3);
        byte[] full = new byte[200];
        Arrays.fill(full, (byte) 0xFF);
        Stream<Icmpv4Repr> edges = Stream.of(
                new Icmpv4Repr.EchoRequest(0, 0, new byte[0]),
                new Icmpv4Repr.EchoReply(0, 0, new byte[0]),
                new Icmpv4Repr.EchoRequest(0xFFFF, 0xFFFF, full),
                new Icmpv4Repr.EchoReply(0xFFFF, 0xFFFF, full),
                new Icmpv4Repr.EchoRequest(1, 0xFFFF, new byte[1]),
                new Icmpv4Repr.EchoReply(0xFFFF, 1, new byte[] {(byte) 0xFF}));
        return Stream.concat(edges, IntStream.range(0, TRIES).mapToObj(i -> randomIcmp(r)));
    }

    @ParameterizedTest
    @MethodSource("icmp")
    void icmpRoundTrips(Icmpv4Repr repr) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(Icmpv4Packet.forWriting(buf));

        assertThat(Icmpv4Repr.parse(Icmpv4Packet.newChecked(buf))).isEqualTo(repr);
    }

    // ---- TCP

    static Stream<Arguments> tcp() {
        Random r = new Random(SEED + 4);
        List<Arguments> edges = new ArrayList<>();
        byte[] fullPayload = new byte[300];
        Arrays.fill(fullPayload, (byte) 0xFF);
        for (int seq : EDGE_INTS) {
            edges.add(Arguments.of(new TcpRepr(1, 1, seq, seq, 0, 0, OptionalInt.empty(), OptionalInt.empty(), false,
                    new byte[0]), new Ipv4Address(0), new Ipv4Address(0)));
            edges.add(Arguments.of(new TcpRepr(0xFFFF, 0xFFFF, seq, ~seq, 0xFF, 0xFFFF, OptionalInt.of(0xFFFF),
                    OptionalInt.of(14), true, fullPayload), new Ipv4Address(-1), new Ipv4Address(-1)));
        }
        edges.add(Arguments.of(new TcpRepr(1, 0xFFFF, 0, 0, 0x02, 0xFFFF, OptionalInt.of(0), OptionalInt.of(0), true,
                new byte[0]), new Ipv4Address(Integer.MIN_VALUE), new Ipv4Address(Integer.MAX_VALUE)));
        edges.add(Arguments.of(new TcpRepr(0xFFFF, 1, -1, -1, 0x12, 0, OptionalInt.empty(), OptionalInt.of(14), false,
                new byte[1]), new Ipv4Address(1), new Ipv4Address(-1)));
        edges.add(Arguments.of(new TcpRepr(80, 443, 1, 1, 0x10, 1, OptionalInt.of(0xFFFF), OptionalInt.empty(), true,
                new byte[] {(byte) 0xFF}), new Ipv4Address(0x0A00020F), new Ipv4Address(0x0A000202)));
        return Stream.concat(edges.stream(), IntStream.range(0, TRIES)
                .mapToObj(i -> Arguments.of(randomTcp(r), randomAddress(r), randomAddress(r))));
    }

    @ParameterizedTest
    @MethodSource("tcp")
    void tcpRoundTrips(TcpRepr repr, Ipv4Address src, Ipv4Address dst) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(TcpPacket.forWriting(buf), src, dst);

        assertThat(TcpRepr.parse(TcpPacket.newChecked(buf), src, dst)).isEqualTo(repr);
        assertThat(repr.headerLen() % 4).isZero();
    }

    // ---- Arbitrary bytes

    /**
     * Edge arrays (empty, every length up to the longest header plus options, all zeros and all ones), then
     * random arrays, then valid packets of every kind with a few bytes flipped, cut or added.
     */
    static Stream<Arguments> arbitraryBytes() {
        Random r = new Random(SEED + 5);
        List<Arguments> cases = new ArrayList<>();
        for (int length = 0; length <= 80; length++) {
            byte[] zeros = new byte[length];
            byte[] ones = new byte[length];
            Arrays.fill(ones, (byte) 0xFF);
            cases.add(Arguments.of(zeros, new Ipv4Address(0), new Ipv4Address(0)));
            cases.add(Arguments.of(ones, new Ipv4Address(-1), new Ipv4Address(-1)));
        }
        cases.add(Arguments.of(new byte[MAX_BYTES], new Ipv4Address(0), new Ipv4Address(-1)));
        for (int i = 0; i < BYTE_TRIES; i++) {
            cases.add(Arguments.of(randomBytes(r, MAX_BYTES), randomAddress(r), randomAddress(r)));
        }
        for (int i = 0; i < BYTE_TRIES / 2; i++) {
            Ipv4Address src = randomAddress(r);
            Ipv4Address dst = randomAddress(r);
            cases.add(Arguments.of(mutate(r, randomValidPacket(r, src, dst)), src, dst));
        }
        return cases.stream();
    }

    /** Whatever the bytes, the parsers either return or throw WireFormatException: never anything else. */
    @ParameterizedTest
    @MethodSource("arbitraryBytes")
    void parsersNeverFailOtherwiseOnArbitraryBytes(byte[] bytes, Ipv4Address src, Ipv4Address dst) {
        parseQuietly(() -> EthernetRepr.parse(EthernetFrame.newChecked(ByteBuffer.wrap(bytes))));
        parseQuietly(() -> ArpRepr.parse(ArpPacket.newChecked(ByteBuffer.wrap(bytes))));
        parseQuietly(() -> Ipv4Repr.parse(Ipv4Packet.newChecked(ByteBuffer.wrap(bytes))));
        parseQuietly(() -> Icmpv4Repr.parse(Icmpv4Packet.newChecked(ByteBuffer.wrap(bytes))));
        parseQuietly(() -> TcpRepr.parse(TcpPacket.newChecked(ByteBuffer.wrap(bytes)), src, dst));
        parseQuietly(() -> TcpOption.parseAll(ByteBuffer.wrap(bytes)));
    }

    /**
     * Edge option areas (empty, known and unknown kinds alone, length bytes 0, 1 and past the end), random bytes, and random
     * sequences of well-formed and malformed options.
     */
    static Stream<byte[]> optionAreas() {
        Random r = new Random(SEED + 6);
        List<byte[]> cases = new ArrayList<>();
        cases.add(new byte[0]);
        for (int kind : new int[] {0, 1, 2, 3, 4, 5, 8, 9, 30, 254, 255}) {
            cases.add(new byte[] {(byte) kind});
            for (int length : new int[] {0, 1, 2, 3, 4, 10, 255}) {
                cases.add(new byte[] {(byte) kind, (byte) length});
                cases.add(new byte[] {(byte) kind, (byte) length, 0, 0});
            }
        }
        byte[] ones = new byte[MAX_BYTES];
        Arrays.fill(ones, (byte) 0xFF);
        cases.add(ones);
        cases.add(new byte[MAX_BYTES]);
        for (int i = 0; i < BYTE_TRIES; i++) {
            cases.add(randomBytes(r, MAX_BYTES));
        }
        for (int i = 0; i < BYTE_TRIES / 2; i++) {
            cases.add(randomOptionSequence(r));
        }
        return cases.stream();
    }

    /** Option areas of random bytes: parsing ends (no loop) with options or a bad length or SACK shape. */
    @ParameterizedTest
    @MethodSource("optionAreas")
    @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void optionParsingAlwaysTerminates(byte[] options) {
        try {
            assertThat(TcpOption.parseAll(ByteBuffer.wrap(options)).size()).isLessThanOrEqualTo(options.length);
        } catch (WireFormatException e) {
            assertThat(e.error()).isIn(WireError.TCP_BAD_OPTION_LENGTH, WireError.TCP_BAD_SACK_OPTION);
        }
    }

    interface Parse {
        Object run() throws WireFormatException;
    }

    private static void parseQuietly(Parse parse) {
        try {
            assertThat(parse.run()).isNotNull();
        } catch (WireFormatException expected) {
            assertThat(expected.error()).isNotNull();
        }
    }

    // ---- Generators

    private static int between(Random r, int min, int max) {
        return min + r.nextInt(max - min + 1);
    }

    private static MacAddress randomMac(Random r) {
        return new MacAddress(r.nextLong(MAX_MAC + 1));
    }

    private static Ipv4Address randomAddress(Random r) {
        return new Ipv4Address(r.nextInt());
    }

    /** A random length from 0 to {@code maxLength}, then random bytes. */
    private static byte[] randomBytes(Random r, int maxLength) {
        byte[] bytes = new byte[r.nextInt(maxLength + 1)];
        r.nextBytes(bytes);
        return bytes;
    }

    private static EthernetRepr randomEthernet(Random r) {
        return new EthernetRepr(randomMac(r), randomMac(r), between(r, 0, 0xFFFF));
    }

    private static ArpRepr randomArp(Random r) {
        ArpRepr.Operation[] operations = ArpRepr.Operation.values();
        return new ArpRepr(operations[r.nextInt(operations.length)], randomMac(r), randomAddress(r), randomMac(r),
                randomAddress(r));
    }

    private static Ipv4Repr randomIpv4(Random r) {
        return new Ipv4Repr(randomAddress(r), randomAddress(r), between(r, 0, 255), between(r, 0, 1500),
                between(r, 0, 255));
    }

    private static Icmpv4Repr randomIcmp(Random r) {
        int identifier = between(r, 0, 0xFFFF);
        int sequence = between(r, 0, 0xFFFF);
        byte[] data = randomBytes(r, 200);
        return r.nextBoolean()
                ? new Icmpv4Repr.EchoRequest(identifier, sequence, data)
                : new Icmpv4Repr.EchoReply(identifier, sequence, data);
    }

    private static TcpRepr randomTcp(Random r) {
        // An MSS is present 70% of the time, a window scale half the time.
        OptionalInt mss = r.nextInt(10) < 3 ? OptionalInt.empty() : OptionalInt.of(between(r, 0, 0xFFFF));
        OptionalInt scale = r.nextBoolean() ? OptionalInt.empty() : OptionalInt.of(between(r, 0, 14));
        // Timestamps half the time, then as many SACK blocks (0 to 4) as still fit in 40 bytes of options.
        java.util.Optional<TcpOption.Timestamps> timestamps = r.nextBoolean() ? java.util.Optional.empty()
                : java.util.Optional.of(new TcpOption.Timestamps(r.nextInt() & 0xFFFF_FFFFL, r.nextInt() & 0xFFFF_FFFFL));
        boolean sackOk = r.nextBoolean();
        List<TcpOption.SackBlock> blocks = new ArrayList<>();
        for (int n = r.nextInt(5); n > 0; n--) {
            blocks.add(new TcpOption.SackBlock(r.nextInt(), r.nextInt()));
        }
        int ports = between(r, 1, 0xFFFF);
        while (true) {
            try {
                return new TcpRepr(ports, between(r, 1, 0xFFFF), r.nextInt(), r.nextInt(), between(r, 0, 0xFF),
                        between(r, 0, 0xFFFF), mss, scale, sackOk, timestamps, blocks, randomBytes(r, 300));
            } catch (IllegalArgumentException tooManyOptions) {
                blocks.removeLast();
            }
        }
    }

    /** A correctly emitted packet of a random kind: the parsers' checks pass, so mutations reach deeper code. */
    private static byte[] randomValidPacket(Random r, Ipv4Address src, Ipv4Address dst) {
        ByteBuffer buf;
        switch (r.nextInt(5)) {
            case 0 -> {
                EthernetRepr repr = randomEthernet(r);
                buf = ByteBuffer.allocate(repr.bufferLen());
                repr.emit(EthernetFrame.forWriting(buf));
            }
            case 1 -> {
                ArpRepr repr = randomArp(r);
                buf = ByteBuffer.allocate(repr.bufferLen());
                repr.emit(ArpPacket.forWriting(buf));
            }
            case 2 -> {
                Ipv4Repr repr = randomIpv4(r);
                buf = ByteBuffer.allocate(repr.bufferLen());
                repr.emit(Ipv4Packet.forWriting(buf));
            }
            case 3 -> {
                Icmpv4Repr repr = randomIcmp(r);
                buf = ByteBuffer.allocate(repr.bufferLen());
                repr.emit(Icmpv4Packet.forWriting(buf));
            }
            default -> {
                TcpRepr repr = randomTcp(r);
                buf = ByteBuffer.allocate(repr.bufferLen());
                repr.emit(TcpPacket.forWriting(buf), src, dst);
            }
        }
        return buf.array();
    }

    /** None to three random changes: flip a byte, cut the end off, or append random bytes. */
    private static byte[] mutate(Random r, byte[] packet) {
        byte[] bytes = packet;
        int changes = r.nextInt(4);
        for (int i = 0; i < changes; i++) {
            switch (r.nextInt(3)) {
                case 0 -> {
                    if (bytes.length > 0) {
                        bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
                    }
                }
                case 1 -> bytes = Arrays.copyOf(bytes, r.nextInt(bytes.length + 1));
                default -> {
                    int old = bytes.length;
                    bytes = Arrays.copyOf(bytes, old + 1 + r.nextInt(16));
                    for (int j = old; j < bytes.length; j++) {
                        bytes[j] = (byte) r.nextInt(256);
                    }
                }
            }
        }
        return bytes;
    }

    /**
     * Up to ten options of the kinds TCP knows (end, no-op, MSS, window scale, SACK-permitted, SACK, timestamps)
     * or an unknown kind, each with its proper length or, one time in five, a random length byte.
     */
    private static byte[] randomOptionSequence(Random r) {
        int[] kinds = {0, 1, 2, 3, 4, 5, 8, 30, 254};
        int[] properLengths = {1, 1, 4, 3, 2, 10, 10, 6, 4};
        var out = new ByteArrayOutputStream();
        int count = r.nextInt(11);
        for (int i = 0; i < count; i++) {
            int which = r.nextInt(kinds.length);
            int kind = kinds[which];
            out.write(kind);
            if (kind <= 1) {
                continue;
            }
            int length = r.nextInt(5) == 0 ? r.nextInt(256) : properLengths[which];
            out.write(length);
            int bodyLength = Math.min(Math.max(length - 2, 0), r.nextInt(5) == 0 ? r.nextInt(12) : 64);
            for (int j = 0; j < bodyLength; j++) {
                out.write(r.nextInt(256));
            }
        }
        return out.toByteArray();
    }
}
