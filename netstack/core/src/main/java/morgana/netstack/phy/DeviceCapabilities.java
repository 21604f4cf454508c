package morgana.netstack.phy;

/**
 * What a {@link Device} does for the stack beyond moving frames.
 *
 * @param checksumOffload     the device (or the kernel beneath it) completes the TCP checksum of every
 *                            unfragmented IPv4 TCP frame it sends, so the stack leaves only the pseudo-header's
 *                            sum in the field, as Linux leaves a CHECKSUM_PARTIAL segment for the NIC
 * @param maxBatch            how many frames one {@link Device#receiveBatch}/{@link Device#transmitBatch}
 *                            call moves at most, 1 for devices that move one at a time
 * @param segmentationOffload the largest IPv4 packet {@link Device#transmitSegmented} takes and has cut
 *                            into segments beneath the stack (TCP segmentation offload), 0 when the
 *                            device has none and every packet must fit the MTU
 */
public record DeviceCapabilities(boolean checksumOffload, int maxBatch, int segmentationOffload) {

    /** Verifies nothing, one frame at a time: what a plain device offers. */
    public static final DeviceCapabilities NONE = new DeviceCapabilities(false, 1, 0);

    /** The largest IPv4 packet (RFC 791: the total length is 16 bits). */
    public static final int MAX_IPV4_PACKET = 65_535;

    public DeviceCapabilities {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("a batch holds at least one frame, not " + maxBatch);
        }
        if (segmentationOffload < 0 || segmentationOffload > MAX_IPV4_PACKET) {
            throw new IllegalArgumentException("segmentation offload is 0 (none) to 65535 bytes, not " + segmentationOffload);
        }
    }

    /** Without segmentation offload. */
    public DeviceCapabilities(boolean checksumOffload, int maxBatch) {
        this(checksumOffload, maxBatch, 0);
    }
}
