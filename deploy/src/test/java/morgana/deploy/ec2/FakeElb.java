package morgana.deploy.ec2;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Elastic Load Balancing v2 (Query API 2015-12-01) for the calls a fleet deploy makes. Its health checks are
 * real: asked about a target, it GETs the target group's health path on the instance's address, so a new
 * target is "initial" on the first look and then healthy only if the instance answers 200. A deregistered
 * target is "draining" for one look, then gone.
 */
final class FakeElb implements FakeAws.Service {
    private static final String NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

    private final FakeCloud cloud;
    private final FakeFleet fleet;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    FakeElb(FakeCloud cloud) {
        this.cloud = cloud;
        this.fleet = cloud.fleet;
    }

    @Override
    public boolean serves(FakeAws.Request request) {
        return FakeQuery.speaks(request, "2015-12-01");
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
                case "DescribeTargetGroups" -> {
                    List<String> names = FakeQuery.members(p, "Names");
                    List<FakeFleet.FakeTargetGroup> found = fleet.targetGroups.values().stream()
                            .filter(t -> names.contains(t.name)).toList();
                    FakeQuery.require(!found.isEmpty() || names.isEmpty(), "TargetGroupNotFound",
                            "One or more target groups not found");
                    yield FakeQuery.answer(action, NS, xml -> targetGroups(xml, found));
                }
                case "CreateTargetGroup" -> {
                    String name = p.get("Name");
                    FakeQuery.require(FakeEc2.params(request).get("VpcId").equals(FakeFleet.VPC), "ValidationError",
                            "no VPC " + p.get("VpcId"));
                    FakeFleet.FakeTargetGroup t = new FakeFleet.FakeTargetGroup("arn:aws:elasticloadbalancing:eu-west-1:"
                            + FakeCloud.ACCOUNT + ":targetgroup/" + name + "/" + cloud.newId("tg").substring(3),
                            name, Integer.parseInt(p.get("Port")), p.get("HealthCheckPath"));
                    fleet.targetGroups.put(t.arn, t);
                    yield FakeQuery.answer(action, NS, xml -> targetGroups(xml, List.of(t)));
                }
                case "ModifyTargetGroupAttributes" -> {
                    FakeFleet.FakeTargetGroup t = targetGroup(p);
                    List<String> keys = FakeQuery.memberFields(p, "Attributes", "Key");
                    for (int n = 0; n < keys.size(); n++) {
                        t.attributes.put(keys.get(n), p.get("Attributes.member." + (n + 1) + ".Value"));
                    }
                    yield FakeQuery.answer(action, NS, xml -> { });
                }
                case "DescribeLoadBalancers" -> {
                    List<String> names = FakeQuery.members(p, "Names");
                    List<FakeFleet.FakeLoadBalancer> found = fleet.loadBalancers.values().stream()
                            .filter(l -> names.contains(l.name())).toList();
                    FakeQuery.require(!found.isEmpty(), "LoadBalancerNotFound", "Load balancers '" + names
                            + "' not found");
                    yield FakeQuery.answer(action, NS, xml -> loadBalancers(xml, found));
                }
                case "CreateLoadBalancer" -> {
                    String name = p.get("Name");
                    List<String> subnets = FakeQuery.members(p, "Subnets");
                    FakeQuery.require(subnets.stream().map(fleet.subnets::get).distinct().count() >= 2,
                            "ValidationError", "At least two subnets in two different Availability Zones must be specified");
                    FakeFleet.FakeLoadBalancer l = new FakeFleet.FakeLoadBalancer("arn:aws:elasticloadbalancing:eu-west-1:"
                            + FakeCloud.ACCOUNT + ":loadbalancer/app/" + name + "/" + cloud.newId("lb").substring(3),
                            name, name + "-1234567890.eu-west-1.elb.amazonaws.com", subnets,
                            FakeQuery.members(p, "SecurityGroups"), p.get("Scheme"), new TreeMap<>());
                    fleet.loadBalancers.put(l.arn(), l);
                    yield FakeQuery.answer(action, NS, xml -> loadBalancers(xml, List.of(l)));
                }
                case "DescribeListeners" -> {
                    FakeFleet.FakeLoadBalancer l = loadBalancer(p);
                    yield FakeQuery.answer(action, NS, xml -> listeners(xml, l));
                }
                case "CreateListener" -> {
                    FakeFleet.FakeLoadBalancer l = loadBalancer(p);
                    String target = p.get("DefaultActions.member.1.TargetGroupArn");
                    FakeQuery.require(fleet.targetGroups.containsKey(target), "TargetGroupNotFound", target);
                    l.listeners().put(Integer.parseInt(p.get("Port")), target);
                    yield FakeQuery.answer(action, NS, xml -> listeners(xml, l));
                }
                case "DeregisterTargets" -> {
                    FakeFleet.FakeTargetGroup t = targetGroup(p);
                    for (String id : FakeQuery.memberFields(p, "Targets", "Id")) {
                        FakeFleet.Target target = t.targets.get(id);
                        if (target != null) {
                            target.draining = true;
                            target.looks = 0;
                        }
                    }
                    yield FakeQuery.answer(action, NS, xml -> { });
                }
                case "DescribeTargetHealth" -> {
                    FakeFleet.FakeTargetGroup t = targetGroup(p);
                    Map<String, String> states = new TreeMap<>();
                    for (FakeFleet.Target target : t.targets.values()) {
                        String state = look(t, target);
                        if (state == null) {
                            t.targets.remove(target.instanceId);
                        } else {
                            target.state = state;
                            states.put(target.instanceId, state);
                        }
                    }
                    yield FakeQuery.answer(action, NS, xml -> {
                        xml.open("TargetHealthDescriptions");
                        states.forEach((id, state) -> xml.open("member").open("Target").text("Id", id)
                                .text("Port", t.port).close("Target").text("HealthCheckPort", t.port)
                                .open("TargetHealth").text("State", state).close("TargetHealth").close("member"));
                        xml.close("TargetHealthDescriptions");
                    });
                }
                default -> throw new IllegalArgumentException("the fake ELBv2 does not implement " + action);
            };
        }
    }

    /** What the load balancer says of a target now; null once a draining one is gone. */
    private String look(FakeFleet.FakeTargetGroup group, FakeFleet.Target target) {
        int looks = target.looks++;
        if (target.draining) {
            return looks == 0 ? "draining" : null;
        }
        if (looks == 0) {
            return "initial";
        }
        FakeCloud.FakeInstance i = cloud.instances.get(target.instanceId);
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://" + i.publicIp + ":"
                    + group.port + group.healthPath)).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? "healthy" : "unhealthy";
        } catch (java.io.IOException e) {
            return "unhealthy";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unhealthy";
        }
    }

    private FakeFleet.FakeTargetGroup targetGroup(Map<String, String> p) {
        FakeFleet.FakeTargetGroup t = fleet.targetGroups.get(p.get("TargetGroupArn"));
        FakeQuery.require(t != null, "TargetGroupNotFound", "Target groups '" + p.get("TargetGroupArn") + "' not found");
        return t;
    }

    private FakeFleet.FakeLoadBalancer loadBalancer(Map<String, String> p) {
        FakeFleet.FakeLoadBalancer l = fleet.loadBalancers.get(p.get("LoadBalancerArn"));
        FakeQuery.require(l != null, "LoadBalancerNotFound", "Load balancer '" + p.get("LoadBalancerArn") + "' not found");
        return l;
    }

    private static void targetGroups(Xml xml, List<FakeFleet.FakeTargetGroup> groups) {
        xml.open("TargetGroups");
        for (FakeFleet.FakeTargetGroup t : groups) {
            xml.open("member").text("TargetGroupArn", t.arn).text("TargetGroupName", t.name).text("Protocol", "HTTP")
                    .text("Port", t.port).text("VpcId", FakeFleet.VPC).text("HealthCheckProtocol", "HTTP")
                    .text("HealthCheckPath", t.healthPath).text("TargetType", "instance").close("member");
        }
        xml.close("TargetGroups");
    }

    private void loadBalancers(Xml xml, List<FakeFleet.FakeLoadBalancer> balancers) {
        xml.open("LoadBalancers");
        for (FakeFleet.FakeLoadBalancer l : balancers) {
            xml.open("member").text("LoadBalancerArn", l.arn()).text("DNSName", l.dnsName())
                    .text("LoadBalancerName", l.name()).text("Scheme", l.scheme()).text("VpcId", FakeFleet.VPC)
                    .open("State").text("Code", "active").close("State").text("Type", "application")
                    .open("AvailabilityZones");
            l.subnets().forEach(s -> xml.open("member").text("ZoneName", fleet.subnets.get(s)).text("SubnetId", s)
                    .close("member"));
            xml.close("AvailabilityZones").open("SecurityGroups");
            l.groups().forEach(g -> xml.text("member", g));
            xml.close("SecurityGroups").close("member");
        }
        xml.close("LoadBalancers");
    }

    private static void listeners(Xml xml, FakeFleet.FakeLoadBalancer l) {
        xml.open("Listeners");
        l.listeners().forEach((port, target) -> xml.open("member").text("ListenerArn", l.arn().replace(
                        ":loadbalancer/", ":listener/") + "/" + port).text("LoadBalancerArn", l.arn()).text("Port", port)
                .text("Protocol", "HTTP").open("DefaultActions").open("member").text("Type", "forward")
                .text("TargetGroupArn", target).close("member").close("DefaultActions").close("member"));
        xml.close("Listeners");
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
            if (k.matches("Name|Names\\.member\\.1|Port|Protocol|HealthCheckPath|Scheme|Type|Matcher\\.HttpCode")) {
                named.add(k.replace(".member.1", "") + "=" + v);
            } else if (k.matches("Attributes\\.member\\.\\d+\\.Key")) {
                named.add(v + "=" + p.get(k.replace(".Key", ".Value")));
            }
        });
        if (p.containsKey("LoadBalancerArn")) {
            named.add("LoadBalancer=" + p.get("LoadBalancerArn").replaceAll(".*/app/([^/]+)/.*", "$1"));
        }
        List<String> subnets = FakeQuery.members(p, "Subnets");
        if (!subnets.isEmpty()) {
            named.add("Subnets=" + String.join(",", subnets));
        }
        List<String> targets = FakeQuery.memberFields(p, "Targets", "Id");
        if (!targets.isEmpty()) {
            named.add("Targets=" + String.join(",", targets));
        }
        if (action.equals("DescribeTargetHealth") && response.status() == 200) {
            String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("<Id>([^<]+)</Id>.*?<State>([^<]+)</State>")
                    .matcher(body);
            List<String> states = new ArrayList<>();
            while (m.find()) {
                states.add(m.group(1) + ":" + m.group(2));
            }
            named.add("-> " + (states.isEmpty() ? "none" : String.join(" ", states)));
        }
        return String.join(" ", named) + (response.status() == 200 ? "" : " -> " + response.status());
    }
}
