package morgana.fuzz.wire;

import static morgana.fuzz.ParserContract.value;
import static morgana.fuzz.ParserContract.valueOrRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Optional;
import morgana.netstack.wire.Ipv4Fragment;
import morgana.netstack.wire.Ipv4Packet;
import morgana.netstack.wire.Ipv4Repr;
import morgana.netstack.wire.WireFormatException;

/**
 * IPv4 headers (RFC 791 §3.1), whole datagrams and fragments. The header checksum is repaired first when the
 * first input byte is even, so that most inputs get past it to the length and fragment rules.
 */
class Ipv4FuzzTest {

    @FuzzTest
    void packetsAndFragmentsParseWithinTheirBytesAndRoundTrip(byte[] input) throws WireFormatException {
        byte[] packet = input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
        if (input.length > 0 && (input[0] & 1) == 0) {
            repairHeaderChecksum(packet);
        }
        Optional<Ipv4Packet> view = valueOrRefusal(input, WireFormatException.class,
                () -> Ipv4Packet.newChecked(ByteBuffer.wrap(packet)));
        if (view.isEmpty()) {
            return;
        }
        Ipv4Packet p = view.get();
        value(input, () -> java.util.List.of(p.identification(), p.dontFragment(), p.ttl(), p.protocol(),
                p.headerChecksum(), p.source(), p.destination(), p.bytes(), p.payload()));
        assertThat(p.headerLength()).isBetween(Ipv4Packet.MIN_HEADER_LEN, p.totalLength());
        assertThat(p.totalLength()).isLessThanOrEqualTo(packet.length);
        assertThat(p.payload().remaining()).isEqualTo(p.totalLength() - p.headerLength());

        Optional<Ipv4Fragment> fragment = valueOrRefusal(input, WireFormatException.class, () -> Ipv4Fragment.parse(p));
        if (fragment.isPresent()) {
            byte[] emitted = new byte[fragment.get().bufferLen()];
            fragment.get().emit(Ipv4Packet.forWriting(ByteBuffer.wrap(emitted)));
            assertThat(Ipv4Fragment.parse(Ipv4Packet.newChecked(ByteBuffer.wrap(emitted)))).isEqualTo(fragment.get());
            assertThat(Ipv4Fragment.isFragment(p)).isEqualTo(fragment.get().moreFragments() || fragment.get().offset() != 0);
        }
        Optional<Ipv4Repr> repr = valueOrRefusal(input, WireFormatException.class, () -> Ipv4Repr.parse(p));
        if (repr.isPresent()) {
            assertThat(Ipv4Fragment.isFragment(p)).isFalse();
            byte[] emitted = new byte[repr.get().bufferLen()];
            repr.get().emit(Ipv4Packet.forWriting(ByteBuffer.wrap(emitted)));
            assertThat(Ipv4Repr.parse(Ipv4Packet.newChecked(ByteBuffer.wrap(emitted)))).isEqualTo(repr.get());
        }
    }

    private static void repairHeaderChecksum(byte[] packet) {
        if (packet.length < 20) {
            return;
        }
        int ihl = (packet[0] & 0x0F) * 4;
        if (ihl >= 20 && ihl <= packet.length) {
            ByteBuffer b = ByteBuffer.wrap(packet);
            b.putShort(10, (short) 0);
            b.putShort(10, (short) morgana.netstack.wire.InternetChecksum.of(b, 0, ihl));
        }
    }
}
