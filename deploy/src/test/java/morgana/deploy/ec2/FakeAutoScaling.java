package morgana.deploy.ec2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Auto Scaling (Query API 2011-01-01) for the calls a fleet deploy makes. As in AWS, a call only sets the
 * capacity; the group acts on it in its own time, here at the next look (DescribeAutoScalingGroups): it
 * launches from its launch template version into the zone with the fewest of its instances, and a member is
 * Pending on that look, then InService (running, registered in its target groups) on the one after.
 */
final class FakeAutoScaling implements FakeAws.Service {
    private static final String NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

    private final FakeCloud cloud;
    private final FakeFleet fleet;

    FakeAutoScaling(FakeCloud cloud) {
        this.cloud = cloud;
        this.fleet = cloud.fleet;
    }

    @Override
    public boolean serves(FakeAws.Request request) {
        return FakeQuery.speaks(request, "2011-01-01");
    }

    @Override
    public String action(FakeAws.Request request) {
        return FakeEc2.params(request).getOrDefault("Action", "?");
    }

    @Override
    public FakeAws.Response handle(String action, FakeAws.Request request) {
        Map<String, String> p = FakeEc2.params(request);
        synchronized (fleet) {
            return switch (action) {
                case "DescribeAutoScalingGroups" -> {
                    List<String> names = FakeQuery.members(p, "AutoScalingGroupNames");
                    List<FakeFleet.FakeGroup> found = fleet.groups.values().stream()
                            .filter(g -> names.isEmpty() || names.contains(g.name)).toList();
                    found.forEach(this::advance);
                    yield FakeQuery.answer(action, NS, xml -> {
                        xml.open("AutoScalingGroups");
                        found.forEach(g -> group(xml, g));
                        xml.close("AutoScalingGroups");
                    });
                }
                case "CreateAutoScalingGroup" -> {
                    String name = p.get("AutoScalingGroupName");
                    FakeQuery.require(!fleet.groups.containsKey(name), "AlreadyExists", name + " exists");
                    Map<String, String> tags = new LinkedHashMap<>();
                    List<String> keys = FakeQuery.memberFields(p, "Tags", "Key");
                    for (int n = 0; n < keys.size(); n++) {
                        tags.put(keys.get(n), p.get("Tags.member." + (n + 1) + ".Value"));
                    }
                    FakeFleet.FakeGroup g = new FakeFleet.FakeGroup(name, List.of(p.get("VPCZoneIdentifier").split(",")),
                            FakeQuery.members(p, "TargetGroupARNs"), tags);
                    configure(g, p);
                    fleet.groups.put(name, g);
                    yield FakeQuery.answer(action, NS, xml -> { });
                }
                case "UpdateAutoScalingGroup" -> {
                    FakeFleet.FakeGroup g = group(p);
                    configure(g, p);
                    yield FakeQuery.answer(action, NS, xml -> { });
                }
                case "SetDesiredCapacity" -> {
                    FakeFleet.FakeGroup g = group(p);
                    int desired = Integer.parseInt(p.get("DesiredCapacity"));
                    FakeQuery.require(desired >= g.min && desired <= g.max, "ValidationError",
                            "New SetDesiredCapacity value " + desired + " is outside " + g.min + ".." + g.max);
                    g.desired = desired;
                    yield FakeQuery.answer(action, NS, xml -> { });
                }
                case "TerminateInstanceInAutoScalingGroup" -> {
                    String id = p.get("InstanceId");
                    FakeFleet.FakeGroup g = fleet.groups.values().stream()
                            .filter(x -> x.members.stream().anyMatch(m -> m.instanceId.equals(id))).findFirst()
                            .orElseThrow(() -> new FakeAws.ServiceError(400, "ValidationError",
                                    "Instance Id not found - " + id));
                    FakeFleet.Member m = g.members.stream().filter(x -> x.instanceId.equals(id)).findFirst().orElseThrow();
                    if ("true".equals(p.get("ShouldDecrementDesiredCapacity"))) {
                        FakeQuery.require(g.desired - 1 >= g.min, "ValidationError", "Currently, desiredSize equals"
                                + " minSize (" + g.min + "). Terminating instance without replacement will violate"
                                + " group's min size constraint.");
                        g.desired--;
                    }
                    terminate(g, m);
                    yield FakeQuery.answer(action, NS, xml -> xml.open("Activity").text("ActivityId", "act-" + id)
                            .text("AutoScalingGroupName", g.name).text("StatusCode", "InProgress").close("Activity"));
                }
                case "SuspendProcesses" -> {
                    group(p).suspended.addAll(FakeQuery.members(p, "ScalingProcesses"));
                    yield FakeQuery.answer(action, NS, xml -> { });
                }
                case "ResumeProcesses" -> {
                    group(p).suspended.removeAll(FakeQuery.members(p, "ScalingProcesses"));
                    yield FakeQuery.answer(action, NS, xml -> { });
                }
                default -> throw new IllegalArgumentException("the fake Auto Scaling does not implement " + action);
            };
        }
    }

