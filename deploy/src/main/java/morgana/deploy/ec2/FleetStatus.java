package morgana.deploy.ec2;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * {@code morgana deploy status} for a fleet: the load balancer, the group, and per availability zone each
 * instance with its lifecycle, its target health, its launch template version and image, the bundle its
 * tags name and the one its health endpoint answers.
 */
final class FleetStatus {
    private final AwsClients aws;
    private final FleetConfig config;
    private final FleetNames names;
    private final SiteVerifier verifier;

    FleetStatus(AwsClients aws, FleetConfig config, Duration requestTimeout) {
        this.aws = aws;
        this.config = config;
        this.names = new FleetNames(config.site());
        this.verifier = new SiteVerifier(requestTimeout);
    }

    List<String> lines() {
        FleetState fleet = FleetState.read(aws, names);
        List<String> lines = new ArrayList<>();
        lines.add("fleet " + config.site() + ": " + fleet.loadBalancer().map(l -> "load balancer "
                + names.loadBalancer() + " at " + l.dnsName()).orElse("no load balancer"));
        FleetDistribution.describe(aws, config).ifPresent(cdn -> lines.add("  cdn: " + cdn));
        if (fleet.group().isEmpty()) {
            lines.add("  no Auto Scaling group " + names.group() + " yet");
            return lines;
        }
        FleetState.Group group = fleet.group().get();
        List<FleetState.Member> alive = group.members().stream().filter(FleetState.Member::alive).toList();
        lines.add("  group " + group.name() + ": " + alive.size() + " instances (desired " + group.desired() + ", "
                + group.min() + " to " + group.max() + "), launching version " + group.version().map(String::valueOf)
                .orElse("?") + fleet.template().map(t -> " (default " + t.defaultVersion() + ")").orElse("")
                + (group.suspended().isEmpty() ? "" : "; suspended: " + String.join(", ", group.suspended())));
        Map<String, String> targets = fleet.targetGroup().map(t -> FleetState.targetHealth(aws, t.arn()))
                .orElse(Map.of());
        Map<String, Instance> instances = describe(group.members());
        Map<String, List<FleetState.Member>> zones = group.members().stream().collect(Collectors.groupingBy(
                FleetState.Member::zone, TreeMap::new, Collectors.toList()));
        zones.forEach((zone, members) -> {
            long serving = members.stream().filter(FleetState.Member::alive).count();
            lines.add("  " + zone + ": " + serving + " instance" + (serving == 1 ? "" : "s"));
            for (FleetState.Member m : members) {
                lines.add("    " + line(m, Optional.ofNullable(instances.get(m.instanceId())),
                        targets.getOrDefault(m.instanceId(), "unregistered")));
            }
        });
        for (SiteState.SiteImage i : SiteState.read(aws.ec2(), config.site()).images()) {
            lines.add("  image " + i.id() + " bundle " + SiteTags.shortHash(i.bundleHash()) + " registered "
                    + i.created() + fleet.template().flatMap(t -> t.forImage(i.id()))
                    .map(v -> ", launch template version " + v.number()).orElse(""));
        }
        return lines;
    }

    private String line(FleetState.Member m, Optional<Instance> instance, String target) {
        String image = instance.map(Instance::imageId).orElse("?");
        String tagged = instance.map(i -> SiteTags.toMap(i.tags()).getOrDefault(SiteTags.BUNDLE_HASH, ""))
                .map(SiteTags::shortHash).orElse("?");
        String answered = instance.flatMap(i -> Optional.ofNullable(i.publicIpAddress()))
                .map(ip -> verifier.health(PublicAddress.http(ip, config.httpPort())))
                .map(h -> h instanceof SiteVerifier.Health.Serving s ? "serves " + SiteTags.shortHash(s.bundleHash())
                        : h.describe()).orElse("no public address");
        return m.instanceId() + " " + m.lifecycle() + " " + m.health().toLowerCase(java.util.Locale.ROOT)
                + ", target " + target + ", version " + m.version().map(String::valueOf).orElse("?") + ", image "
                + image + ", bundle " + tagged + ", health endpoint " + answered;
    }

    private Map<String, Instance> describe(List<FleetState.Member> members) {
        if (members.isEmpty()) {
            return Map.of();
        }
        return aws.ec2().describeInstances(b -> b.instanceIds(members.stream().map(FleetState.Member::instanceId)
                        .toList())).reservations().stream().flatMap(r -> r.instances().stream())
                .collect(Collectors.toMap(Instance::instanceId, Function.identity(), (a, b) -> b));
    }
}
