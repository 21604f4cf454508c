package morgana.deploy.ec2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state behind the fake Auto Scaling, ELBv2, launch templates and CloudFront: subnets in zones, launch
 * template versions, groups and their members, target groups and their targets, load balancers.
 */
final class FakeFleet {
    static final String VPC = "vpc-0f1ee7";

    /** A version's data as EC2 keeps it: the image, the type, the tags instances get. */
    record TemplateData(String imageId, String instanceType, String securityGroupId, String httpTokens,
                        Map<String, String> instanceTags) {
    }

    static final class FakeTemplate {
        final String id;
        final String name;
        final List<TemplateData> versions = new ArrayList<>();
        volatile long defaultVersion = 1;

        FakeTemplate(String id, String name) {
            this.id = id;
            this.name = name;
        }

        TemplateData version(String version) {
            long number = switch (version) {
                case "$Latest" -> versions.size();
                case "$Default" -> defaultVersion;
                default -> Long.parseLong(version);
            };
            return versions.get((int) number - 1);
        }
    }

    /** A member of a group: the instance, the version it was launched from, its lifecycle state. */
    static final class Member {
        final String instanceId;
        final String zone;
        final long version;
        volatile String lifecycle = "Pending";

        Member(String instanceId, String zone, long version) {
            this.instanceId = instanceId;
            this.zone = zone;
            this.version = version;
        }
    }

    static final class FakeGroup {
        final String name;
        final List<String> subnets;
        final List<String> targetGroupArns;
        final Map<String, String> tags;
        volatile String templateId;
        volatile String version;
        volatile int min;
        volatile int max;
        volatile int desired;
        final List<Member> members = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Set<String> suspended = new TreeSet<>();

        FakeGroup(String name, List<String> subnets, List<String> targetGroupArns, Map<String, String> tags) {
            this.name = name;
            this.subnets = List.copyOf(subnets);
            this.targetGroupArns = List.copyOf(targetGroupArns);
            this.tags = tags;
        }
    }

    /** A registered target: how often the load balancer was asked about it, and whether it is draining. */
    static final class Target {
        final String instanceId;
        volatile int looks;
        volatile boolean draining;
        /** What the load balancer last said of it: it routes only to a target it found healthy. */
        volatile String state = "initial";

        Target(String instanceId) {
            this.instanceId = instanceId;
        }
    }

    static final class FakeTargetGroup {
        final String arn;
        final String name;
        final int port;
        final String healthPath;
        final Map<String, String> attributes = new ConcurrentHashMap<>();
        final Map<String, Target> targets = new ConcurrentHashMap<>();

        FakeTargetGroup(String arn, String name, int port, String healthPath) {
            this.arn = arn;
            this.name = name;
            this.port = port;
            this.healthPath = healthPath;
        }
    }

    record FakeLoadBalancer(String arn, String name, String dnsName, List<String> subnets, List<String> groups,
                            String scheme, Map<Integer, String> listeners) {
    }

    /** Subnet id to availability zone. */
    final Map<String, String> subnets = new LinkedHashMap<>();
    final Map<String, FakeTemplate> templates = new ConcurrentHashMap<>();
    final Map<String, FakeGroup> groups = new ConcurrentHashMap<>();
    final Map<String, FakeTargetGroup> targetGroups = new ConcurrentHashMap<>();
    final Map<String, FakeLoadBalancer> loadBalancers = new ConcurrentHashMap<>();

    FakeFleet() {
        subnets.put("subnet-0aaa", "eu-west-1a");
        subnets.put("subnet-0bbb", "eu-west-1b");
        subnets.put("subnet-0ccc", "eu-west-1c");
        subnets.put("subnet-0ddd", "eu-west-1a");
    }

    FakeTemplate templateNamed(String name) {
        return templates.values().stream().filter(t -> t.name.equals(name)).findFirst().orElse(null);
    }
}
