package morgana.netstack.tcp;

import java.time.Instant;

/**
 * CUBIC (RFC 9438): after a loss the window grows along W(t) = C (t - K)^3 + W_max, concave up to the window
 * of the last loss and convex beyond, but never slower than Reno would (the Reno-friendly region, §4.3).
 * Windows are kept in segments, as the RFC writes them.
 */
final class Cubic implements CongestionControl {

    /** RFC 9438 §5.1. */
    static final double C = 0.4;
    /** RFC 9438 §4.6: the multiplicative decrease factor. */
    static final double BETA = 0.7;
    /** RFC 9438 §4.3: Reno-friendly additive increase with this beta. */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);

    private final int mss;
    private double cwnd;
    private double ssthresh = Double.MAX_VALUE;
    private double wMax;
    private double wEst;
    private double k;
    private Instant epochStart;
    private double[] beforeLoss = new double[4];

    Cubic(int mss) {
        this.mss = mss;
        this.cwnd = (double) CongestionControl.initialWindow(mss) / mss;
    }

    @Override
    public long cwnd() {
        return (long) (cwnd * mss);
    }

    @Override
    public long ssthresh() {
        return ssthresh == Double.MAX_VALUE ? Long.MAX_VALUE : (long) (ssthresh * mss);
    }

    @Override
    public void onAck(Instant now, int acked, long smoothedRttNanos) {
        double segments = (double) acked / mss;
        if (cwnd < ssthresh) {
            cwnd += Math.min(segments, 2); // slow start as in RFC 5681, with RFC 3465's L = 2
            return;
        }
        if (epochStart == null) { // §4.2: a congestion avoidance epoch starts
            epochStart = now;
            if (cwnd < wMax) {
                k = Math.cbrt((wMax - cwnd) / C);
            } else {
                k = 0;
                wMax = cwnd;
            }
            wEst = cwnd;
        }
        double rtt = smoothedRttNanos < 0 ? 0.1 : smoothedRttNanos / 1e9;
        double t = Elapsed.nanos(epochStart, now) / 1e9;
        double target = C * Math.pow(t + rtt - k, 3) + wMax; // §4.2, W_cubic(t + RTT)
        target = Math.max(cwnd, Math.min(target, 1.5 * cwnd)); // §4.2 bounds
        wEst += ALPHA * segments / cwnd; // §4.3
        double cubicNow = C * Math.pow(t - k, 3) + wMax;
        if (cubicNow < wEst) {
            cwnd = Math.max(cwnd, wEst); // Reno-friendly region
        } else {
            cwnd += (target - cwnd) / cwnd * segments; // concave and convex regions, §4.4 and §4.5
        }
    }

    @Override
    public void onLossDetected(Instant now, long flight) {
        beforeLoss = new double[] {cwnd, ssthresh, wMax, k};
        reduce();
        cwnd = ssthresh;
    }

    @Override
    public void undo() {
        cwnd = Math.max(cwnd, beforeLoss[0]);
        ssthresh = Math.max(ssthresh, beforeLoss[1]);
        wMax = beforeLoss[2];
        k = beforeLoss[3];
        epochStart = null;
    }

    @Override
    public void onRecoveryExit() {
        cwnd = ssthresh;
    }

    @Override
    public void onTimeout(long flight) {
        reduce();
        cwnd = 1;
    }

    /** §4.6 multiplicative decrease and §4.7 fast convergence. */
    private void reduce() {
        epochStart = null;
        wMax = cwnd < wMax ? cwnd * (1 + BETA) / 2 : cwnd;
        ssthresh = Math.max(cwnd * BETA, 2);
    }
}
