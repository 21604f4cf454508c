package morgana.e2e.netstack;

import static morgana.e2e.netstack.ChildJvm.awaitOutput;
import static morgana.e2e.netstack.ChildJvm.javaCommand;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import morgana.e2e.ChildProcess;
import morgana.e2e.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Morgana's stack on a real TAP device, in a network namespace the test creates, against the real Linux
 * stack: fragmented ping both ways, a fragmented UDP datagram echoed, a port unreachable and a reset that Linux
 * matches to its sockets, a lease from dnsmasq, and captures of it all (tcpdump's on the host side,
 * {@code PcapWriter}'s on ours) that tcpdump and tshark parse.
 */
class StackOnTapTest {

    private static final String TAP = "mtap9";
    private static final String HOST_SIDE = "10.98.0.1/24";
    private static final String STACK_IP = "10.98.0.2";

    @Test
    void answersFragmentedPingAndEchoesAFragmentedUdpDatagram(@TempDir Path tmp) throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create("morgana-ns")) {
            tap(ns, HOST_SIDE);
            Path ours = tmp.resolve("stack.pcap");
            Path theirs = tmp.resolve("host.pcap");
            // --immediate-mode: without it the capture hands packets over in blocks (up to a second late), and
            // stopping it can lose the last ones (it lost the port unreachable once, on a loaded machine).
            try (ChildProcess capture = ChildProcess.start("tcpdump", ns.inside(List.of("tcpdump", "-i", TAP, "-U",
                    "--immediate-mode", "-w", theirs.toString())), tmp, tmp.resolve("tcpdump.log"));
                    ChildProcess stack = startStack(ns, tmp, STACK_IP + "/24", ours)) {
                awaitOutput(stack, "bound " + STACK_IP + "/24", Duration.ofSeconds(30));
                awaitOutput(capture, "listening on", Duration.ofSeconds(20));

                String ping = ns.exec(Duration.ofSeconds(30), "ping", "-c", "3", "-W", "3", "-s", "4000", STACK_IP);
                assertThat(ping).as(stack.report()).contains("3 packets transmitted, 3 received");

                String udp = ns.exec(Duration.ofSeconds(60), javaCommand(UdpRoundTrip.class, STACK_IP, "6000"));
                assertThat(udp).as(stack.report()).contains("echoed 6000");
                awaitOutput(stack, "udp 6000 from 10.98.0.1", Duration.ofSeconds(5));

                String closed = ns.exec(Duration.ofSeconds(60), javaCommand(UdpRoundTrip.class, STACK_IP, "9999", "closed"));
                assertThat(closed).as(stack.report()).contains("port unreachable");
                String refused = ns.exec(Duration.ofSeconds(30), "sh", "-c",
                        "curl -sS -m 5 http://" + STACK_IP + ":8080/ 2>&1; true");
                // curl's words for ECONNREFUSED (a timeout would be "(28) ... timed out")
                assertThat(refused).as(stack.report()).contains("curl: (7)").contains("Couldn't connect to server");
                Thread.sleep(500); // let tcpdump write the last packets
            }

            String host = ChildProcess.run(Duration.ofSeconds(60), "tcpdump", "-nn", "-r", theirs.toString());
            assertThat(host).contains("10.98.0.1 > 10.98.0.2: ICMP echo request")
                    .contains("10.98.0.2 > 10.98.0.1: ICMP echo reply")
                    .contains("10.98.0.1.")
                    .contains("> 10.98.0.2.7: UDP, length 6000")
                    .contains("10.98.0.2.7 > 10.98.0.1.");
            String stackSide = ChildProcess.run(Duration.ofSeconds(60), "tshark", "-n", "-r", ours.toString());
            assertThat(stackSide).contains("Echo (ping) request").contains("Echo (ping) reply")
                    .contains("Fragmented IP protocol");
            String fragments = ChildProcess.run(Duration.ofSeconds(60), "tcpdump", "-nn", "-v", "-r", ours.toString());
            assertThat(fragments).contains("flags [+]").contains("proto ICMP (1)").contains("proto UDP (17)");
            assertThat(host).contains("10.98.0.2 > 10.98.0.1: ICMP 10.98.0.2 udp port 9999 unreachable")
                    .contains("10.98.0.2.8080 > 10.98.0.1.");
        }
    }

    @Test
    void leasesAnAddressFromDnsmasqAndAnswersPingOnIt(@TempDir Path tmp) throws Exception {
        try (NetworkNamespace ns = NetworkNamespace.create("morgana-ns")) {
            tap(ns, "10.97.0.1/24");
            Path ours = tmp.resolve("dhcp.pcap");
            try (ChildProcess stack = startStack(ns, tmp, "dhcp", ours)) {
                awaitOutput(stack, "ready", Duration.ofSeconds(30));
                try (ChildProcess dnsmasq = ChildProcess.start("dnsmasq", ns.inside(List.of("dnsmasq", "--no-daemon",
                        "--conf-file=/dev/null", "--port=0", "--interface=" + TAP, "--bind-interfaces",
                        "--dhcp-range=10.97.0.50,10.97.0.59,255.255.255.0,2m", "--dhcp-option=option:router,10.97.0.1",
                        "--dhcp-leasefile=" + tmp.resolve("leases"), "--log-dhcp")), tmp, tmp.resolve("dnsmasq.log"))) {
                    String bound = awaitOutput(stack, "bound 10.97.0.5", Duration.ofSeconds(60));
                    String address = bound.substring("bound ".length(), bound.indexOf('/'));
                    assertThat(bound).endsWith("/24");

                    String ping = ns.exec(Duration.ofSeconds(30), "ping", "-c", "2", "-W", "3", address);
                    assertThat(ping).as(stack.report()).contains("2 packets transmitted, 2 received");
                    assertThat(dnsmasq.output()).contains("DHCPDISCOVER(" + TAP + ")").contains("DHCPOFFER(" + TAP + ")")
                            .contains("DHCPREQUEST(" + TAP + ")").contains("DHCPACK(" + TAP + ") " + address);
                }
            }
            String capture = ChildProcess.run(Duration.ofSeconds(60), "tshark", "-n", "-r", ours.toString(), "-Y", "dhcp");
            assertThat(capture).contains("DHCP Discover").contains("DHCP Offer").contains("DHCP Request")
                    .contains("DHCP ACK");
        }
    }

    private static void tap(NetworkNamespace ns, String hostAddress) throws Exception {
        ns.ip("tuntap", "add", "dev", TAP, "mode", "tap");
        ns.ip("addr", "add", hostAddress, "dev", TAP);
        ns.ip("link", "set", TAP, "up");
    }

    private static ChildProcess startStack(NetworkNamespace ns, Path tmp, String address, Path pcap) throws Exception {
        return ChildProcess.start("stack on " + TAP, ns.inside(List.of(javaCommand(TapStackHost.class, TAP, address,
                pcap.toString(), "60"))), tmp, tmp.resolve("stack-" + address.replace('/', '_') + ".log"));
    }
}
