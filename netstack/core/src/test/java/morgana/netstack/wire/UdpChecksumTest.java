package morgana.netstack.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class UdpChecksumTest {

    static final Ipv4Address SRC = Ipv4Address.parse("192.168.0.31");
    static final Ipv4Address DST = Ipv4Address.parse("192.168.0.30");

    /** Port 1 to 2, payload "hi", with the checksum RFC 768 defines (pseudo-header included) put in by hand. */
    @Test
    void parsesADatagramWithItsChecksumAndEmitsTheSameBytes() throws Exception {
        byte[] bytes = HexFormat.of().parseHex("0001000200" + "0a" + "0000" + "6869");
        long sum = InternetChecksum.pseudoHeaderSum(SRC, DST, 17, 10)
                + InternetChecksum.sum(ByteBuffer.wrap(bytes), 0, bytes.length);
        int checksum = InternetChecksum.finish(sum);
        bytes[6] = (byte) (checksum >>> 8);
        bytes[7] = (byte) checksum;

        UdpRepr repr = UdpRepr.parse(UdpPacket.newChecked(ByteBuffer.wrap(bytes)), SRC, DST);

        assertThat(repr).isEqualTo(new UdpRepr(1, 2, "hi".getBytes()));
        ByteBuffer out = ByteBuffer.allocate(repr.bufferLen());
        repr.emit(UdpPacket.forWriting(out), SRC, DST);
        assertThat(out.array()).isEqualTo(bytes);
    }

    @Test
    void acceptsAZeroChecksumAsNoneComputed() throws Exception {
        byte[] bytes = HexFormat.of().parseHex("0001000200" + "0a" + "0000" + "6869");

        assertThat(UdpRepr.parse(UdpPacket.newChecked(ByteBuffer.wrap(bytes)), SRC, DST).payload())
                .isEqualTo("hi".getBytes());
    }

    @Test
    void refusesAWrongChecksum() {
        byte[] bytes = HexFormat.of().parseHex("0001000200" + "0a" + "1234" + "6869");

        assertThatThrownBy(() -> UdpRepr.parse(UdpPacket.newChecked(ByteBuffer.wrap(bytes)), SRC, DST))
                .isInstanceOf(WireFormatException.class).hasMessage("UDP_BAD_CHECKSUM");
    }

    /** RFC 768: a computed checksum of 0 goes out as 0xFFFF, which verifies just as well (one's complement). */
    @Test
    void sendsAComputedZeroAsAllOnes() throws Exception {
        // Find a payload whose checksum computes to zero by fixing its last two bytes.
        byte[] payload = new byte[4];
        UdpRepr probe = new UdpRepr(1000, 2000, payload);
        ByteBuffer buf = ByteBuffer.allocate(probe.bufferLen());
        probe.emit(UdpPacket.forWriting(buf), SRC, DST);
        int c = buf.getShort(6) & 0xFFFF; // the checksum with payload bytes 2..3 zero
        payload[2] = (byte) (c >>> 8);
        payload[3] = (byte) c; // adding the checksum value into the sum makes it 0xFFFF, i.e. a checksum of 0
        UdpRepr zero = new UdpRepr(1000, 2000, payload);
        ByteBuffer out = ByteBuffer.allocate(zero.bufferLen());
        zero.emit(UdpPacket.forWriting(out), SRC, DST);

        assertThat(out.getShort(6) & 0xFFFF).isEqualTo(0xFFFF);
        assertThat(UdpRepr.parse(UdpPacket.newChecked(out), SRC, DST)).isEqualTo(zero);
    }

    @Test
    void refusesALengthFieldPastThePayloadOrBelowTheHeader() {
        assertThatThrownBy(() -> UdpPacket.newChecked(ByteBuffer.wrap(HexFormat.of().parseHex("000100020010000068"))))
                .hasMessage("UDP_BAD_LENGTH");
        assertThatThrownBy(() -> UdpPacket.newChecked(ByteBuffer.wrap(HexFormat.of().parseHex("0001000200070000"))))
                .hasMessage("UDP_BAD_LENGTH");
        assertThatThrownBy(() -> UdpPacket.newChecked(ByteBuffer.wrap(new byte[7]))).hasMessage("UDP_TRUNCATED");
    }

    @Test
    void endsTheDatagramAtItsLengthField() throws Exception {
        byte[] bytes = HexFormat.of().parseHex("0001000200" + "09" + "0000" + "68" + "69696969");

        assertThat(UdpRepr.parse(UdpPacket.newChecked(ByteBuffer.wrap(bytes)), SRC, DST).payload())
                .isEqualTo("h".getBytes());
    }

    /** The parser's contract: any bytes give a repr or a WireFormatException, also the largest length field. */
    @Test
    void parsesTheLargestLengthFieldTheHeaderCanHold() throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(0xFFFF);
        bytes.putShort(0, (short) 1).putShort(2, (short) 2).putShort(4, (short) 0xFFFF);

        assertThat(UdpRepr.parse(UdpPacket.newChecked(bytes), SRC, DST).payloadLength()).isEqualTo(0xFFFF - 8);
    }

    @Test
    void refusesDestinationPortZero() {
        byte[] bytes = HexFormat.of().parseHex("0001000000080000");

        assertThatThrownBy(() -> UdpRepr.parse(UdpPacket.newChecked(ByteBuffer.wrap(bytes)), SRC, DST))
                .hasMessage("UDP_BAD_PORT");
    }
}
