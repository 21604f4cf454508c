package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import morgana.netstack.wire.TcpOption;
import morgana.netstack.wire.TcpPacket;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** Where RTT samples come from: a timed segment (RFC 6298 §3, Karn's rule) or the echoed timestamp (RFC 7323 §4). */
class TcpRttMeasurementTest extends HandPlayedServer {

    @Test
    void timesASegmentThatWasSentOnce() {
        TcpSocket c = (TcpSocket) handshake();
        c.write(ByteBuffer.wrap("data".getBytes()));
        TcpRepr sent = pollAt(now).getFirst();

        send(seg(PEER_ISS + 1, sent.seqNumber() + 4, ACK, 65535, ""), now.plusMillis(200));

        // the handshake's ACK came at once (SRTT 0); SRTT = 7/8 * 0 + 1/8 * 200 ms (RFC 6298 §2.3)
        assertThat(c.retransmitTimer().smoothedRtt()).hasValue(Duration.ofMillis(25));
    }

    @Test
    void takesNoSampleFromARetransmittedSegment() {
        TcpSocket c = (TcpSocket) handshake();
        c.write(ByteBuffer.wrap("data".getBytes()));
        TcpRepr sent = pollAt(now).getFirst();
        assertThat(pollAt(now.plusSeconds(1))).containsExactly(sent); // the RTO

        send(seg(PEER_ISS + 1, sent.seqNumber() + 4, ACK, 65535, ""), now.plusMillis(200));

        // Karn: which copy did the ACK answer? SRTT stays the handshake's 0
        assertThat(c.retransmitTimer().smoothedRtt()).hasValue(Duration.ZERO);
    }

    @Test
    void measuresFromTheTimestampTheAckEchoes() {
        TcpRepr synAck = send(new TcpRepr(PEER_PORT, 80, PEER_ISS, 0, TcpPacket.SYN, 65535, OptionalInt.of(1460),
                OptionalInt.empty(), false, Optional.of(new TcpOption.Timestamps(777, 0)), List.of(), new byte[0]))
                .getFirst();
        serverIss = synAck.seqNumber();
        send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "").withTimestamps(778, 0)); // echoes nothing: no sample
        TcpSocket c = (TcpSocket) listener.accept();
        c.write(ByteBuffer.wrap("data".getBytes()));
        TcpRepr sent = pollAt(now).getFirst();
        long tsval = sent.timestamps().orElseThrow().value();

        send(seg(PEER_ISS + 1, serverIss + 5, ACK, 65535, "").withTimestamps(779, tsval), now.plusMillis(300));

        assertThat(c.timestampsOn()).isTrue();
        assertThat(c.retransmitTimer().smoothedRtt()).hasValue(Duration.ofMillis(300));
    }

    private void send(TcpRepr segment, Instant at) {
        now = at;
        send(segment);
    }
}
