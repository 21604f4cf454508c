package morgana.netstack.tcp;

import java.nio.ByteBuffer;
import java.time.Duration;
import morgana.netstack.phy.Device;
import morgana.netstack.phy.LinkPair;

/** A device over a link end that passes everything through: a test overrides what its device does otherwise. */
abstract class LinkEndDevice implements Device {
    final LinkPair.End end;

    LinkEndDevice(LinkPair.End end) {
        this.end = end;
    }

    @Override public boolean receive(ByteBuffer frame) { return end.receive(frame); }
    @Override public void transmit(ByteBuffer frame) { end.transmit(frame); }
    @Override public int mtu() { return end.mtu(); }
    @Override public void awaitFrame(Duration timeout) throws InterruptedException { end.awaitFrame(timeout); }
    @Override public void wakeup() { end.wakeup(); }
}
