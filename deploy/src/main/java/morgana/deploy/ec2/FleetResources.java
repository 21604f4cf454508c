package morgana.deploy.ec2;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.autoscaling.model.Tag;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.IpAddressType;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetTypeEnum;

/**
 * What a fleet stands on, made when missing and otherwise left alone: a target group whose health check is
 * the server's health endpoint, an internet-facing Application Load Balancer in the fleet's subnets with a
 * listener on port 80 forwarding to it, a launch template version per image, and the Auto Scaling group.
 */
final class FleetResources {
    /** Health checks every 10 s, two in a row to change state: a new instance is in service about 20 s after it answers. */
    static final int HEALTH_INTERVAL_SECONDS = 10;
    static final int HEALTH_THRESHOLD = 2;

    private final AwsClients aws;
    private final FleetConfig config;
    private final FleetNames names;
    private final PrintStream out;

    FleetResources(AwsClients aws, FleetConfig config, FleetNames names, PrintStream out) {
        this.aws = aws;
        this.config = config;
        this.names = names;
        this.out = out;
    }

    /** The fleet's subnets: their VPC and each one's availability zone. */
    record Subnets(String vpcId, Map<String, String> zones) {
        long zoneCount() {
            return zones.values().stream().distinct().count();
        }
    }

    /** Reads the subnets and checks that they span two zones of one VPC, which only AWS can tell. */
    static Subnets subnets(AwsClients aws, FleetConfig config) {
        List<Subnet> found = aws.ec2().describeSubnets(b -> b.subnetIds(config.subnets())).subnets();
        Map<String, String> zones = new TreeMap<>();
        found.forEach(s -> zones.put(s.subnetId(), s.availabilityZone()));
        List<String> vpcs = found.stream().map(Subnet::vpcId).distinct().toList();
        if (vpcs.size() != 1) {
            throw new DeployException("deploy.ec2.fleet.subnets are in " + vpcs.size() + " VPCs (" + vpcs
                    + "); a load balancer's subnets are in one");
        }
        Subnets subnets = new Subnets(vpcs.getFirst(), zones);
        if (subnets.zoneCount() < 2) {
            throw new DeployException("deploy.ec2.fleet.subnets " + config.subnets() + " are all in "
                    + zones.values().iterator().next() + "; name subnets in two or more availability zones");
        }
        return subnets;
    }

    FleetState.TargetGroup targetGroup(FleetState state, Subnets subnets) {
        return state.targetGroup().orElseGet(() -> {
            String arn = aws.elb().createTargetGroup(b -> b.name(names.targetGroup()).protocol(ProtocolEnum.HTTP)
                    .port(config.httpPort()).vpcId(subnets.vpcId()).targetType(TargetTypeEnum.INSTANCE)
                    .healthCheckProtocol(ProtocolEnum.HTTP).healthCheckPath(SiteVerifier.HEALTH_PATH)
                    .healthCheckIntervalSeconds(HEALTH_INTERVAL_SECONDS).healthyThresholdCount(HEALTH_THRESHOLD)
                    .unhealthyThresholdCount(HEALTH_THRESHOLD).matcher(m -> m.httpCode("200"))
                    .tags(elbTag())).targetGroups().getFirst().targetGroupArn();
            aws.elb().modifyTargetGroupAttributes(b -> b.targetGroupArn(arn).attributes(a -> a
                    .key("deregistration_delay.timeout_seconds").value(Integer.toString(config.drainSeconds()))));
            out.println("created target group " + names.targetGroup() + " (HTTP:" + config.httpPort() + ", health "
                    + SiteVerifier.HEALTH_PATH + ", draining " + config.drainSeconds() + " s)");
            return new FleetState.TargetGroup(arn);
        });
    }

    /** The load balancer, and its listener on port 80 forwarding to {@code target}. */
    FleetState.LoadBalancer loadBalancer(FleetState state, FleetState.TargetGroup target) {
        FleetState.LoadBalancer balancer = state.loadBalancer().orElseGet(() -> {
            var made = aws.elb().createLoadBalancer(b -> b.name(names.loadBalancer()).subnets(config.subnets())
                    .securityGroups(config.loadBalancerSecurityGroupId()).scheme(LoadBalancerSchemeEnum.INTERNET_FACING)
                    .type(LoadBalancerTypeEnum.APPLICATION).ipAddressType(IpAddressType.IPV4).tags(elbTag()))
                    .loadBalancers().getFirst();
            out.println("created load balancer " + names.loadBalancer() + " at " + made.dnsName());
            return new FleetState.LoadBalancer(made.loadBalancerArn(), made.dnsName());
        });
        boolean listening = aws.elb().describeListeners(b -> b.loadBalancerArn(balancer.arn())).listeners().stream()
                .anyMatch(l -> l.port() == 80);
        if (!listening) {
            aws.elb().createListener(b -> b.loadBalancerArn(balancer.arn()).protocol(ProtocolEnum.HTTP).port(80)
                    .defaultActions(a -> a.type(ActionTypeEnum.FORWARD).targetGroupArn(target.arn())));
            out.println("created listener HTTP:80 -> " + names.targetGroup());
        }
        return balancer;
    }

