package morgana.fuzz.wire;

import static morgana.fuzz.ParserContract.value;
import static morgana.fuzz.ParserContract.valueOrRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Optional;
import morgana.fuzz.Frames;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.UdpPacket;
import morgana.netstack.wire.UdpRepr;
import morgana.netstack.wire.WireFormatException;

/**
 * UDP (RFC 768). The checksum is repaired first when the first input byte is even (and left as given,
 * zero meaning none, when odd). The view ends at the length field; a parsed datagram round-trips.
 */
class UdpFuzzTest {

    static final Ipv4Address SRC = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address DST = Ipv4Address.parse("10.0.0.2");

    @FuzzTest
    void datagramsEndAtTheirLengthAndRoundTrip(byte[] input) throws WireFormatException {
        byte[] datagram = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
        if (input.length > 0 && (input[0] & 1) == 0) {
            Frames.repairTransport(ByteBuffer.wrap(datagram), Frames.UDP, SRC, DST);
        }
        Optional<UdpPacket> view = valueOrRefusal(input, WireFormatException.class,
                () -> UdpPacket.newChecked(ByteBuffer.wrap(datagram)));
        if (view.isEmpty()) {
            return;
        }
        UdpPacket p = view.get();
        value(input, () -> java.util.List.of(p.sourcePort(), p.destinationPort(), p.checksum(), p.payload()));
        assertThat(p.payload().remaining()).isEqualTo(p.length() - UdpPacket.HEADER_LEN);
        Optional<UdpRepr> repr = valueOrRefusal(input, WireFormatException.class, () -> UdpRepr.parse(p, SRC, DST));
        if (repr.isEmpty()) {
            return;
        }
        assertThat(repr.get().destinationPort()).isNotZero();
        byte[] emitted = new byte[repr.get().bufferLen()];
        repr.get().emit(UdpPacket.forWriting(ByteBuffer.wrap(emitted)), SRC, DST);
        UdpPacket again = UdpPacket.newChecked(ByteBuffer.wrap(emitted));
        assertThat(again.checksum()).as("an emitted datagram always carries a checksum").isNotZero();
        assertThat(UdpRepr.parse(again, SRC, DST)).isEqualTo(repr.get());
    }
}
