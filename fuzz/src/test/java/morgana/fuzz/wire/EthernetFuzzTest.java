package morgana.fuzz.wire;

import static morgana.fuzz.ParserContract.valueOrRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import morgana.netstack.wire.EthernetFrame;
import morgana.netstack.wire.EthernetRepr;
import morgana.netstack.wire.WireError;
import morgana.netstack.wire.WireFormatException;

/** Ethernet II headers (IEEE 802.3 §3.2): any 14 bytes are a header, and they emit back unchanged. */
class EthernetFuzzTest {

    @FuzzTest
    void anyFourteenBytesAreAHeaderThatEmitsBackUnchanged(byte[] input) throws WireFormatException {
        Optional<EthernetFrame> frame = valueOrRefusal(input, WireFormatException.class,
                () -> EthernetFrame.newChecked(ByteBuffer.wrap(input)));
        if (frame.isEmpty()) {
            assertThat(input.length).isLessThan(EthernetFrame.HEADER_LEN);
            assertRefusedAs(input, WireError.ETHERNET_TRUNCATED);
            return;
        }
        EthernetRepr repr = EthernetRepr.parse(frame.get());
        assertThat(repr.type()).isNotNull();
        assertThat(frame.get().payload().remaining()).isEqualTo(input.length - EthernetFrame.HEADER_LEN);

        byte[] emitted = new byte[repr.bufferLen()];
        repr.emit(EthernetFrame.forWriting(ByteBuffer.wrap(emitted)));
        assertThat(emitted).isEqualTo(Arrays.copyOf(input, EthernetFrame.HEADER_LEN));
        assertThat(EthernetRepr.parse(EthernetFrame.newChecked(ByteBuffer.wrap(emitted)))).isEqualTo(repr);
    }

    static void assertRefusedAs(byte[] input, WireError expected) {
        try {
            EthernetFrame.newChecked(ByteBuffer.wrap(input));
        } catch (WireFormatException e) {
            assertThat(e.error()).isEqualTo(expected);
        }
    }
}
