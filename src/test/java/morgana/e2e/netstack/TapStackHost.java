package morgana.e2e.netstack;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import morgana.kernel.device.TapDevice;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.PcapWriter;
import morgana.netstack.udp.UdpDatagram;
import morgana.netstack.udp.UdpSocket;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * Runs Morgana's stack on a TAP device for the tests, in a child JVM inside their namespace: a static address
 * or DHCP, a UDP echo on port 7, every frame captured by {@link PcapWriter} into a file.
 *
 * <p>Arguments: tap name, {@code dhcp} or an address like {@code 10.98.0.2/24}, the pcap path, seconds to run.
 * Prints {@code ready}, then {@code bound <address>} when it has one, {@code udp <bytes> from <ip>} per
 * datagram, and {@code stats <...>} at the end.
 */
public final class TapStackHost {

    public static void main(String[] args) throws Exception {
        String tap = args[0];
        MacAddress mac = MacAddress.parse("02:00:00:98:00:02");
        StackConfig config = args[1].equals("dhcp") ? StackConfig.dhcp(mac, 1500)
                : new StackConfig(mac, Ipv4Cidr.parse(args[1]), Optional.empty(), 1500);
        Instant end = Instant.now().plusSeconds(Long.parseLong(args[3]));
        try (TapDevice tapDevice = TapDevice.open(tap);
                OutputStream file = new BufferedOutputStream(new FileOutputStream(args[2]))) {
            PcapWriter device = new PcapWriter(tapDevice, file, Instant::now);
            NetworkStack stack = new NetworkStack(config);
            UdpSocket echo = stack.bindUdp(7);
            System.out.println("ready " + tap);
            Optional<Ipv4Cidr> announced = Optional.empty();
            while (Instant.now().isBefore(end)) {
                Instant now = Instant.now();
                stack.poll(now, device);
                for (UdpDatagram d; (d = echo.receive()) != null; ) {
                    System.out.println("udp " + d.payload().length + " from " + d.source());
                    echo.send(d.source(), d.sourcePort(), d.payload());
                }
                if (!stack.address().equals(announced)) {
                    announced = stack.address();
                    System.out.println(announced.map(a -> "bound " + a).orElse("unbound"));
                }
                device.flush();
                Instant at = stack.pollAt(Instant.now()).orElse(Instant.now().plusMillis(200));
                long waitMillis = Math.max(0, Math.min(200, Duration.between(Instant.now(), at).toMillis()));
                if (waitMillis > 0) {
                    device.awaitFrame(Duration.ofMillis(waitMillis));
                }
            }
            device.flush();
            System.out.println("stats " + stack.stats());
        }
    }
}
