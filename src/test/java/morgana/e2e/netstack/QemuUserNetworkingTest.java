package morgana.e2e.netstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import morgana.e2e.ChildProcess;
import morgana.netstack.dhcp.DhcpLease;
import morgana.netstack.iface.NetworkStack;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.phy.Device;
import morgana.netstack.tcp.TcpConnection;
import morgana.netstack.tcp.TcpState;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our DHCP client against qemu's user-mode networking (slirp), the network every qemu boot test uses, with no
 * guest at all: qemu joins its user netdev to a UDP socket netdev through a hub, and our stack sends and
 * receives its Ethernet frames as UDP datagrams on the loopback. It must lease 10.0.2.15 and then reach the
 * host through slirp's 10.0.2.2 with TCP.
 */
class QemuUserNetworkingTest {

    /** A {@link Device} whose frames travel as UDP datagrams to and from qemu's socket netdev. */
    static final class UdpTunnelDevice implements Device, AutoCloseable {
        final DatagramChannel channel;
        final InetSocketAddress qemu;

        UdpTunnelDevice(InetSocketAddress qemu) throws IOException {
            this.channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.channel.configureBlocking(false);
            this.qemu = qemu;
        }

        int port() throws IOException {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        @Override
        public boolean receive(ByteBuffer frame) {
            try {
                int start = frame.position();
                if (channel.receive(frame) == null) {
                    frame.clear();
                    return false;
                }
                frame.limit(frame.position()).position(start);
                return true;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void transmit(ByteBuffer frame) {
            try {
                channel.send(frame, qemu);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public int mtu() {
            return 1500;
        }

        @Override
        public void awaitFrame(Duration timeout) throws InterruptedException {
            Thread.sleep(Math.max(1, Math.min(timeout.toMillis(), 5)));
        }

        @Override
        public void wakeup() {
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @Test
    void leasesFromSlirpAndReachesTheHostThroughIt(@TempDir Path tmp) throws Exception {
        int qemuPort;
        try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            qemuPort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        try (UdpTunnelDevice device = new UdpTunnelDevice(new InetSocketAddress(InetAddress.getLoopbackAddress(), qemuPort));
                ServerSocket host = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ChildProcess qemu = ChildProcess.start("qemu user networking", List.of("qemu-system-x86_64", "-M", "none",
                        "-nodefaults", "-display", "none", "-netdev", "user,id=u",
                        "-netdev", "socket,id=s,udp=127.0.0.1:" + device.port() + ",localaddr=127.0.0.1:" + qemuPort,
                        "-netdev", "hubport,id=h1,hubid=0,netdev=u", "-netdev", "hubport,id=h2,hubid=0,netdev=s"),
                        tmp, tmp.resolve("qemu.log"))) {
            NetworkStack stack = new NetworkStack(StackConfig.dhcp(MacAddress.parse("52:54:00:12:34:56"), 1500));

            assertThat(run(stack, device, () -> stack.address().isPresent(), Duration.ofSeconds(30)))
                    .as("lease from slirp; %s; %s", stack.stats(), qemu.report()).isTrue();
            assertThat(stack.address()).contains(Ipv4Cidr.parse("10.0.2.15/24"));
            DhcpLease lease = stack.dhcp().orElseThrow().lease().orElseThrow();
            assertThat(lease.router()).contains(Ipv4Address.parse("10.0.2.2"));
            assertThat(lease.server()).isEqualTo(Ipv4Address.parse("10.0.2.2"));
            assertThat(lease.dnsServers()).contains(Ipv4Address.parse("10.0.2.3"));

            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (Socket s = host.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                    byte[] hello = in.readNBytes(5);
                    out.write(("hi " + new String(hello, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                    return new String(hello, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            TcpConnection c = stack.connect(Ipv4Address.parse("10.0.2.2"), host.getLocalPort());
            assertThat(run(stack, device, () -> c.state() == TcpState.ESTABLISHED, Duration.ofSeconds(20)))
                    .as("TCP through slirp: %s", stack.stats()).isTrue();
            c.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(8);
            assertThat(run(stack, device, () -> {
                c.read(reply);
                return !reply.hasRemaining();
            }, Duration.ofSeconds(20))).isTrue();

            assertThat(new String(reply.array(), StandardCharsets.US_ASCII)).isEqualTo("hi hello");
            assertThat(served.get(5, TimeUnit.SECONDS)).isEqualTo("hello");
            c.abort();
            run(stack, device, () -> false, Duration.ofMillis(200));
        }
    }

    /** Polls the stack on the real clock until {@code done} or the timeout. */
    private static boolean run(NetworkStack stack, Device device, BooleanSupplier done, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            stack.poll(Instant.now(), device);
            if (done.getAsBoolean()) {
                return true;
            }
            Optional<Instant> at = stack.pollAt(Instant.now());
            long wait = at.map(t -> Duration.between(Instant.now(), t).toMillis()).orElse(5L);
            device.awaitFrame(Duration.ofMillis(Math.max(1, Math.min(wait, 5))));
        }
        return false;
    }
}
