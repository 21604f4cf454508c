/**
 * The DHCP client (RFC 2131 §4.4) as a pure state machine. A stack made with
 * {@link morgana.netstack.iface.StackConfig#dhcp} runs one: it starts with no address, broadcasts DISCOVER at
 * its first poll, binds the acknowledged address (with prefix and router), renews at T1, rebinds at T2 and
 * gives the address up at expiry. {@link morgana.netstack.iface.NetworkStack#dhcp()} exposes its state and
 * lease; {@link morgana.netstack.iface.NetworkStack#address()} tells when the stack has an address.
 */
package morgana.netstack.dhcp;
