package morgana.kernel.device;

/**
 * What the kernel counted for a packet socket (PACKET_STATISTICS, packet(7)): frames it queued for us, and
 * frames it dropped because our receive queue was full, since the socket was opened. A drop here is a frame
 * the stack never saw, so it shows in no counter of ours.
 */
public record PacketStatistics(long received, long dropped) {

    PacketStatistics plus(long moreReceived, long moreDropped) {
        return new PacketStatistics(received + moreReceived, dropped + moreDropped);
    }

    @Override
    public String toString() {
        return "packet socket received " + received + ", dropped by the kernel " + dropped;
    }
}
