package morgana.deploy.ec2;

/** Where the public reaches the site, and so what a blue/green switch moves. */
public sealed interface SwitchTarget {

    /** An Elastic IP, moved with AssociateAddress (reassociation allowed) from the old instance to the new. */
    record ElasticIp(String allocationId) implements SwitchTarget {
    }

    /**
     * A Route 53 A record, UPSERTed to the new instance's public address. A low TTL bounds how long
     * resolvers keep sending visitors to the old one.
     */
    record DnsRecord(String zoneId, String name, long ttlSeconds) implements SwitchTarget {
    }
}
