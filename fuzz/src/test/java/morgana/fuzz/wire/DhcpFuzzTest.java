package morgana.fuzz.wire;

import static morgana.fuzz.ParserContract.value;
import static morgana.fuzz.ParserContract.valueOrRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Optional;
import morgana.netstack.wire.DhcpPacket;
import morgana.netstack.wire.DhcpRepr;
import morgana.netstack.wire.WireFormatException;

/**
 * DHCP messages (RFC 2131 §2, options RFC 2132). Inputs shorter than the fixed part are padded out with a
 * valid Ethernet BOOTP request and the magic cookie, so the fuzzer spends its time in the options. A parsed
 * message emits {@code bufferLen()} bytes that parse back equal.
 */
class DhcpFuzzTest {

    @FuzzTest
    void messagesWithAnyOptionsParseStrictlyAndRoundTrip(byte[] input) throws WireFormatException {
        byte[] message = withFixedPart(input);
        Optional<DhcpPacket> view = valueOrRefusal(input, WireFormatException.class,
                () -> DhcpPacket.newChecked(ByteBuffer.wrap(message)));
        if (view.isEmpty()) {
            return;
        }
        DhcpPacket p = view.get();
        value(input, () -> java.util.List.of(p.op(), p.hops(), p.xid(), p.secs(), p.broadcast(), p.clientIp(),
                p.yourIp(), p.serverIp(), p.relayIp(), p.clientMac(), p.magicCookie(), p.options()));
        Optional<DhcpRepr> repr = valueOrRefusal(input, WireFormatException.class, () -> DhcpRepr.parse(p));
        if (repr.isEmpty()) {
            return;
        }
        byte[] emitted = new byte[repr.get().bufferLen()];
        repr.get().emit(DhcpPacket.forWriting(ByteBuffer.wrap(emitted)));
        assertThat(emitted.length).isGreaterThanOrEqualTo(DhcpPacket.MIN_LEN);
        assertThat(DhcpRepr.parse(DhcpPacket.newChecked(ByteBuffer.wrap(emitted)))).isEqualTo(repr.get());
    }

    /**
     * The first input byte chooses: odd, the input is the whole message as given; even, the rest of the input is
     * the options area behind a fixed BOOTP reply header and the cookie.
     */
    static byte[] withFixedPart(byte[] input) {
        if (input.length == 0 || (input[0] & 1) == 1) {
            return input.length == 0 ? input : java.util.Arrays.copyOfRange(input, 1, input.length);
        }
        ByteBuffer b = ByteBuffer.allocate(DhcpPacket.OPTIONS_OFFSET + input.length - 1);
        b.put(0, (byte) DhcpPacket.OP_REPLY).put(1, (byte) 1).put(2, (byte) 6).putInt(4, 0x3903F326);
        b.putInt(16, 0x0A000002).put(28, new byte[] {0x52, 0x54, 0, 0, 0, 2});
        b.putInt(DhcpPacket.FIXED_LEN, DhcpPacket.MAGIC_COOKIE);
        b.put(DhcpPacket.OPTIONS_OFFSET, input, 1, input.length - 1);
        return b.array();
    }
}
