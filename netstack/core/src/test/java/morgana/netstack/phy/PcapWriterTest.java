package morgana.netstack.phy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.sim.Simulator;
import morgana.netstack.udp.UdpSocket;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456Z");

    @TempDir
    Path dir;

    /** Two stacks exchange a UDP datagram of 3000 bytes (fragmented) and a reply; a's side is captured. */
    byte[] capture() {
        LinkPair wire = new LinkPair();
        Simulator sim = new Simulator(T0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter pcap = new PcapWriter(wire.a(), out, sim::now);
        NetworkStack a = new NetworkStack(StackConfig.of(MacAddress.parse("02:00:00:00:00:01"),
                Ipv4Cidr.parse("10.1.0.1/24"), null));
        NetworkStack b = new NetworkStack(StackConfig.of(MacAddress.parse("02:00:00:00:00:02"),
                Ipv4Cidr.parse("10.1.0.2/24"), null));
        sim.attach(a, wire.a(), pcap).attach(b, wire.b());
        UdpSocket client = a.bindUdp(40000);
        UdpSocket server = b.bindUdp(7);
        client.send(Ipv4Address.parse("10.1.0.2"), 7, new byte[3000]);
        sim.runUntil(() -> {
            var d = server.receive();
            if (d != null) {
                server.send(d.source(), d.sourcePort(), "ok".getBytes());
            }
            return client.receive() != null;
        }, Duration.ofSeconds(5));
        pcap.flush();
        assertThat(pcap.failure()).isEmpty();
        // ARP request and reply, 3 fragments, the reply
        assertThat(pcap.packetsWritten()).isEqualTo(6);
        return out.toByteArray();
    }

    @Test
    void writesTheClassicGlobalHeaderAndOneRecordPerFrame() {
        ByteBuffer pcap = ByteBuffer.wrap(capture());

        assertThat(pcap.getInt(0)).isEqualTo(0xA1B2C3D4);
        assertThat(pcap.getShort(4)).isEqualTo((short) 2);
        assertThat(pcap.getShort(6)).isEqualTo((short) 4);
        assertThat(pcap.getInt(20)).isEqualTo(1); // Ethernet
        assertThat(pcap.getInt(24)).isEqualTo((int) T0.getEpochSecond());
        assertThat(pcap.getInt(28)).isEqualTo(123456);
        assertThat(pcap.getInt(32)).isEqualTo(42).isEqualTo(pcap.getInt(36)); // the ARP request, whole
    }

    @Test
    void tcpdumpReadsTheCapture() throws Exception {
        Path file = dir.resolve("a.pcap");
        Files.write(file, capture());

        String out = run(List.of("tcpdump", "-nn", "-r", file.toString()));

        assertThat(out).contains("ARP, Request who-has 10.1.0.2 tell 10.1.0.1")
                .contains("ARP, Reply 10.1.0.2 is-at 02:00:00:00:00:02")
                .contains("10.1.0.1.40000 > 10.1.0.2.7: UDP, length 3000")
                .contains("10.1.0.2.7 > 10.1.0.1.40000: UDP, length 2");
        assertThat(out.lines().count()).isEqualTo(6);
    }

    @Test
    void tsharkReadsTheCaptureAndReassemblesTheDatagram() throws Exception {
        Path file = dir.resolve("a.pcap");
        Files.write(file, capture());

        String out = run(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields", "-e", "frame.protocols",
                "-e", "ip.flags.mf", "-e", "udp.length"));

        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).startsWith("eth:ethertype:arp");
        assertThat(out).contains("udp");
        assertThat(lines.stream().filter(l -> l.contains("udp")).toList()).hasSize(2); // reassembled + reply
    }

    @Test
    void stopsCapturingButKeepsTrafficFlowingWhenTheStreamFails() {
        LinkPair wire = new LinkPair();
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        PcapWriter pcap = new PcapWriter(wire.a(), broken, () -> T0);

        pcap.transmit(ByteBuffer.wrap(new byte[60]));
        pcap.transmit(ByteBuffer.wrap(new byte[60]));

        assertThat(pcap.failure()).get().extracting(Throwable::getMessage).isEqualTo("disk full");
        assertThat(wire.b().pending()).isEqualTo(2);
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(command + ": " + stderr).isZero();
        return new String(stdout, StandardCharsets.UTF_8);
    }

    @Test
    void keepsOnlyTheSnapLengthOfEachFrameButRecordsItsRealLength() {
        LinkPair wire = new LinkPair();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter pcap = new PcapWriter(wire.a(), out, () -> T0, 128);

        pcap.transmit(ByteBuffer.allocate(1514));
        pcap.flush();

        ByteBuffer file = ByteBuffer.wrap(out.toByteArray());
        assertThat(file.getInt(16)).isEqualTo(128); // the global header's snaplen
        assertThat(file.getInt(32)).isEqualTo(128);
        assertThat(file.getInt(36)).isEqualTo(1514);
        assertThat(file.remaining()).isEqualTo(24 + 16 + 128);
        assertThat(wire.b().takeReceived()).hasSize(1514);
    }
}
