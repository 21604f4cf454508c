package morgana.deploy.cli;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.serve.DevServer;
import morgana.blog.site.SiteBuilder;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import morgana.unikernel.HostServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "serve", description = {
        "Serve a site from this host.",
        "  --net socket: on the host's own TCP (Netty NIO), for writing; with --watch, rebuilt on every save",
        "                and reloaded in the browser.",
        "  --net direct: through Morgana's TCP/IP stack on a TAP device (root or CAP_NET_ADMIN)."})
class ServeCommand implements Callable<Integer> {

    /** A locally administered unicast MAC (RFC 7042 §2.1), for the stack's end of the TAP. */
    static final MacAddress DEFAULT_MAC = MacAddress.parse("02:6d:6f:72:67:61");

    enum Net { socket, direct }

    @Parameters(index = "0", paramLabel = "SITE", description = "The site directory (with morgana.yaml).")
    Path site;

    @Option(names = "--net", defaultValue = "socket", description = "socket or direct (default: ${DEFAULT-VALUE}).")
    Net net;

    @Option(names = "--port", description = "TCP port (default: 8080 with --net socket, 80 with --net direct).")
    Integer port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on with --net socket.")
    String bind;

    @Option(names = "--tap", paramLabel = "NAME", description = "TAP device for --net direct (created if missing).")
    String tap;

    @Option(names = "--address", paramLabel = "CIDR", description = "The stack's address with --net direct, e.g. 10.0.0.2/24.")
    String address;

    @Option(names = "--gateway", paramLabel = "IP", description = "The stack's gateway with --net direct (optional).")
    String gateway;

    @Option(names = "--mac", paramLabel = "MAC", description = "The stack's MAC with --net direct (default: 02:6d:6f:72:67:61).")
    String mac;

    @Option(names = "--watch", description = "Rebuild when a file of the site changes and reload open pages (--net socket).")
    boolean watch;

    @picocli.CommandLine.Mixin
    BuildCommand.Publishing publishing = new BuildCommand.Publishing();

    Net net() {
        return net;
    }

    @Override
    public Integer call() throws Exception {
        Net mode = net();
        if (mode == Net.socket && (tap != null || address != null || gateway != null || mac != null)) {
            throw new Morgana.UsageProblem("--tap, --address, --gateway and --mac are for --net direct;"
                    + " add --net direct (or use `morgana run`)");
        }
        if (watch && mode != Net.socket) {
            throw new Morgana.UsageProblem("--watch is for --net socket (rebuilding needs no stack of ours)");
        }
        if (watch || publishing.drafts || publishing.future) {
            return serveWatched();
        }
        SiteBundle bundle = SiteBuilder.build(site);
        return switch (mode) {
            case socket -> serveOnSockets(bundle);
            case direct -> serveOnTap(bundle);
        };
    }

    private int serveWatched() throws Exception {
        int p = port != null ? port : 8080;
        try (DevServer server = DevServer.start(site, new InetSocketAddress(bind, p), publishing.options(), System.out, watch)) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "morgana-serve-stop"));
            System.out.printf("morgana: serving %s on http://%s:%d/ (host sockets%s)%n", site,
                    server.localAddress().getHostString(), server.localAddress().getPort(),
                    watch ? ", rebuilt on every change" : "");
            server.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private int serveOnSockets(SiteBundle bundle) throws InterruptedException {
        int p = port != null ? port : 8080;
        try (HostServer server = HostServer.startOnSockets(bundle, new InetSocketAddress(bind, p))) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "morgana-serve-stop"));
            System.out.printf("morgana: serving %s (%d entries) on http://%s:%d/ (host sockets)%n", site, bundle.size(),
                    server.localAddress().getHostString(), server.localAddress().getPort());
            server.awaitClose();
        }
        return 0;
    }

    private int serveOnTap(SiteBundle bundle) throws InterruptedException {
        if (tap == null || address == null) {
            throw new Morgana.UsageProblem("--net direct needs --tap NAME and --address CIDR,"
                    + " e.g. --tap tap0 --address 10.0.0.2/24 (then give the host side an address with `ip`)");
        }
        Ipv4Cidr cidr = parse("--address", address, "an IPv4 address with prefix like 10.0.0.2/24", Ipv4Cidr::parse);
        Optional<Ipv4Address> gw = gateway == null ? Optional.empty()
                : Optional.of(parse("--gateway", gateway, "an IPv4 address like 10.0.0.1", Ipv4Address::parse));
        MacAddress hw = mac == null ? DEFAULT_MAC : parse("--mac", mac, "a MAC like 02:00:00:00:00:01", MacAddress::parse);
        StackConfig config;
        try {
            config = new StackConfig(hw, cidr, gw, 1500);
        } catch (IllegalArgumentException e) {
            throw new Morgana.UsageProblem(e.getMessage());
        }
        int p = port != null ? port : 80;
        System.out.printf("morgana: serving %s on http://%s:%d/ through Morgana's stack on %s%n", site,
                cidr.address(), p, tap);
        HostServer.runOnTap(bundle, tap, config, p);
        return 0;
    }

    private static <T> T parse(String option, String text, String expected, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new Morgana.UsageProblem(option + " must be " + expected + ", not " + text);
        }
    }
}
