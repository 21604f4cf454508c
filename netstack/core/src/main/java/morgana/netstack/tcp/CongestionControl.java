package morgana.netstack.tcp;

import java.time.Instant;

/**
 * A sender's congestion window and slow-start threshold, in bytes. The socket detects what happened (new data
 * acknowledged, a loss found by duplicate ACKs or SACK, a timeout) and does the loss recovery itself
 * (RFC 6582, RFC 6675); the controller only says how big the window is.
 */
sealed interface CongestionControl permits NewReno, Cubic {

    static CongestionControl create(TcpConfig.CongestionAlgorithm algorithm, int mss) {
        return switch (algorithm) {
            case NEW_RENO -> new NewReno(mss);
            case CUBIC -> new Cubic(mss);
        };
    }

    /** RFC 6928 §2: the initial window, min(10 * MSS, max(2 * MSS, 14600)). */
    static long initialWindow(int mss) {
        return Math.min(10L * mss, Math.max(2L * mss, 14_600));
    }

    long cwnd();

    long ssthresh();

    /** {@code acked} bytes of new data were acknowledged outside loss recovery; SRTT is -1 before a sample. */
    void onAck(Instant now, int acked, long smoothedRttNanos);

    /** A loss was detected by duplicate ACKs or SACK with {@code flight} bytes outstanding: recovery starts. */
    void onLossDetected(Instant now, long flight);

    /** The last loss was a false alarm (RFC 3522): back to the window and threshold from before it. */
    void undo();

    /** The recovery point was acknowledged (RFC 6582 §3.2 step 3). */
    void onRecoveryExit();

    /** The retransmission timer expired (RFC 5681 §3.1, equation 4): back to one segment. */
    void onTimeout(long flight);
}
