package morgana.deploy.ec2;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;

/**
 * A site's fleet as AWS describes it: its launch template and versions, its Auto Scaling group and members,
 * its target group and load balancer. Each is absent until a deploy made it.
 */
record FleetState(Optional<Template> template, Optional<Group> group, Optional<TargetGroup> targetGroup,
                  Optional<LoadBalancer> loadBalancer) {

    /** A launch template; its default version is the one the site was last rolled out to. */
    record Template(String id, long defaultVersion, List<Version> versions) {
        Optional<Version> version(long number) {
            return versions.stream().filter(v -> v.number() == number).findFirst();
        }

        Optional<Version> forImage(String imageId) {
            return versions.stream().filter(v -> v.imageId().equals(imageId)).max(Comparator.comparing(Version::number));
        }
    }

    record Version(long number, String imageId, String bundleHash) {
    }

    /** The group and the instances in it, each with the template version it was launched from. */
    record Group(String name, int min, int desired, int max, Optional<Long> version, List<Member> members,
                 List<String> suspended) {
    }

    record Member(String instanceId, String zone, String lifecycle, String health, Optional<Long> version) {
        boolean alive() {
            return lifecycle.equals("Pending") || lifecycle.startsWith("Pending:") || lifecycle.equals("InService");
        }
    }

    record TargetGroup(String arn) {
    }

    record LoadBalancer(String arn, String dnsName) {
    }

    static FleetState read(AwsClients aws, FleetNames names) {
        return new FleetState(template(aws, names), group(aws, names), targetGroup(aws, names), loadBalancer(aws, names));
    }

    static Optional<Template> template(AwsClients aws, FleetNames names) {
        return aws.ec2().describeLaunchTemplates(b -> b.filters(Filter.builder().name("launch-template-name")
                        .values(names.template()).build())).launchTemplates().stream().findFirst()
                .map(t -> new Template(t.launchTemplateId(), t.defaultVersionNumber(),
                        aws.ec2().describeLaunchTemplateVersionsPaginator(b -> b.launchTemplateId(t.launchTemplateId()))
                                .launchTemplateVersions().stream().map(FleetState::version)
                                .sorted(Comparator.comparing(Version::number)).toList()));
    }

    private static Version version(LaunchTemplateVersion v) {
        String hash = v.launchTemplateData().tagSpecifications().stream()
                .flatMap(s -> s.tags().stream()).filter(t -> t.key().equals(SiteTags.BUNDLE_HASH))
                .map(t -> t.value()).findFirst().orElse("");
        return new Version(v.versionNumber(), v.launchTemplateData().imageId(), hash);
    }

    static Optional<Group> group(AwsClients aws, FleetNames names) {
        return aws.autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(names.group()))
                .autoScalingGroups().stream().findFirst().map(FleetState::group);
    }

    private static Group group(AutoScalingGroup g) {
        List<Member> members = g.instances().stream().map(i -> new Member(i.instanceId(), i.availabilityZone(),
                        i.lifecycleStateAsString(), i.healthStatus(), Optional.ofNullable(i.launchTemplate())
                        .map(t -> t.version()).flatMap(FleetState::number)))
                .sorted(Comparator.comparing(Member::instanceId)).toList();
        return new Group(g.autoScalingGroupName(), g.minSize(), g.desiredCapacity(), g.maxSize(),
                Optional.ofNullable(g.launchTemplate()).map(t -> t.version()).flatMap(FleetState::number), members,
                g.suspendedProcesses().stream().map(p -> p.processName()).sorted().toList());
    }

    private static Optional<Long> number(String version) {
        return version != null && version.matches("[0-9]+") ? Optional.of(Long.parseLong(version)) : Optional.empty();
    }

    static Optional<TargetGroup> targetGroup(AwsClients aws, FleetNames names) {
        try {
            return aws.elb().describeTargetGroups(b -> b.names(names.targetGroup())).targetGroups().stream()
                    .findFirst().map(t -> new TargetGroup(t.targetGroupArn()));
        } catch (TargetGroupNotFoundException e) {
            return Optional.empty();
        }
    }

    static Optional<LoadBalancer> loadBalancer(AwsClients aws, FleetNames names) {
        try {
            return aws.elb().describeLoadBalancers(b -> b.names(names.loadBalancer())).loadBalancers().stream()
                    .findFirst().map(l -> new LoadBalancer(l.loadBalancerArn(), l.dnsName()));
        } catch (LoadBalancerNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The target group's view of each registered instance: initial, healthy, unhealthy, draining, ... */
    static Map<String, String> targetHealth(AwsClients aws, String targetGroupArn) {
        return aws.elb().describeTargetHealth(b -> b.targetGroupArn(targetGroupArn)).targetHealthDescriptions()
                .stream().collect(Collectors.toMap(d -> d.target().id(), d -> d.targetHealth().stateAsString(),
                        (a, b) -> b, java.util.TreeMap::new));
    }
}
