package morgana.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * What a connection costs while it carries nothing: no buffer memory, whatever it carried before. Found by
 * scripts/fuzz-live's idle flood, where 1 000 keep-alive connections that had each fetched the blog's feed
 * and gone quiet kept 86 MiB of buffers (the rings grew to fit the response and never gave it back): 10 000
 * of them, the TCP layer's default limit, would not fit a guest's heap.
 */
class TcpBufferMemoryTest {

    @Test
    void anIdleConnectionHoldsNoBufferMemorySoonAfterItsResponseIsAcknowledgedAndRead() {
        TwoStacks t = new TwoStacks();
        TcpListener listener = t.server.listen(80);
        TcpConnection[] ends = t.connected(listener);
        TcpSocket client = (TcpSocket) ends[0];
        TcpSocket server = (TcpSocket) ends[1];
        client.write(ByteBuffer.wrap(new byte[400])); // the request
        ByteBuffer request = ByteBuffer.allocate(400);
        assertThat(t.run(() -> {
            server.read(request);
            return !request.hasRemaining();
        })).isTrue();
        ByteBuffer response = ByteBuffer.wrap(new byte[100_000]);
        ByteBuffer received = ByteBuffer.allocate(100_000);
        assertThat(t.run(() -> {
            server.write(response);
            client.read(received);
            return !received.hasRemaining() && server.unacknowledgedBytes() == 0;
        })).isTrue();

        assertThat(server.bufferMemory()).as("server, busy a moment ago: it keeps its array").isPositive();
        java.time.Instant quiet = t.sim.now();
        assertThat(t.run(() -> server.bufferMemory() == 0 && client.bufferMemory() == 0))
                .as("both give their arrays back once idle").isTrue();
        assertThat(java.time.Duration.between(quiet, t.sim.now())).isLessThanOrEqualTo(TcpSocket.BUFFER_RELEASE_DELAY);
        assertThat(server.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void aConnectionJustAcceptedHoldsNoBufferMemory() {
        TwoStacks t = new TwoStacks();
        TcpConnection[] ends = t.connected(t.server.listen(80));

        assertThat(((TcpSocket) ends[1]).bufferMemory()).isZero();
        assertThat(((TcpSocket) ends[0]).bufferMemory()).isZero();
    }
}
