package morgana.netstack.phy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link Device} that passes every frame through to another and writes a copy of each, received or sent, to
 * an {@link OutputStream} in the classic libpcap format (what {@code tcpdump -r} and {@code tshark -r} read):
 * a 24-byte global header, then a 16-byte record header and the frame's bytes per packet, link type Ethernet.
 *
 * <p>It does no I/O beyond the stream it is given, and reads no clock: {@code clock} gives each record's
 * timestamp (the event loop's time, or a simulator's virtual time). A failing stream never disturbs the
 * traffic: the first {@link IOException} is kept ({@link #failure}) and capture stops.
 */
public final class PcapWriter implements Device {

    /** Microsecond timestamps; written big-endian, so readers see the magic as is. */
    static final int MAGIC = 0xA1B2C3D4;
    static final int LINKTYPE_ETHERNET = 1;
    static final int SNAPLEN = 65535;

    private final Device inner;
    private final DeviceCapabilities capabilities;
    private final OutputStream out;
    private final Supplier<Instant> clock;
    private final int snapLength;
    private boolean headerWritten;
    private IOException failure;
    private long packetsWritten;

    public PcapWriter(Device inner, OutputStream out, Supplier<Instant> clock) {
        this(inner, out, clock, SNAPLEN);
    }

    /**
     * Captures at most {@code snapLength} bytes of each frame (the record keeps the frame's real length), as
     * {@code tcpdump -s} does: 128 bytes hold Ethernet, IPv4 and a TCP header with every option, so a long
     * transfer can be captured without its payload.
     */
    public PcapWriter(Device inner, OutputStream out, Supplier<Instant> clock, int snapLength) {
        if (snapLength < 14 || snapLength > SNAPLEN) {
            throw new IllegalArgumentException("a snap length is 14 (an Ethernet header) to 65535, not " + snapLength);
        }
        this.inner = inner;
        DeviceCapabilities c = inner.capabilities();
        this.capabilities = c.checksumOffload() ? new DeviceCapabilities(false, c.maxBatch(), c.segmentationOffload()) : c;
        this.out = out;
        this.clock = clock;
        this.snapLength = snapLength;
    }

    @Override
    public boolean receive(ByteBuffer frame) {
        int start = frame.position();
        if (!inner.receive(frame)) {
            return false;
        }
        record(frame.duplicate().position(start));
        return true;
    }

    @Override
    public void transmit(ByteBuffer frame) {
        record(frame.duplicate());
        inner.transmit(frame);
    }

    /** Recorded whole, as tcpdump on a TAP shows what the stack handed over before the kernel cut it. */
    @Override
    public void transmitSegmented(ByteBuffer frame, int segmentSize) {
        record(frame.duplicate());
        inner.transmitSegmented(frame, segmentSize);
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    /**
     * The device beneath's, but for checksum offload: the capture holds each frame with its checksums
     * complete, as they cross the wire (received frames too, since this device does not vouch for any).
     */
    @Override
    public DeviceCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public void awaitFrame(Duration timeout) throws InterruptedException {
        inner.awaitFrame(timeout);
    }

    @Override
    public void wakeup() {
        inner.wakeup();
    }

    /** Frames written so far. */
    public long packetsWritten() {
        return packetsWritten;
    }

    /** The write error that stopped the capture, if one did. */
    public Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Flushes the stream (the caller closes it). */
    public void flush() {
        if (failure == null) {
            try {
                writeHeaderOnce();
                out.flush();
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    private void record(ByteBuffer frame) {
        if (failure != null) {
            return;
        }
        try {
            writeHeaderOnce();
            Instant t = clock.get();
            int length = frame.remaining();
            int captured = Math.min(length, snapLength);
            ByteBuffer rec = ByteBuffer.allocate(16 + captured);
            rec.putInt((int) t.getEpochSecond());
            rec.putInt(t.getNano() / 1000);
            rec.putInt(captured);
            rec.putInt(length);
            rec.put(frame.slice(frame.position(), captured));
            out.write(rec.array());
            packetsWritten++;
        } catch (IOException e) {
            failure = e;
        }
    }

    /** The global header (libpcap "File Header"): version 2.4, UTC, the snapshot length and Ethernet. */
    private void writeHeaderOnce() throws IOException {
        if (headerWritten) {
            return;
        }
        ByteBuffer h = ByteBuffer.allocate(24);
        h.putInt(MAGIC);
        h.putShort((short) 2);
        h.putShort((short) 4);
        h.putInt(0);
        h.putInt(0);
        h.putInt(snapLength);
        h.putInt(LINKTYPE_ETHERNET);
        out.write(h.array());
        headerWritten = true;
    }
}
