package morgana.deploy.ec2;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** What visitors reach the site through, read and moved: the blue/green switch. */
sealed interface PublicAddress {

    /** Where it points now, for the plan and for status: an instance id or an IPv4 address. */
    String describe();

    /** Whether it already sends visitors to {@code instance}. */
    boolean pointsAt(SiteState.SiteInstance instance);

    /** Moves it to {@code instance}, replacing whatever it pointed at; waits until the change is in effect. */
    void pointAt(SiteState.SiteInstance instance, Patience patience);

    /** The address to verify a switched site through. */
    URI publicBase(SiteState.SiteInstance instance, int port);

    static PublicAddress of(SwitchTarget target, AwsClients aws) {
        return switch (target) {
            case SwitchTarget.ElasticIp e -> new ElasticIpAddress(aws.ec2(), e.allocationId());
            case SwitchTarget.DnsRecord d -> new DnsRecordAddress(aws.route53(), d);
        };
    }

    static URI http(String host, int port) {
        return URI.create("http://" + host + (port == 80 ? "" : ":" + port) + "/");
    }

    record ElasticIpAddress(Ec2Client ec2, String allocationId) implements PublicAddress {
        private Address address() {
            return ec2.describeAddresses(b -> b.allocationIds(allocationId)).addresses().stream().findFirst()
                    .orElseThrow(() -> new DeployException("Elastic IP allocation " + allocationId + " not found"));
        }

        @Override
        public String describe() {
            Address a = address();
            return "Elastic IP " + a.publicIp() + " (" + allocationId + ") -> "
                    + Optional.ofNullable(a.instanceId()).orElse("nothing");
        }

        @Override
        public boolean pointsAt(SiteState.SiteInstance instance) {
            return instance.id().equals(address().instanceId());
        }

        @Override
        public void pointAt(SiteState.SiteInstance instance, Patience patience) {
            // AllowReassociation: one call moves the address; at no moment is it attached to nothing.
            ec2.associateAddress(b -> b.allocationId(allocationId).instanceId(instance.id()).allowReassociation(true));
        }

        @Override
        public URI publicBase(SiteState.SiteInstance instance, int port) {
            return http(address().publicIp(), port);
        }
    }

    record DnsRecordAddress(Route53Client route53, SwitchTarget.DnsRecord record) implements PublicAddress {
        private Optional<String> value() {
            return route53.listResourceRecordSets(b -> b.hostedZoneId(record.zoneId()).startRecordName(record.name())
                            .startRecordType(RRType.A).maxItems("1")).resourceRecordSets().stream()
                    .filter(r -> sameName(r.name(), record.name()) && r.type() == RRType.A)
                    .flatMap(r -> r.resourceRecords().stream()).map(ResourceRecord::value).findFirst();
        }

        private static boolean sameName(String a, String b) {
            return stripDot(a).equalsIgnoreCase(stripDot(b));
        }

        private static String stripDot(String name) {
            return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        }

        @Override
        public String describe() {
            return "DNS " + record.name() + " A -> " + value().orElse("nothing");
        }

        @Override
        public boolean pointsAt(SiteState.SiteInstance instance) {
            return instance.publicIp().isPresent() && value().equals(instance.publicIp());
        }

        @Override
        public void pointAt(SiteState.SiteInstance instance, Patience patience) {
            String ip = instance.publicIp().orElseThrow(() -> new DeployException(instance.id()
                    + " has no public IPv4 address to point " + record.name() + " at; use a subnet that assigns one"));
            ResourceRecordSet set = ResourceRecordSet.builder().name(record.name()).type(RRType.A)
                    .ttl(record.ttlSeconds()).resourceRecords(ResourceRecord.builder().value(ip).build()).build();
            String changeId = route53.changeResourceRecordSets(b -> b.hostedZoneId(record.zoneId())
                    .changeBatch(c -> c.comment("morgana deploy: " + instance.id())
                            .changes(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(set).build())))
                    .changeInfo().id();
            patience.await("Route 53 change " + changeId + " to be in sync", () -> Optional.of(true).filter(x ->
                    route53.getChange(b -> b.id(changeId)).changeInfo().status() == ChangeStatus.INSYNC));
        }

        @Override
        public URI publicBase(SiteState.SiteInstance instance, int port) {
            // Resolvers may hold the old answer for a TTL; the new instance is checked at the address the record holds.
            return http(value().orElseThrow(() -> new DeployException(record.name() + " has no A record")), port);
        }
    }
}
