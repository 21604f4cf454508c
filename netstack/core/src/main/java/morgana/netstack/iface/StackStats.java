package morgana.netstack.iface;

import java.util.EnumMap;
import java.util.Map;

/** Counters of one stack. Read and written from the polling thread only. */
public final class StackStats {

    private final long[] drops = new long[DropReason.values().length];
    private long framesReceived;
    private long framesSent;
    private long tcpSegmentsReceived;
    private long tcpSegmentsSent;
    private long tcpRetransmissions;
    private long tcpFastRetransmissions;
    private long tcpResetsSent;
    private long tcpConnectionsTimedOut;
    private long echoRepliesSent;
    private long udpDatagramsReceived;
    private long udpDatagramsSent;
    private long icmpErrorsReceived;
    private long icmpErrorsSent;
    private long ipv4FragmentsReceived;
    private long ipv4DatagramsReassembled;
    private long ipv4FragmentsSent;
    private long arpRequestsSent;
    private long gratuitousArpsSent;

    public void dropped(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** The sum over every reason. */
    public long totalDrops() {
        long sum = 0;
        for (long d : drops) {
            sum += d;
        }
        return sum;
    }

    /** Only the reasons with a non-zero count. */
    public Map<DropReason, Long> dropsByReason() {
        Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            if (drops[r.ordinal()] != 0) {
                out.put(r, drops[r.ordinal()]);
            }
        }
        return out;
    }

    public void frameReceived() {
        framesReceived++;
    }

    public void frameSent() {
        framesSent++;
    }

    public void tcpSegmentReceived() {
        tcpSegmentsReceived++;
    }

    public void tcpSegmentSent() {
        tcpSegmentsSent++;
    }

    public void tcpRetransmission() {
        tcpRetransmissions++;
    }

    public void tcpFastRetransmission() {
        tcpFastRetransmissions++;
    }

    public void tcpResetSent() {
        tcpResetsSent++;
    }

    public void tcpConnectionTimedOut() {
        tcpConnectionsTimedOut++;
    }

    public void echoReplySent() {
        echoRepliesSent++;
    }

    public long framesReceived() {
        return framesReceived;
    }

    public long framesSent() {
        return framesSent;
    }

    public long tcpSegmentsReceived() {
        return tcpSegmentsReceived;
    }

    public long tcpSegmentsSent() {
        return tcpSegmentsSent;
    }

    /** Segments sent again after a retransmission timeout. */
    public long tcpRetransmissions() {
        return tcpRetransmissions;
    }

    /** Go-back-N retransmissions started by three duplicate ACKs rather than a timeout. */
    public long tcpFastRetransmissions() {
        return tcpFastRetransmissions;
    }

    public long tcpResetsSent() {
        return tcpResetsSent;
    }

    /** Connections reset after the retransmission limit. */
    public long tcpConnectionsTimedOut() {
        return tcpConnectionsTimedOut;
    }

    public long echoRepliesSent() {
        return echoRepliesSent;
    }

    public void udpDatagramReceived() {
        udpDatagramsReceived++;
    }

    public void udpDatagramSent() {
        udpDatagramsSent++;
    }

    public void icmpErrorReceived() {
        icmpErrorsReceived++;
    }

    public void icmpErrorSent() {
        icmpErrorsSent++;
    }

    public void ipv4FragmentReceived() {
        ipv4FragmentsReceived++;
    }

    public void ipv4DatagramReassembled() {
        ipv4DatagramsReassembled++;
    }

    public void ipv4FragmentSent() {
        ipv4FragmentsSent++;
    }

    public void arpRequestSent() {
        arpRequestsSent++;
    }

    public void gratuitousArpSent() {
        gratuitousArpsSent++;
    }

    /** UDP datagrams that parsed, whether or not a socket took them. */
    public long udpDatagramsReceived() {
        return udpDatagramsReceived;
    }

    public long udpDatagramsSent() {
        return udpDatagramsSent;
    }

    /** Destination unreachable and time exceeded messages received (counted, not acted on). */
    public long icmpErrorsReceived() {
        return icmpErrorsReceived;
    }

    /** Port and protocol unreachables and reassembly time exceededs sent. */
    public long icmpErrorsSent() {
        return icmpErrorsSent;
    }

    public long ipv4FragmentsReceived() {
        return ipv4FragmentsReceived;
    }

    public long ipv4DatagramsReassembled() {
        return ipv4DatagramsReassembled;
    }

    public long ipv4FragmentsSent() {
        return ipv4FragmentsSent;
    }

    public long arpRequestsSent() {
        return arpRequestsSent;
    }

    /** ARP announcements of our own address after it was set or changed (RFC 5227 §2.3). */
    public long gratuitousArpsSent() {
        return gratuitousArpsSent;
    }

    @Override
    public String toString() {
        return "StackStats[framesReceived=" + framesReceived + ", framesSent=" + framesSent
                + ", tcpSegmentsReceived=" + tcpSegmentsReceived + ", tcpSegmentsSent=" + tcpSegmentsSent
                + ", tcpRetransmissions=" + tcpRetransmissions + ", tcpFastRetransmissions=" + tcpFastRetransmissions + ", tcpResetsSent=" + tcpResetsSent
                + ", tcpConnectionsTimedOut=" + tcpConnectionsTimedOut + ", echoRepliesSent=" + echoRepliesSent
                + ", udpDatagramsReceived=" + udpDatagramsReceived + ", udpDatagramsSent=" + udpDatagramsSent
                + ", icmpErrorsReceived=" + icmpErrorsReceived + ", icmpErrorsSent=" + icmpErrorsSent
                + ", ipv4FragmentsReceived=" + ipv4FragmentsReceived + ", ipv4DatagramsReassembled=" + ipv4DatagramsReassembled
                + ", ipv4FragmentsSent=" + ipv4FragmentsSent + ", arpRequestsSent=" + arpRequestsSent
                + ", gratuitousArpsSent=" + gratuitousArpsSent
                + ", drops=" + dropsByReason() + "]";
    }
}
