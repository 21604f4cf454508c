package morgana.netstack.tcp;

import java.time.Instant;

/** RFC 5681 slow start and congestion avoidance with byte counting; the recovery itself is the socket's. */
final class NewReno implements CongestionControl {

    private final int mss;
    private long cwnd;
    private long ssthresh = Long.MAX_VALUE; // RFC 5681 §3.1: "arbitrarily high"
    private long ackedInAvoidance;
    private long cwndBeforeLoss;
    private long ssthreshBeforeLoss;

    NewReno(int mss) {
        this.mss = mss;
        this.cwnd = CongestionControl.initialWindow(mss);
    }

    @Override
    public long cwnd() {
        return cwnd;
    }

    @Override
    public long ssthresh() {
        return ssthresh;
    }

    @Override
    public void onAck(Instant now, int acked, long smoothedRttNanos) {
        if (cwnd < ssthresh) {
            cwnd += Math.min(acked, 2L * mss); // RFC 3465 §2.2, L = 2 SMSS for delayed ACKs
            return;
        }
        // RFC 5681 §3.1: one SMSS per window's worth of acknowledged bytes
        ackedInAvoidance += acked;
        if (ackedInAvoidance >= cwnd) {
            ackedInAvoidance -= cwnd;
            cwnd += mss;
        }
    }

    @Override
    public void onLossDetected(Instant now, long flight) {
        cwndBeforeLoss = cwnd;
        ssthreshBeforeLoss = ssthresh;
        ssthresh = Math.max(flight / 2, 2L * mss); // RFC 5681 equation 4
        cwnd = ssthresh; // RFC 6675 §5 step 4.2
        ackedInAvoidance = 0;
    }

    @Override
    public void undo() {
        cwnd = Math.max(cwnd, cwndBeforeLoss);
        ssthresh = Math.max(ssthresh, ssthreshBeforeLoss);
    }

    @Override
    public void onRecoveryExit() {
        cwnd = ssthresh;
    }

    @Override
    public void onTimeout(long flight) {
        ssthresh = Math.max(flight / 2, 2L * mss);
        cwnd = mss;
        ackedInAvoidance = 0;
    }
}
