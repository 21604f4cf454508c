package morgana.e2e.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.server.BlogServerInitializer;
import morgana.blog.server.HttpServerConfig;
import morgana.blog.site.SiteBuilder;
import morgana.kernel.boot.TapHost;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * The blog on Morgana's stack over a TAP, with an idle timeout of the test's choosing (the CLI has no flag
 * for it). Run in a child JVM inside a namespace. Arguments: site directory, TAP name, the stack's address
 * with prefix, port, idle timeout in milliseconds, seconds to run at most, connections allowed per client address, header read timeout in milliseconds. Prints {@code serving ...} once
 * up and the server's {@code HttpStats} every second.
 */
public final class DirectBlogServer {

    static final MacAddress MAC = MacAddress.parse("02:00:00:66:00:02");

    public static void main(String[] args) throws Exception {
        SiteBundle bundle = SiteBuilder.build(Path.of(args[0]));
        StackConfig stack = new StackConfig(MAC, Ipv4Cidr.parse(args[2]), Optional.empty(), 1500);
        HttpServerConfig config = HttpServerConfig.defaults().withIdleTimeout(Duration.ofMillis(Long.parseLong(args[4])))
                .withConnectionLimits(64, Integer.parseInt(args[6]))
                .withHeaderReadTimeout(Duration.ofMillis(Long.parseLong(args[7])));
        var application = new BlogServerInitializer(bundle, config);
        long until = System.nanoTime() + Long.parseLong(args[5]) * 1_000_000_000L;
        try (TapHost host = TapHost.start(args[1], stack, Integer.parseInt(args[3]), application)) {
            System.out.println("serving " + host.localAddress().getAddress().getHostAddress() + ":"
                    + host.localAddress().getPort() + " on " + host.tapName());
            while (System.nanoTime() < until) {
                Thread.sleep(1000);
                System.out.println("stats " + application.stats());
            }
        }
        System.out.println("stopped");
    }
}