    /** The launch template version that launches {@code imageId}: found, or added (the template made first). */
    FleetState.Template templateFor(FleetState state, String imageId, String bundleHash) {
        RequestLaunchTemplateData data = data(imageId, bundleHash);
        String description = "bundle " + SiteTags.shortHash(bundleHash);
        if (state.template().isEmpty()) {
            var made = aws.ec2().createLaunchTemplate(b -> b.launchTemplateName(names.template())
                    .versionDescription(description).launchTemplateData(data)
                    .tagSpecifications(t -> t.resourceType(ResourceType.LAUNCH_TEMPLATE)
                            .tags(SiteTags.ec2Tags(Map.of(SiteTags.SITE, config.site()))))).launchTemplate();
            out.println("created launch template " + names.template() + " (" + made.launchTemplateId()
                    + ") version 1: " + imageId);
            return new FleetState.Template(made.launchTemplateId(), 1,
                    List.of(new FleetState.Version(1, imageId, bundleHash)));
        }
        FleetState.Template template = state.template().get();
        if (template.forImage(imageId).isPresent()) {
            return template;
        }
        long number = aws.ec2().createLaunchTemplateVersion(b -> b.launchTemplateId(template.id())
                .versionDescription(description).launchTemplateData(data)).launchTemplateVersion().versionNumber();
        out.println("added launch template version " + number + ": " + imageId);
        List<FleetState.Version> versions = new java.util.ArrayList<>(template.versions());
        versions.add(new FleetState.Version(number, imageId, bundleHash));
        return new FleetState.Template(template.id(), template.defaultVersion(), versions);
    }

    /**
     * The group: made at {@code version} (which launches its first instances), or brought to the configured
     * bounds. Its desired capacity and version are the rollout's to change.
     */
    FleetState.Group group(FleetState state, FleetState.TargetGroup target, FleetState.Template template,
                           long version) {
        FleetConfig.Size size = config.size();
        if (state.group().isEmpty()) {
            aws.autoScaling().createAutoScalingGroup(b -> b.autoScalingGroupName(names.group())
                    .launchTemplate(t -> t.launchTemplateId(template.id()).version(Long.toString(version)))
                    .minSize(size.min()).maxSize(size.max()).desiredCapacity(size.desired())
                    .vpcZoneIdentifier(String.join(",", config.subnets())).targetGroupARNs(target.arn())
                    .healthCheckType("ELB").healthCheckGracePeriod(60)
                    .tags(Tag.builder().key(SiteTags.SITE).value(config.site()).propagateAtLaunch(true).build()));
            out.println("created Auto Scaling group " + names.group() + ": " + size.desired() + " instances ("
                    + size.min() + " to " + size.max() + ") in " + String.join(", ", config.subnets()));
            return FleetState.group(aws, names).orElseThrow();
        }
        FleetState.Group group = state.group().get();
        if (group.min() != size.min() || group.max() != size.max()) {
            aws.autoScaling().updateAutoScalingGroup(b -> b.autoScalingGroupName(names.group())
                    .minSize(size.min()).maxSize(size.max()));
            out.println("group " + names.group() + " bounds now " + size.min() + " to " + size.max());
        }
        return group;
    }

    private RequestLaunchTemplateData data(String imageId, String bundleHash) {
        Map<String, String> tags = SiteTags.forBundle(config.site(), bundleHash);
        return RequestLaunchTemplateData.builder().imageId(imageId).instanceType(config.instanceType())
                .networkInterfaces(n -> n.deviceIndex(0).associatePublicIpAddress(true)
                        .groups(config.securityGroupId()).deleteOnTermination(true))
                .metadataOptions(m -> m.httpTokens(LaunchTemplateHttpTokensState.REQUIRED))
                .tagSpecifications(LaunchTemplateTagSpecificationRequest.builder().resourceType(ResourceType.INSTANCE)
                        .tags(SiteTags.ec2Tags(tags)).build())
                .build();
    }

    private software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag elbTag() {
        return software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag.builder().key(SiteTags.SITE)
                .value(config.site()).build();
    }
}
