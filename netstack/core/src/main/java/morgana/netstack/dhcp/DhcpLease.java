package morgana.netstack.dhcp;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import morgana.netstack.wire.Ipv4Address;
import morgana.netstack.wire.Ipv4Cidr;

/**
 * An address leased by a DHCP server (RFC 2131 §3.1 step 5), with the times the client acts on, counted from
 * when the client sent the REQUEST the ACK answered (RFC 2131 §4.4.1).
 *
 * @param renewAt  T1: start RENEWING
 * @param rebindAt T2: start REBINDING
 * @param expiresAt the lease ends and the address must no longer be used
 */
public record DhcpLease(Ipv4Cidr address, Optional<Ipv4Address> router, List<Ipv4Address> dnsServers,
                        Ipv4Address server, Instant renewAt, Instant rebindAt, Instant expiresAt) {

    public DhcpLease {
        dnsServers = List.copyOf(dnsServers);
    }

    public Duration remaining(Instant now) {
        return now.isBefore(expiresAt) ? Duration.between(now, expiresAt) : Duration.ZERO;
    }
}
