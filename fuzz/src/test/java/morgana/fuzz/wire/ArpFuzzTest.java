package morgana.fuzz.wire;

import static morgana.fuzz.ParserContract.value;
import static morgana.fuzz.ParserContract.valueOrRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import morgana.netstack.wire.ArpPacket;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.WireFormatException;
import org.junit.jupiter.api.Test;

/**
 * ARP (RFC 826). A checked view's accessors never fail (the wire package's contract); a parsed Ethernet/IPv4
 * request or reply emits exactly its 28 input bytes and parses back equal.
 */
class ArpFuzzTest {

    @FuzzTest
    void checkedViewsReadSafelyAndParsedPacketsRoundTrip(byte[] input) throws WireFormatException {
        Optional<ArpPacket> view = valueOrRefusal(input, WireFormatException.class,
                () -> ArpPacket.newChecked(ByteBuffer.wrap(input)));
        if (view.isEmpty()) {
            return;
        }
        ArpPacket p = view.get();
        value(input, () -> readEveryField(p));
        Optional<ArpRepr> repr = valueOrRefusal(input, WireFormatException.class, () -> ArpRepr.parse(p));
        if (repr.isEmpty()) {
            return;
        }
        byte[] emitted = new byte[repr.get().bufferLen()];
        repr.get().emit(ArpPacket.forWriting(ByteBuffer.wrap(emitted)));
        assertThat(emitted).isEqualTo(Arrays.copyOf(input, ArpPacket.ETHERNET_IPV4_LEN));
        assertThat(ArpRepr.parse(ArpPacket.newChecked(ByteBuffer.wrap(emitted)))).isEqualTo(repr.get());
    }

    /**
     * Finding of this target: {@code newChecked} accepts 8 bytes whose hardware and protocol lengths are 0, yet
     * the address accessors read 6- and 4-byte fields at those offsets and threw IndexOutOfBoundsException; it now
     * also requires room for those fields.
     * {@code ArpRepr.parse} checks the lengths first, so the stack itself is safe; the view's contract is not.
     */
    @Test
    void regressionArpViewWithZeroAddressLengthsIsRefused() {
        byte[] input = {0, 1, 8, 0, 0, 0, 0, 1};
        assertThat(valueOrRefusal(input, WireFormatException.class, () -> ArpPacket.newChecked(ByteBuffer.wrap(input))))
                .as("refused: too short for the addresses the accessors read").isEmpty();
    }

    private static Object readEveryField(ArpPacket p) {
        return Arrays.asList(p.hardwareType(), p.protocolType(), p.hardwareLength(), p.protocolLength(), p.operation(),
                p.senderHardwareAddress(), p.senderProtocolAddress(), p.targetHardwareAddress(),
                p.targetProtocolAddress());
    }
}
