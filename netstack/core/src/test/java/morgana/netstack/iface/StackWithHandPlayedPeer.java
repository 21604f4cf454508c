package morgana.netstack.iface;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import morgana.netstack.phy.LinkPair;
import morgana.netstack.wire.ArpRepr;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * One stack on end b of a link, and a peer the test plays by hand on end a: it injects frames and reads back
 * every frame the stack sent.
 */
abstract class StackWithHandPlayedPeer {

    static final MacAddress STACK_MAC = MacAddress.parse("52:54:00:00:00:02");
    static final Ipv4Address STACK_IP = Ipv4Address.parse("10.0.0.2");
    static final MacAddress PEER_MAC = MacAddress.parse("52:54:00:00:00:01");
    static final Ipv4Address PEER_IP = Ipv4Address.parse("10.0.0.1");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final LinkPair link = new LinkPair();
    final NetworkStack stack = new NetworkStack(StackConfig.of(STACK_MAC, new Ipv4Cidr(STACK_IP, 24), PEER_IP));

    /** Hands the stack {@code frame} (if any), polls it at {@code now}, and returns every frame it sent. */
    List<byte[]> exchange(Instant now, byte[] frame) {
        if (frame != null) {
            link.b().inject(frame);
        }
        stack.poll(now, link.b());
        List<byte[]> out = new ArrayList<>();
        for (byte[] f; (f = link.a().takeReceived()) != null; ) {
            out.add(f);
        }
        return out;
    }

    /** The peer asks for the stack's address, so the stack learns the peer's MAC. */
    void resolvePeer() {
        exchange(T0, TestFrames.arp(PEER_MAC, MacAddress.BROADCAST,
                new ArpRepr(ArpRepr.Operation.REQUEST, PEER_MAC, PEER_IP, MacAddress.ZERO, STACK_IP)));
    }
}