    private FakeFleet.FakeGroup group(Map<String, String> p) {
        FakeFleet.FakeGroup g = fleet.groups.get(p.get("AutoScalingGroupName"));
        FakeQuery.require(g != null, "ValidationError", "AutoScalingGroup name not found - " + p.get("AutoScalingGroupName"));
        return g;
    }

    private static void configure(FakeFleet.FakeGroup g, Map<String, String> p) {
        if (p.containsKey("LaunchTemplate.LaunchTemplateId")) {
            g.templateId = p.get("LaunchTemplate.LaunchTemplateId");
            g.version = p.getOrDefault("LaunchTemplate.Version", "$Default");
        }
        if (p.containsKey("MinSize")) {
            g.min = Integer.parseInt(p.get("MinSize"));
        }
        if (p.containsKey("MaxSize")) {
            g.max = Integer.parseInt(p.get("MaxSize"));
        }
        if (p.containsKey("DesiredCapacity")) {
            g.desired = Integer.parseInt(p.get("DesiredCapacity"));
        }
        g.desired = Math.max(g.min, Math.min(g.max, g.desired));
    }

    /**
     * One look's worth of time: launched instances come into service, terminating ones are gone, and the
     * group launches (or terminates) toward its desired capacity, which a call only sets.
     */
    private void advance(FakeFleet.FakeGroup g) {
        for (FakeFleet.Member m : g.members) {
            if (m.lifecycle.equals("Terminating")) {
                g.members.remove(m);
            } else if (m.lifecycle.equals("Pending")) {
                cloud.run(cloud.instances.get(m.instanceId));
                m.lifecycle = "InService";
                for (String arn : g.targetGroupArns) {
                    fleet.targetGroups.get(arn).targets.put(m.instanceId, new FakeFleet.Target(m.instanceId));
                }
            }
        }
        reconcile(g);
    }

    /** Launches or terminates until the group has desired members, as Auto Scaling does in its own time. */
    private void reconcile(FakeFleet.FakeGroup g) {
        List<FakeFleet.Member> alive = new ArrayList<>(g.members.stream().filter(m -> !m.lifecycle.equals("Terminating"))
                .toList());
        while (alive.size() < g.desired) {
            alive.add(launch(g, alive));
        }
        while (alive.size() > g.desired) {
            // the default termination policy: the zone with the most instances, the oldest template version
            Map<String, Long> perZone = new LinkedHashMap<>();
            alive.forEach(m -> perZone.merge(m.zone, 1L, Long::sum));
            FakeFleet.Member victim = alive.stream().min(Comparator.comparing((FakeFleet.Member m) -> -perZone.get(m.zone))
                    .thenComparing(m -> m.version).thenComparing(m -> m.instanceId)).orElseThrow();
            terminate(g, victim);
            alive.remove(victim);
        }
    }

    private FakeFleet.Member launch(FakeFleet.FakeGroup g, List<FakeFleet.Member> alive) {
        String subnet = g.subnets.stream().min(Comparator.comparing((String s) -> alive.stream()
                .filter(m -> m.zone.equals(fleet.subnets.get(s))).count())).orElseThrow();
        FakeFleet.FakeTemplate template = fleet.templates.get(g.templateId);
        FakeFleet.TemplateData data = template.version(g.version);
        long number = switch (g.version) {
            case "$Latest" -> template.versions.size();
            case "$Default" -> template.defaultVersion;
            default -> Long.parseLong(g.version);
        };
        Map<String, String> tags = new LinkedHashMap<>(data.instanceTags());
        tags.putAll(g.tags);
        tags.put("aws:autoscaling:groupName", g.name);
        FakeCloud.FakeInstance i = new FakeCloud.FakeInstance(cloud.newId("i"), data.imageId(), cloud.newPublicIp(),
                tags, subnet, data.securityGroupId(), data.httpTokens());
        cloud.instances.put(i.id, i);
        FakeFleet.Member m = new FakeFleet.Member(i.id, fleet.subnets.get(subnet), number);
        g.members.add(m);
        return m;
    }

