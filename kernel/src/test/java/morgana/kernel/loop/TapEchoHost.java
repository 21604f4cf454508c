package morgana.kernel.loop;

import java.util.Optional;
import morgana.kernel.boot.TapHost;
import morgana.kernel.testing.UpperCaseEcho;
import morgana.netstack.iface.StackConfig;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * Run by {@link TapHostTest} in a child JVM inside a namespace: serves a TCP echo on our stack over a TAP.
 * Arguments: TAP name, the stack's address with prefix, port, seconds to run.
 */
public final class TapEchoHost {

    static final MacAddress MAC = MacAddress.parse("02:00:00:77:00:02");

    public static void main(String[] args) throws Exception {
        StackConfig config = new StackConfig(MAC, Ipv4Cidr.parse(args[1]), Optional.empty(), 1500);
        try (TapHost host = TapHost.start(args[0], config, Integer.parseInt(args[2]), new UpperCaseEcho())) {
            System.out.println("serving " + host.localAddress().getAddress().getHostAddress() + ":"
                    + host.localAddress().getPort() + " on " + host.tapName());
            Thread.sleep(Long.parseLong(args[3]) * 1000);
            System.out.println("stopping");
        }
        System.out.println("stopped");
    }
}
