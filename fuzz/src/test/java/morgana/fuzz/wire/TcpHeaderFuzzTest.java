package morgana.fuzz.wire;

import static morgana.fuzz.ParserContract.value;
import static morgana.fuzz.ParserContract.valueOrRefusal;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import morgana.fuzz.Frames;
import morgana.fuzz.Findings;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import morgana.netstack.wire.WireFormatException;
import org.junit.jupiter.api.Test;

/**
 * TCP headers and options (RFC 9293 §3.1-3.2, RFC 7323, RFC 2018): the shapes of Mirage's options-fuzzing
 * story ("Parsers Optional") are in the seed corpus. The checksum is repaired first when the first input byte
 * is even. A parsed segment keeps the bytes after the data offset as payload, and emits a segment that parses
 * back equal.
 */
class TcpHeaderFuzzTest {

    static final Ipv4Address SRC = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address DST = Ipv4Address.parse("10.0.0.2");

    @FuzzTest
    void segmentsWithAnyOptionsParseStrictlyAndRoundTrip(byte[] input) throws WireFormatException {
        byte[] segment = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        if (input.length > 0 && (input[0] & 1) == 0) {
            Frames.repairTransport(ByteBuffer.wrap(segment), Frames.TCP, SRC, DST);
        }
        Optional<TcpPacket> view = valueOrRefusal(input, WireFormatException.class,
                () -> TcpPacket.newChecked(ByteBuffer.wrap(segment)));
        if (view.isEmpty()) {
            return;
        }
        TcpPacket p = view.get();
        value(input, () -> java.util.List.of(p.sourcePort(), p.seqNumber(), p.ackNumber(), p.flags(), p.window(),
                p.urgentPointer(), p.options(), p.payload()));
        assertThat(p.headerLength()).isBetween(TcpPacket.MIN_HEADER_LEN, segment.length);
        Optional<TcpRepr> repr = valueOrRefusal(input, WireFormatException.class, () -> TcpRepr.parse(p, SRC, DST));
        if (repr.isEmpty()) {
            return;
        }
        TcpRepr r = repr.get();
        assertThat(r.payloadBytes()).isEqualTo(Arrays.copyOfRange(segment, p.headerLength(), segment.length));
        assertThat(r.sourcePort()).isNotZero();
        assertThat(r.destinationPort()).isNotZero();
        assertThat(r.sackBlocks()).hasSizeLessThanOrEqualTo(4);
        byte[] emitted = new byte[r.bufferLen()];
        r.emit(TcpPacket.forWriting(ByteBuffer.wrap(emitted)), SRC, DST);
        assertThat(TcpRepr.parse(TcpPacket.newChecked(ByteBuffer.wrap(emitted)), SRC, DST)).isEqualTo(r);
    }

    /**
     * Finding: 40 option bytes that are each valid (MSS 4, SACK-permitted 2, a SACK option of 4 blocks 34) take
     * 44 bytes in the layout {@code TcpRepr} emits (NOP padding), so its constructor threw
     * IllegalArgumentException from inside {@code TcpRepr.parse} (in the stack an INTERNAL_ERROR drop). Parsing
     * now keeps the SACK blocks that fit, first ones first (SACK is advisory, RFC 2018).
     */
    @Test
    void regressionOptionsPackedTighterThanOurLayoutParseAndRoundTrip() throws WireFormatException {
        segmentsWithAnyOptionsParseStrictlyAndRoundTrip(Findings.input("tcp-options-overflow-emitted-layout"));
    }

    /** The same finding with timestamps, window scale and three SACK blocks (39 bytes given, 44 emitted). */
    @Test
    void regressionTimestampsWindowScaleAndThreeSackBlocksParseAndRoundTrip() throws WireFormatException {
        segmentsWithAnyOptionsParseStrictlyAndRoundTrip(Findings.input("tcp-options-overflow-timestamps-sack3"));
    }

    /** The same finding as Jazzer found it on its own, 7 s into fuzzing (MSS, SACK-permitted, timestamps, SACK, window scale). */
    @Test
    void regressionJazzersTightlyPackedOptionsParseAndRoundTrip() throws WireFormatException {
        segmentsWithAnyOptionsParseStrictlyAndRoundTrip(Findings.input("tcp-options-overflow-found-by-jazzer"));
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
