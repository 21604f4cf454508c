package morgana.netstack.iface;

import java.util.Optional;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * What one interface of the stack is: its hardware address, its IPv4 address and prefix, and the gateway
 * that reaches everything off the prefix.
 */
public record StackConfig(MacAddress mac, Ipv4Cidr address, Optional<Ipv4Address> gateway, int mtu) {

    public StackConfig {
        if (mtu < 576 || mtu > 9000) {
            throw new IllegalArgumentException("an MTU is 576 to 9000, not " + mtu);
        }
        if (gateway.isPresent() && !address.contains(gateway.get())) {
            throw new IllegalArgumentException("gateway " + gateway.get() + " is not on " + address);
        }
    }

    public static StackConfig of(MacAddress mac, Ipv4Cidr address, Ipv4Address gateway) {
        return new StackConfig(mac, address, Optional.ofNullable(gateway), 1500);
    }
}
