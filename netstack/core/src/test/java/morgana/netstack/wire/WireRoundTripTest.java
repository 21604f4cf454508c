package morgana.netstack.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** For every Repr: {@code parse(emit(repr))} equals {@code repr}, and emit writes exactly {@code bufferLen} bytes. */
class WireRoundTripTest {

    @Provide
    Arbitrary<MacAddress> macs() {
        return Arbitraries.longs().between(0, 0xFFFF_FFFF_FFFFL).map(MacAddress::new);
    }

    @Provide
    Arbitrary<Ipv4Address> addresses() {
        return Arbitraries.integers().map(Ipv4Address::new);
    }

    @Provide
    Arbitrary<EthernetRepr> ethernet() {
        return Combinators.combine(macs(), macs(), Arbitraries.integers().between(0, 0xFFFF)).as(EthernetRepr::new);
    }

    @Property
    void ethernetRoundTrips(@ForAll("ethernet") EthernetRepr repr) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(EthernetFrame.forWriting(buf));

        assertThat(EthernetRepr.parse(EthernetFrame.newChecked(buf))).isEqualTo(repr);
    }

    @Provide
    Arbitrary<ArpRepr> arp() {
        return Combinators.combine(Arbitraries.of(ArpRepr.Operation.class), macs(), addresses(), macs(), addresses())
                .as(ArpRepr::new);
    }

    @Property
    void arpRoundTrips(@ForAll("arp") ArpRepr repr) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(ArpPacket.forWriting(buf));

        assertThat(ArpRepr.parse(ArpPacket.newChecked(buf))).isEqualTo(repr);
    }

    @Provide
    Arbitrary<Ipv4Repr> ipv4() {
        return Combinators.combine(addresses(), addresses(), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 1500), Arbitraries.integers().between(0, 255)).as(Ipv4Repr::new);
    }

    @Property
    void ipv4RoundTrips(@ForAll("ipv4") Ipv4Repr repr) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(Ipv4Packet.forWriting(buf));

        Ipv4Packet parsed = Ipv4Packet.newChecked(buf);
        assertThat(Ipv4Repr.parse(parsed)).isEqualTo(repr);
        assertThat(parsed.payload().remaining()).isEqualTo(repr.payloadLength());
    }

    @Provide
    Arbitrary<Icmpv4Repr> icmp() {
        Arbitrary<Integer> u16 = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.oneOf(
                Combinators.combine(u16, u16, data).as(Icmpv4Repr.EchoRequest::new),
                Combinators.combine(u16, u16, data).as(Icmpv4Repr.EchoReply::new));
    }

    @Property
    void icmpRoundTrips(@ForAll("icmp") Icmpv4Repr repr) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(Icmpv4Packet.forWriting(buf));

        assertThat(Icmpv4Repr.parse(Icmpv4Packet.newChecked(buf))).isEqualTo(repr);
    }

    @Provide
    Arbitrary<TcpRepr> tcp() {
        Arbitrary<Integer> port = Arbitraries.integers().between(1, 0xFFFF);
        Arbitrary<OptionalInt> mss = Arbitraries.integers().between(0, 0xFFFF).map(OptionalInt::of)
                .injectNull(0.3).map(o -> o == null ? OptionalInt.empty() : o);
        Arbitrary<OptionalInt> scale = Arbitraries.integers().between(0, 14).map(OptionalInt::of)
                .injectNull(0.5).map(o -> o == null ? OptionalInt.empty() : o);
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Combinators.combine(port, port, Arbitraries.integers(), Arbitraries.integers(),
                        Arbitraries.integers().between(0, 0xFF), Arbitraries.integers().between(0, 0xFFFF), mss, scale)
                .flatAs((src, dst, seq, ack, flags, window, m, w) ->
                        Combinators.combine(Arbitraries.of(true, false), payload).as((sack, data) ->
                                new TcpRepr(src, dst, seq, ack, flags, window, m, w, sack, data)));
    }

    @Property
    void tcpRoundTrips(@ForAll("tcp") TcpRepr repr, @ForAll("addresses") Ipv4Address src,
                       @ForAll("addresses") Ipv4Address dst) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(TcpPacket.forWriting(buf), src, dst);

        assertThat(TcpRepr.parse(TcpPacket.newChecked(buf), src, dst)).isEqualTo(repr);
        assertThat(repr.headerLen() % 4).isZero();
    }

    /** Whatever the bytes, the parsers either return or throw WireFormatException: never anything else. */
    @Property(tries = 2000)
    void parsersNeverFailOtherwiseOnArbitraryBytes(@ForAll byte[] bytes, @ForAll("addresses") Ipv4Address src,
                                                   @ForAll("addresses") Ipv4Address dst) {
        parseQuietly(() -> EthernetRepr.parse(EthernetFrame.newChecked(ByteBuffer.wrap(bytes))));
        parseQuietly(() -> ArpRepr.parse(ArpPacket.newChecked(ByteBuffer.wrap(bytes))));
        parseQuietly(() -> Ipv4Repr.parse(Ipv4Packet.newChecked(ByteBuffer.wrap(bytes))));
        parseQuietly(() -> Icmpv4Repr.parse(Icmpv4Packet.newChecked(ByteBuffer.wrap(bytes))));
        parseQuietly(() -> TcpRepr.parse(TcpPacket.newChecked(ByteBuffer.wrap(bytes)), src, dst));
        parseQuietly(() -> TcpOption.parseAll(ByteBuffer.wrap(bytes)));
    }

    /** Option areas of random bytes: parsing ends (no loop) with options or a TCP_BAD_OPTION_LENGTH. */
    @Property(tries = 2000)
    void optionParsingAlwaysTerminates(@ForAll byte[] options) {
        try {
            assertThat(TcpOption.parseAll(ByteBuffer.wrap(options)).size()).isLessThanOrEqualTo(options.length);
        } catch (WireFormatException e) {
            assertThat(e.error()).isEqualTo(WireError.TCP_BAD_OPTION_LENGTH);
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
}
