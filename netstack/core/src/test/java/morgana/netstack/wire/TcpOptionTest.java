package morgana.netstack.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TcpOptionTest {

    static ByteBuffer bytes(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.flip();
    }

    static void assertBadLength(ByteBuffer options) {
        assertRefused(options, WireError.TCP_BAD_OPTION_LENGTH);
    }

    static void assertBadSack(ByteBuffer options) {
        assertRefused(options, WireError.TCP_BAD_SACK_OPTION);
    }

    static void assertRefused(ByteBuffer options, WireError error) {
        assertThatThrownBy(() -> TcpOption.parseAll(options))
                .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void parsesTheOptionsOfATypicalSyn() throws Exception {
        // MSS 1460, SACK-permitted, timestamps, NOP, window scale 7
        var options = TcpOption.parseAll(bytes(2, 4, 0x05, 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7));

        assertThat(options).containsExactly(new TcpOption.MaxSegmentSize(1460), new TcpOption.SackPermitted(),
                new TcpOption.Timestamps(1, 0), new TcpOption.NoOperation(), new TcpOption.WindowScale(7));
    }

    @Test
    void stopsAtEndOfList() throws Exception {
        assertThat(TcpOption.parseAll(bytes(1, 0, 2, 0))).containsExactly(new TcpOption.NoOperation(),
                new TcpOption.EndOfList());
    }

    @Test
    void skipsUnknownKindsByTheirLength() throws Exception {
        assertThat(TcpOption.parseAll(bytes(30, 4, 9, 9, 1, 1, 1, 1)))
                .startsWith(new TcpOption.Unknown(30, 4)).hasSize(5);
    }

    @Test
    void rejectsMssOptionWithLengthZero() {
        assertBadLength(bytes(2, 0, 0, 0));
    }

    @Test
    void rejectsMssOptionWithLengthOne() {
        assertBadLength(bytes(2, 1, 0, 0));
    }

    @Test
    void rejectsUnknownOptionWithLengthZeroInsteadOfLooping() {
        assertBadLength(bytes(99, 0, 1, 1));
    }

    @Test
    void rejectsOptionLengthPastTheHeader() {
        assertBadLength(bytes(2, 8, 5, 0xB4));
    }

    @Test
    void rejectsAKindWithNoRoomForItsLength() {
        assertBadLength(bytes(1, 1, 1, 2));
    }

    @Test
    void rejectsKnownKindsWithTheWrongLength() {
        assertBadLength(bytes(2, 3, 5, 1));
        assertBadLength(bytes(3, 4, 7, 0));
        assertBadLength(bytes(4, 3, 0, 1));
        assertBadLength(bytes(8, 6, 0, 0, 0, 0, 1, 1));
    }

    @Test
    void parsesSackBlocks() throws Exception {
        var options = TcpOption.parseAll(bytes(1, 1, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0, 0, 5));

        assertThat(options).contains(new TcpOption.Sack(java.util.List.of(new TcpOption.SackBlock(10, 20),
                new TcpOption.SackBlock(0xFFFFFFF0, 5))));
    }

    @Test
    void rejectsASackOptionWithoutBlocks() {
        assertBadSack(bytes(5, 2, 1, 1));
    }

    @Test
    void rejectsASackOptionWhoseBlocksDoNotFitItsLength() {
        assertBadSack(bytes(5, 9, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0));
        assertBadSack(bytes(5, 13, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0));
    }

    @Test
    void rejectsASackOptionWithMoreBlocksThanAHeaderHolds() {
        int[] option = new int[2 + 5 * 8];
        option[0] = 5;
        option[1] = option.length;
        assertBadSack(bytes(option));
    }

    @Test
    void rejectsASackOptionRunningPastTheHeader() {
        assertBadLength(bytes(5, 18, 0, 0, 0, 1, 0, 0, 0, 2));
    }

    @Test
    void rejectsTimestampsRunningPastTheHeader() {
        assertBadLength(bytes(1, 1, 8, 10, 0, 0, 0, 1));
    }
}
