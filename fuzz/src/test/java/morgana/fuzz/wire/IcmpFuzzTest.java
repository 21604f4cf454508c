package morgana.fuzz.wire;

import static morgana.fuzz.ParserContract.value;
import static morgana.fuzz.ParserContract.valueOrRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Optional;
import morgana.fuzz.Frames;
import morgana.netstack.wire.Icmpv4Packet;
import morgana.netstack.wire.Icmpv4Repr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.WireFormatException;

/**
 * ICMPv4 (RFC 792): echo messages and the two errors a host handles. The checksum is repaired first when the
 * first input byte is even. A parsed message emits and parses back equal; an error always quotes at least
 * an IPv4 header (RFC 1122 §3.2.2).
 */
class IcmpFuzzTest {

    @FuzzTest
    void messagesRoundTripAndErrorsQuoteAnIpv4Header(byte[] input) throws WireFormatException {
        byte[] message = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
        if (input.length > 0 && (input[0] & 1) == 0) {
            Frames.repairTransport(ByteBuffer.wrap(message), Frames.ICMP, Ipv4Address.ANY, Ipv4Address.ANY);
        }
        Optional<Icmpv4Packet> view = valueOrRefusal(input, WireFormatException.class,
                () -> Icmpv4Packet.newChecked(ByteBuffer.wrap(message)));
        if (view.isEmpty()) {
            return;
        }
        Icmpv4Packet p = view.get();
        value(input, () -> java.util.List.of(p.type(), p.code(), p.echoIdentifier(), p.echoSequence(),
                p.restOfHeader(), p.data()));
        Optional<Icmpv4Repr> repr = valueOrRefusal(input, WireFormatException.class, () -> Icmpv4Repr.parse(p));
        if (repr.isEmpty()) {
            return;
        }
        if (repr.get().isError()) {
            assertThat(repr.get().data().length).isGreaterThanOrEqualTo(20);
            assertThat(repr.get().data()[0] & 0xF0).isEqualTo(0x40);
        }
        byte[] emitted = new byte[repr.get().bufferLen()];
        repr.get().emit(Icmpv4Packet.forWriting(ByteBuffer.wrap(emitted)));
        assertThat(Icmpv4Repr.parse(Icmpv4Packet.newChecked(ByteBuffer.wrap(emitted)))).isEqualTo(repr.get());
    }
}
