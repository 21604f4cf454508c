package morgana.netstack.phy;

/**
 * What a {@link Device} does for the stack beyond moving frames.
 *
 * @param receiveChecksumsVerified the device (or the kernel beneath it) verified the IPv4, TCP and UDP checksums
 *                                 of received frames and drops bad ones, so the stack could skip verifying
 *                                 them; the stack verifies anyway today
 * @param maxBatch                 how many frames one {@link Device#receiveBatch}/{@link Device#transmitBatch}
 *                                 call moves at most, 1 for devices that move one at a time
 */
public record DeviceCapabilities(boolean receiveChecksumsVerified, int maxBatch) {

    /** Verifies nothing, one frame at a time: what a plain device offers. */
    public static final DeviceCapabilities NONE = new DeviceCapabilities(false, 1);

    public DeviceCapabilities {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("a batch holds at least one frame, not " + maxBatch);
        }
    }
}
