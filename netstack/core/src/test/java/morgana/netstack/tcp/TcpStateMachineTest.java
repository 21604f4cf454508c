package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The states of RFC 9293 §3.3.2 as two stacks go through them, and windows scaled to 1 GiB (RFC 7323). */
class TcpStateMachineTest {

    static void record(List<TcpState> states, TcpConnection c) {
        if (c != null && (states.isEmpty() || states.getLast() != c.state())) {
            states.add(c.state());
        }
    }

    @Test
    void anActiveAndAPassiveCloseGoThroughEveryStateInOrder() {
        TwoStacks net = new TwoStacks();
        TcpListener listener = net.server.listen(80);
        TcpConnection client = net.client.connect(TwoStacks.SERVER_IP, 80);
        TcpConnection[] server = new TcpConnection[1];
        List<TcpState> clientStates = new ArrayList<>();
        List<TcpState> serverStates = new ArrayList<>();
        record(clientStates, client);

        net.run(() -> {
            if (server[0] == null) {
                server[0] = listener.accept();
            }
            record(clientStates, client);
            record(serverStates, server[0]);
            if (client.state() == TcpState.ESTABLISHED && server[0] != null) {
                client.close();
            }
            if (server[0] != null && server[0].state() == TcpState.CLOSE_WAIT
                    && server[0].read(ByteBuffer.allocate(1)) == -1) {
                server[0].close();
            }
            return client.isClosed() && server[0] != null && server[0].isClosed();
        });

        assertThat(clientStates).containsExactly(TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.FIN_WAIT_1,
                TcpState.FIN_WAIT_2, TcpState.TIME_WAIT, TcpState.CLOSED);
        assertThat(serverStates).containsExactly(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.LAST_ACK,
                TcpState.CLOSED);
    }

    @Test
    void aHalfClosedConnectionKeepsCarryingDataTheOtherWay() {
        TwoStacks net = new TwoStacks();
        TcpConnection[] pair = net.connected(net.server.listen(80));
        byte[] data = new byte[300_000];
        new Random(5).nextBytes(data);

        pair[0].shutdownOutput(); // the client is done sending, still reading
        ByteBuffer toSend = ByteBuffer.wrap(data);
        ByteBuffer got = ByteBuffer.allocate(data.length + 1);
        List<TcpState> clientStates = new ArrayList<>();
        boolean done = net.run(() -> {
            record(clientStates, pair[0]);
            if (pair[1].read(ByteBuffer.allocate(1)) == -1 && toSend.hasRemaining() && pair[1].write(toSend) > 0
                    && !toSend.hasRemaining()) {
                pair[1].close();
            }
            return pair[0].read(got) == -1;
        });

        assertThat(done).isTrue();
        assertThat(got.flip().remaining()).isEqualTo(data.length);
        assertThat(got.array()).startsWith(data);
        assertThat(clientStates).contains(TcpState.FIN_WAIT_2, TcpState.TIME_WAIT);
    }

    @Test
    void aSimultaneousOpenGoesThroughSynReceivedOnBothSides() {
        // Both ends send a SYN before either sees the other's (RFC 9293 §3.5, figure 8): played by hand.
        HandPlayedServer peer = new HandPlayedServer() { };
        peer.start();
        TcpConnection ours = peer.server.connect(HandPlayedServer.PEER_IP, 5000);
        var syn = peer.pollAt(peer.now).getFirst();
        assertThat(syn.syn() && !syn.ack()).isTrue();
        int peerIss = 90_000;
        var crossing = morgana.netstack.wire.TcpRepr.of(5000, syn.sourcePort(), peerIss, 0,
                morgana.netstack.wire.TcpPacket.SYN, 65535, new byte[0]);

        var synAck = peer.send(crossing);

        assertThat(ours.state()).isEqualTo(TcpState.SYN_RECEIVED);
        assertThat(synAck).singleElement().satisfies(s -> {
            assertThat(s.syn() && s.ack()).isTrue();
            assertThat(s.seqNumber()).isEqualTo(syn.seqNumber());
            assertThat(s.ackNumber()).isEqualTo(peerIss + 1);
        });
        peer.send(morgana.netstack.wire.TcpRepr.of(5000, syn.sourcePort(), peerIss, syn.seqNumber() + 1,
                morgana.netstack.wire.TcpPacket.SYN | morgana.netstack.wire.TcpPacket.ACK, 65535, new byte[0]));
        assertThat(ours.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void scalesWindowsToOneGigabyteBothWays() {
        TwoStacks net = new TwoStacks(TcpConfig.defaults().withBuffers(TcpConfig.MAX_RECEIVE_BUFFER, 4 << 20)
                .withTimeWait(Duration.ofSeconds(1)));
        TcpConnection[] pair = net.connected(net.server.listen(80));
        TcpSocket client = (TcpSocket) pair[0];
        TcpSocket server = (TcpSocket) pair[1];
        byte[] data = new byte[16 << 20];
        new Random(6).nextBytes(data);
        ByteBuffer toSend = ByteBuffer.wrap(data);

        // the receiver does not read: 16 MB must fit in its window without a single zero-window wait
        net.run(() -> {
            pair[0].write(toSend);
            return !toSend.hasRemaining() && pair[0].unacknowledgedBytes() == 0;
        });

        assertThat(client.receiveShift()).isEqualTo(14);
        assertThat(server.sendShift()).isEqualTo(14);
        assertThat(server.receiveShift()).isEqualTo(14);
        assertThat(client.sendWindow()).isGreaterThan(1_000_000_000L - data.length);
        ByteBuffer got = ByteBuffer.allocate(data.length);
        while (got.hasRemaining() && pair[1].read(got) > 0) {
            // drain what the receive buffer holds
        }
        assertThat(got.array()).isEqualTo(data);
    }
}
