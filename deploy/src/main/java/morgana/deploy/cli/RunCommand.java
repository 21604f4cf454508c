package morgana.deploy.cli;

import java.util.List;
import java.util.Optional;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.server.BlogServerInitializer;
import morgana.blog.site.SiteBuilder;
import morgana.kernel.boot.TapHost;
import morgana.kernel.device.HostSide;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code morgana run} is {@code morgana serve --net direct}: Morgana's own stack, on a TAP device it attaches to
 * (or creates), optionally persistent, with the TAP's host side set up on request; it prints the commands it
 * ran and the URL to open.
 */
@Command(name = "run", description = {
        "Serve a site through Morgana's own TCP/IP stack on a TAP device (serve --net direct).",
        "Needs root or CAP_NET_ADMIN. --host-address gives the TAP's host side an address (with `ip`, printed);",
        "otherwise give it one yourself."})
final class RunCommand extends ServeCommand {

    @Option(names = "--host-address", paramLabel = "CIDR",
            description = "Give the TAP's host side this address and bring it up, e.g. 10.0.0.1/24 (runs ip).")
    String hostAddress;

    @Option(names = "--persist", description = "Keep the TAP after morgana exits (TUNSETPERSIST); "
            + "remove it with `ip tuntap del dev NAME mode tap`.")
    boolean persist;

    @Spec
    CommandSpec spec;

    @Override
    Net net() {
        return Net.direct;
    }

    @Override
    public Integer call() throws Exception {
        if (spec.commandLine().getParseResult().hasMatchedOption("--net") && net != Net.direct) {
            throw new Morgana.UsageProblem("morgana run always serves through Morgana's own stack (--net direct);"
                    + " for the host's sockets use `morgana serve --net socket`");
        }
        if (tap == null || address == null) {
            throw new Morgana.UsageProblem("morgana run needs --tap NAME and --address CIDR, e.g. --tap tap0"
                    + " --address 10.0.0.2/24 --host-address 10.0.0.1/24");
        }
        StackConfig config = stackConfig();
        Optional<Ipv4Cidr> host = hostAddress == null ? Optional.empty()
                : Optional.of(option("--host-address", hostAddress, "an IPv4 address with prefix like 10.0.0.1/24",
                        Ipv4Cidr::parse));
        if (host.isPresent() && (!host.get().contains(config.address().address())
                || host.get().address().equals(config.address().address()))) {
            throw new Morgana.UsageProblem("--host-address " + hostAddress + " must be another address on the"
                    + " stack's network " + config.address());
        }
        SiteBundle bundle = SiteBuilder.build(site);
        int p = port != null ? port : 80;
        TapHost server = TapHost.start(tap, config, p, new BlogServerInitializer(bundle));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "morgana-run-stop"));
        if (persist) {
            server.setPersistent(true);
            System.out.printf("morgana: %s is persistent; remove it with `ip tuntap del dev %s mode tap`%n",
                    server.tapName(), server.tapName());
        }
        List<String> ran = host.map(h -> HostSide.configure(server.tapName(), h)).orElse(List.of());
        for (String command : ran) {
            System.out.println("morgana: ran: " + command);
        }
        System.out.printf("morgana: serving %s on http://%s:%d/ through Morgana's stack on %s%n", site,
                config.address().address(), p, server.tapName());
        server.runner().awaitTermination();
        return 0;
    }

    private StackConfig stackConfig() {
        Ipv4Cidr cidr = option("--address", address, "an IPv4 address with prefix like 10.0.0.2/24", Ipv4Cidr::parse);
        Optional<Ipv4Address> gw = Optional.ofNullable(gateway)
                .map(g -> option("--gateway", g, "an IPv4 address like 10.0.0.1", Ipv4Address::parse));
        MacAddress hw = Optional.ofNullable(mac)
                .map(m -> option("--mac", m, "a MAC like 02:00:00:00:00:01", MacAddress::parse)).orElse(DEFAULT_MAC);
        try {
            return new StackConfig(hw, cidr, gw, 1500);
        } catch (IllegalArgumentException e) {
            throw new Morgana.UsageProblem(e.getMessage());
        }
    }

    private static <T> T option(String name, String text, String expected, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new Morgana.UsageProblem(name + " must be " + expected + ", not " + text);
        }
    }
}
