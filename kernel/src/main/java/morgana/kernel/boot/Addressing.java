package morgana.kernel.boot;

import java.util.Optional;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;

/** How the guest gets its IPv4 address: leased by DHCP on the link, or fixed in the manifest. */
public sealed interface Addressing {

    /** The manifest's word for this mode: {@code dhcp} or {@code static}. */
    String mode();

    /** RFC 2131: the link's DHCP server (qemu's user-mode network has one) leases the address and gateway. */
    record Dhcp() implements Addressing {
        @Override
        public String mode() {
            return "dhcp";
        }
    }

    /** A fixed address with its prefix, and the router off-link traffic goes to, if any. */
    record Static(Ipv4Cidr address, Optional<Ipv4Address> gateway) implements Addressing {
        public Static {
            if (gateway.isPresent() && !address.contains(gateway.get())) {
                throw new IllegalArgumentException("gateway " + gateway.get() + " is not on " + address);
            }
        }

        @Override
        public String mode() {
            return "static";
        }
    }
}
