package morgana.netstack.tcp;

import java.time.Duration;

/**
 * Tunables of the TCP layer.
 *
 * @param isnSecret         the secret key of the initial sequence number function (RFC 6528 §3); give each boot
 *                          a random one, since a predictable ISN lets off-path hosts inject segments
 * @param receiveBuffer     bytes each connection buffers in; also its largest advertised window (no window
 *                          scaling, so at most 65535)
 * @param sendBuffer        bytes each connection buffers out
 * @param backlog           connections per listener that are half-open or established but not yet accepted
 * @param timeWait          how long TIME_WAIT lasts: 2*MSL (RFC 9293 §3.4.2 suggests MSL = 2 min; a server
 *                          that rarely closes first can afford much less)
 * @param maxRetransmissions consecutive timeouts of one segment before the connection is reset
 *                          (RFC 1122 §4.2.3.5 "R2")
 * @param finWait2Timeout   how long FIN_WAIT_2 may go without hearing from the peer before the connection is
 *                          dropped: RFC 9293 sets no limit, but a peer that never closes would otherwise hold
 *                          it forever (Linux's tcp_fin_timeout does the same)
 */
public record TcpConfig(long isnSecret, int receiveBuffer, int sendBuffer, int backlog, Duration timeWait,
                        int maxRetransmissions, Duration finWait2Timeout) {

    public TcpConfig {
        if (receiveBuffer < 1 || receiveBuffer > 0xFFFF) {
            throw new IllegalArgumentException("the receive buffer is 1 to 65535 bytes (no window scaling), not " + receiveBuffer);
        }
        if (sendBuffer < 1) {
            throw new IllegalArgumentException("the send buffer needs at least 1 byte, not " + sendBuffer);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("a listen backlog is at least 1, not " + backlog);
        }
        if (timeWait.isNegative()) {
            throw new IllegalArgumentException("TIME_WAIT cannot be negative: " + timeWait);
        }
        if (finWait2Timeout.isNegative() || finWait2Timeout.isZero()) {
            throw new IllegalArgumentException("the FIN_WAIT_2 timeout must be positive: " + finWait2Timeout);
        }
        if (maxRetransmissions < 1) {
            throw new IllegalArgumentException("at least one retransmission, not " + maxRetransmissions);
        }
    }

    /**
     * 64 KiB buffers, a backlog of 128, TIME_WAIT of 10 s, 8 retransmissions, FIN_WAIT_2 of 60 s, and a fixed
     * ISN secret (replace it with {@link #withIsnSecret} and a random value at boot).
     */
    public static TcpConfig defaults() {
        return new TcpConfig(0x6d6f7267616e61L, 0xFFFF, 64 * 1024, 128, Duration.ofSeconds(10), 8,
                Duration.ofSeconds(60));
    }

    public TcpConfig withIsnSecret(long secret) {
        return new TcpConfig(secret, receiveBuffer, sendBuffer, backlog, timeWait, maxRetransmissions, finWait2Timeout);
    }

    public TcpConfig withTimeWait(Duration duration) {
        return new TcpConfig(isnSecret, receiveBuffer, sendBuffer, backlog, duration, maxRetransmissions, finWait2Timeout);
    }

    public TcpConfig withBuffers(int receive, int send) {
        return new TcpConfig(isnSecret, receive, send, backlog, timeWait, maxRetransmissions, finWait2Timeout);
    }

    public TcpConfig withBacklog(int connections) {
        return new TcpConfig(isnSecret, receiveBuffer, sendBuffer, connections, timeWait, maxRetransmissions, finWait2Timeout);
    }

    public TcpConfig withMaxRetransmissions(int count) {
        return new TcpConfig(isnSecret, receiveBuffer, sendBuffer, backlog, timeWait, count, finWait2Timeout);
    }

    public TcpConfig withFinWait2Timeout(Duration duration) {
        return new TcpConfig(isnSecret, receiveBuffer, sendBuffer, backlog, timeWait, maxRetransmissions, duration);
    }
}
