package morgana.kernel.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import morgana.kernel.testing.ChildJvm;
import morgana.kernel.testing.NetworkNamespace;
import org.junit.jupiter.api.Test;

/** Packet sockets on both ends of a real veth pair, inside a throwaway network namespace. */
class PacketSocketDeviceTest {

    @Test
    void framesCrossAVethPairBothWaysAndNoSocketSeesItsOwn() throws Exception {
        String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ns.ip("link", "add", "va", "type", "veth", "peer", "name", "vb");
            try (ChildJvm probe = ChildJvm.start(ns, PacketProbe.class, nonce)) {
                assertThat(probe.awaitExit(Duration.ofSeconds(30))).as(probe.output()).isZero();
                String va = PacketProbe.VA_MAC.toString();
                assertThat(probe.output().lines()).contains(
                        "missing: no network interface nosuch0 after 300 ms: is the NIC driver module in the manifest"
                                + " and does it match the virtual hardware?",
                        "up before false",
                        "up after true true",
                        "mtu vb 1400",
                        "gro vb true then false",
                        "vb received one-" + nonce + " from " + va + " length 60",
                        "va did not see its own frame",
                        "vb did not see its own frame",
                        "flood dropped some true, all counted true, totals kept true",
                        "done");
                assertThat(probe.output()).containsPattern("opened va mac " + va + " mtu 1500, vb mtu 1400")
                        .containsPattern("va received two-" + nonce + " from [0-9a-f:]{17} length 60");
            }
            String links = ns.ip("-o", "link", "show");
            assertThat(links).containsPattern("va@vb: <[^>]*\\bUP\\b[^>]*> mtu 1500 .*link/ether " + PacketProbe.VA_MAC)
                    .containsPattern("vb@va: <[^>]*\\bUP\\b[^>]*> mtu 1400");
        }
    }

    @Test
    void openingAMissingInterfaceSaysSo() {
        assertThatThrownBy(() -> PacketSocketDevice.open("morgana-none"))
                .isInstanceOf(InterfaceNotFoundException.class)
                .hasMessageContaining("no network interface morgana-none");
    }
}
