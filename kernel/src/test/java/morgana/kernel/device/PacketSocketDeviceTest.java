package morgana.kernel.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import morgana.kernel.testing.ChildJvm;
import morgana.kernel.testing.NetworkNamespace;
import org.junit.jupiter.api.Test;

/** Packet sockets on both ends of a real veth pair, inside a throwaway network namespace. */
class PacketSocketDeviceTest {

    @Test
    void framesCrossAVethPairBothWaysAndNoSocketSeesItsOwn() throws Exception {
        String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
        ProbeRun run = inVethPair(PacketProbe.class, nonce);
        String output = run.output();
        String va = PacketProbe.VA_MAC.toString();
        assertThat(output.lines()).contains(
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
        assertThat(output).containsPattern("opened va mac " + va + " mtu 1500, vb mtu 1400")
                .containsPattern("va received two-" + nonce + " from [0-9a-f:]{17} length 60");
        assertThat(run.links()).containsPattern("va@vb: <[^>]*\\bUP\\b[^>]*> mtu 1500 .*link/ether " + PacketProbe.VA_MAC)
                .containsPattern("vb@va: <[^>]*\\bUP\\b[^>]*> mtu 1400");
    }

    /** What {@link VnetProbe} prints when every segment arrived as it should, cut or merged. */
    private static final List<String> SEGMENTS_AS_SENT = List.of(
            "plain: 21 frames, largest 1454, checksums valid true, completed by the device 21, payload exact true",
            "merged: fewer frames true, largest above the MTU true, payload exact true, dropped 0",
            "partial: 1 frame, vouched, field is not the full checksum true, payload exact true",
            "completed: checksum valid true",
            "done");

    @Test
    void withAVirtioNetHeaderSegmentsLargerThanTheMtuLeaveCutAndComeBackMergedAndVouched() throws Exception {
        String seed = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String output = inVethPair(VnetProbe.class, seed).output();
        assertThat(output.lines()).as(output).contains(
                "header va true vb false, capabilities va DeviceCapabilities[checksumOffload=true, maxBatch=1,"
                        + " segmentationOffload=65535] vb DeviceCapabilities[checksumOffload=false, maxBatch=1,"
                        + " segmentationOffload=0]").containsAll(SEGMENTS_AS_SENT);
    }

    @Test
    void throughATpacketV3RingFramesGoBothWaysExactlyAndABurstArrivesInOrderInFewBlocks() throws Exception {
        String seed = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String output = inVethPair(RingProbe.class, seed).output();
        assertThat(output.lines()).as(output).containsExactly(
                "ring va true header true, vb true header false, refused no",
                "va to vb exact true",
                "vb to va exact true",
                "burst: " + RingProbe.BURST + " of " + RingProbe.BURST + " in order and exact true,"
                        + " blocks fewer than a tenth of the frames true",
                "oversized: dropped 1, the next delivered true",
                "before close: mapped true, fd open true",
                "after close: mapped false, fd open false, device open false",
                "done");
    }

    @Test
    void throughARingWithAVirtioNetHeaderSegmentsComeBackMergedAndVouchedAsWithout() throws Exception {
        String seed = Long.toHexString(ThreadLocalRandom.current().nextLong());
        String output = inVethPair(VnetProbe.class, seed, "ring").output();
        assertThat(output.lines()).as(output).containsAll(SEGMENTS_AS_SENT).doesNotContain("no ring with a header");
    }

    /** What a probe printed, and the links of its namespace ({@code ip -o link show}) when it had exited. */
    private record ProbeRun(String output, String links) {
    }

    /** Runs {@code probe} in a child JVM inside a throwaway namespace holding the veth pair va/vb; it must exit 0. */
    private static ProbeRun inVethPair(Class<?> probe, String... args) throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create()) {
            ns.ip("link", "add", "va", "type", "veth", "peer", "name", "vb");
            try (ChildJvm child = ChildJvm.start(ns, probe, args)) {
                assertThat(child.awaitExit(Duration.ofSeconds(30))).as(child.output()).isZero();
                return new ProbeRun(child.output(), ns.ip("-o", "link", "show"));
            }
        }
    }

    @Test
    void openingAMissingInterfaceSaysSo() {
        assertThatThrownBy(() -> PacketSocketDevice.open("morgana-none"))
                .isInstanceOf(InterfaceNotFoundException.class)
                .hasMessageContaining("no network interface morgana-none");
    }
}