    private void terminate(FakeFleet.FakeGroup g, FakeFleet.Member m) {
        m.lifecycle = "Terminating";
        for (String arn : g.targetGroupArns) {
            fleet.targetGroups.get(arn).targets.remove(m.instanceId);
        }
        cloud.terminate(cloud.instances.get(m.instanceId));
    }

    private void group(Xml xml, FakeFleet.FakeGroup g) {
        FakeFleet.FakeTemplate t = fleet.templates.get(g.templateId);
        xml.open("member").text("AutoScalingGroupName", g.name)
                .text("AutoScalingGroupARN", "arn:aws:autoscaling:eu-west-1:" + FakeCloud.ACCOUNT
                        + ":autoScalingGroup:0:autoScalingGroupName/" + g.name)
                .open("LaunchTemplate").text("LaunchTemplateId", t.id).text("LaunchTemplateName", t.name)
                .text("Version", g.version).close("LaunchTemplate")
                .text("MinSize", g.min).text("MaxSize", g.max).text("DesiredCapacity", g.desired)
                .text("DefaultCooldown", 300).open("AvailabilityZones");
        g.subnets.stream().map(fleet.subnets::get).distinct().forEach(z -> xml.text("member", z));
        xml.close("AvailabilityZones").text("HealthCheckType", "ELB").text("HealthCheckGracePeriod", 60)
                .text("CreatedTime", "2026-11-25T10:00:00Z").open("Instances");
        for (FakeFleet.Member m : g.members) {
            xml.open("member").text("InstanceId", m.instanceId).text("InstanceType", "t3.micro")
                    .text("AvailabilityZone", m.zone).text("LifecycleState", m.lifecycle).text("HealthStatus", "Healthy")
                    .open("LaunchTemplate").text("LaunchTemplateId", t.id).text("LaunchTemplateName", t.name)
                    .text("Version", m.version).close("LaunchTemplate").text("ProtectedFromScaleIn", false)
                    .close("member");
        }
        xml.close("Instances").open("SuspendedProcesses");
        g.suspended.forEach(s -> xml.open("member").text("ProcessName", s).text("SuspensionReason", "User suspended")
                .close("member"));
        xml.close("SuspendedProcesses").open("TargetGroupARNs");
        g.targetGroupArns.forEach(a -> xml.text("member", a));
        xml.close("TargetGroupARNs").text("VPCZoneIdentifier", String.join(",", g.subnets)).close("member");
    }

    @Override
    public FakeAws.Response error(int status, String code, String message) {
        return FakeQuery.error(NS, status, code, message);
    }

    @Override
    public String detail(String action, FakeAws.Request request, FakeAws.Response response) {
        Map<String, String> p = FakeEc2.params(request);
        List<String> named = new ArrayList<>();
        p.forEach((k, v) -> {
            if (k.matches("AutoScalingGroupName|LaunchTemplate\\.Version|MinSize|MaxSize|DesiredCapacity|InstanceId"
                    + "|ShouldDecrementDesiredCapacity|VPCZoneIdentifier|HealthCheckType")) {
                named.add(k.replace("LaunchTemplate.", "") + "=" + v);
            }
        });
        List<String> groups = FakeQuery.members(p, "AutoScalingGroupNames");
        if (!groups.isEmpty()) {
            named.add("AutoScalingGroupNames=" + String.join(",", groups));
        }
        List<String> processes = FakeQuery.members(p, "ScalingProcesses");
        if (!processes.isEmpty()) {
            named.add("ScalingProcesses=" + String.join(",", processes));
        }
        return String.join(" ", named) + (response.status() == 200 ? "" : " -> " + response.status());
    }
}
