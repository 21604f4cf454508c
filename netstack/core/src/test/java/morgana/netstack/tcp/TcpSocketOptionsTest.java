package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import morgana.netstack.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** Per-connection options, as SO_KEEPALIVE, SO_SNDBUF and SO_RCVBUF set them on a socket. */
class TcpSocketOptionsTest extends HandPlayedServer {

    @Test
    void keepaliveTurnedOnForOneConnectionUsesLinuxDefaultsWhenTheStackHasNone() {
        TcpConnection c = handshake();
        assertThat(c.keepAlive()).isFalse();
        assertThat(server.pollAt(now)).isEmpty();

        c.setKeepAlive(true);

        assertThat(c.keepAlive()).isTrue();
        assertThat(server.pollAt(now)).as("the first probe, after 2 h idle").contains(now.plus(Duration.ofHours(2)));
    }

    @Test
    void keepaliveTurnedOffForOneConnectionSendsNoProbe() {
        restartServer(handPlayed().withKeepAlive(new TcpConfig.KeepAlive(Duration.ofSeconds(10), Duration.ofSeconds(1), 3)));
        TcpConnection c = handshake();
        assertThat(c.keepAlive()).isTrue();

        c.setKeepAlive(false);

        assertThat(pollAt(now.plusSeconds(60))).isEmpty();
        assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void aSmallerSendBufferTakesLessAndNeverDropsWhatItHolds() {
        TcpConnection c = handshake(java.util.OptionalInt.of(1460), 0); // the peer's window is closed: nothing leaves
        c.setSendBufferSize(1000);
        assertThat(c.sendBufferSize()).isEqualTo(1000);
        assertThat(c.write(ByteBuffer.allocate(5000))).isEqualTo(1000);
        assertThat(c.writableBytes()).isZero();

        c.setSendBufferSize(10);

        assertThat(c.sendBufferSize()).as("what it holds").isEqualTo(1000);
        c.setSendBufferSize(4000);
        assertThat(c.writableBytes()).isEqualTo(3000);
    }

    @Test
    void aLargerReceiveBufferTakesTheNextZeroWindowProbeAndOpensTheWindow() {
        restartServer(handPlayed().withBuffers(2000, 64 * 1024));
        TcpConnection c = handshake();
        send(seg(PEER_ISS + 1, serverIss + 1, ACK, 65535, "x".repeat(1000)));
        List<TcpRepr> full = send(seg(PEER_ISS + 1001, serverIss + 1, ACK, 65535, "x".repeat(1000)));
        assertThat(full).singleElement().satisfies(a -> assertThat(a.window()).isZero());

        c.setReceiveBufferSize(6000);
        assertThat(c.receiveBufferSize()).isEqualTo(6000);
        List<TcpRepr> probe = send(seg(PEER_ISS + 2001, serverIss + 1, ACK, 65535, "y"));

        assertThat(probe).singleElement().satisfies(a -> {
            assertThat(a.ackNumber()).as("the probe's byte was taken").isEqualTo(PEER_ISS + 2002);
            assertThat(a.window()).isEqualTo(3999);
        });
        assertThat(c.read(ByteBuffer.allocate(10_000))).isEqualTo(2001);
    }

    @Test
    void theReceiveBufferSetBeforeConnectingPicksTheWindowScaleOffered() {
        var stacks = new TwoStacks();
        TcpListener listener = stacks.server.listen(80);
        TcpConnection c = stacks.client.connect(TwoStacks.SERVER_IP, 80);
        c.setReceiveBufferSize(4 << 20);
        stacks.run(() -> listener.accept() != null || c.state() == TcpState.ESTABLISHED);
        stacks.run(() -> c.state() == TcpState.ESTABLISHED);

        assertThat(((TcpSocket) c).receiveShift()).isEqualTo(TcpSocket.windowShiftFor(4 << 20)).isEqualTo(7);
    }
}
