package morgana.netstack.iface;

import java.util.Optional;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;
import morgana.netstack.wire.MacAddress;

/**
 * What one interface of the stack is: its hardware address, its IPv4 address and prefix, and the gateway
 * that reaches everything off the prefix. An address of {@code 0.0.0.0/0} (see {@link #dhcp}) means the stack
 * starts without one and asks DHCP (RFC 2131) for it.
 */
public record StackConfig(MacAddress mac, Ipv4Cidr address, Optional<Ipv4Address> gateway, int mtu) {

    /** The placeholder address of a stack configured by DHCP. */
    public static final Ipv4Cidr UNCONFIGURED = new Ipv4Cidr(Ipv4Address.ANY, 0);

    public StackConfig {
        if (mtu < 576 || mtu > 9000) {
            throw new IllegalArgumentException("an MTU is 576 to 9000, not " + mtu);
        }
        if (gateway.isPresent() && !address.contains(gateway.get())) {
            throw new IllegalArgumentException("gateway " + gateway.get() + " is not on " + address);
        }
        if (address.equals(UNCONFIGURED) && gateway.isPresent()) {
            throw new IllegalArgumentException("a stack configured by DHCP learns its gateway from DHCP");
        }
    }

    public static StackConfig of(MacAddress mac, Ipv4Cidr address, Ipv4Address gateway) {
        return new StackConfig(mac, address, Optional.ofNullable(gateway), 1500);
    }

    /**
     * A stack that starts with no address and runs a DHCP client: {@code new NetworkStack(StackConfig.dhcp(mac,
     * 1500))}. Its address, prefix and gateway come from the lease (see {@link NetworkStack#dhcp()}).
     */
    public static StackConfig dhcp(MacAddress mac, int mtu) {
        return new StackConfig(mac, UNCONFIGURED, Optional.empty(), mtu);
    }

    /** True for a stack that gets its address from DHCP. */
    public boolean usesDhcp() {
        return address.equals(UNCONFIGURED);
    }
}
