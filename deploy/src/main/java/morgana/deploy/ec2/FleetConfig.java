package morgana.deploy.ec2;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;

/**
 * {@code deploy.ec2.fleet} in {@code morgana.yaml}: the site on an Auto Scaling group behind an Application
 * Load Balancer instead of on one instance. The keys of {@code deploy:} that are not about one instance
 * (name, region, profile, security_group, retain) apply as they do there.
 * <pre>
 * deploy:
 *   name: notes
 *   region: eu-west-1
 *   security_group: sg-0abc          # the instances': port 80 from the load balancer and from where
 *                                    # you deploy (each new instance is checked at its public address)
 *   ec2:
 *     fleet:
 *       desired: 3                   # instances serving
 *       min: 2                       # the group's bounds (default: desired, and desired + 1)
 *       max: 4
 *       subnets: [subnet-0a, subnet-0b]   # in two or more availability zones
 *       instance_type: t3.micro
 *       min_healthy_percent: 100     # of desired, kept serving throughout a rollout
 *       drain_seconds: 30            # the target group's deregistration delay
 *       load_balancer_security_group: sg-0lb   # default: security_group
 *       cdn: { html_seconds: 60 }    # or cdn: true; a CloudFront distribution in front
 * </pre>
 */
public record FleetConfig(String site, Optional<String> region, Optional<String> profile, String instanceType,
                          String securityGroupId, String loadBalancerSecurityGroupId, List<String> subnets,
                          Size size, int minHealthyPercent, int drainSeconds, Optional<Cdn> cdn, int retain,
                          int httpPort) {

    public static final int DEFAULT_DRAIN_SECONDS = 30;
    public static final int DEFAULT_HTML_SECONDS = 60;
    private static final String FLEET = "deploy.ec2.fleet";

    /** The group's bounds and the number it is kept at. */
    public record Size(int min, int desired, int max) {
    }

    /** A CloudFront distribution in front of the load balancer; HTML is cached for {@code htmlSeconds}. */
    public record Cdn(int htmlSeconds) {
    }

    public FleetConfig {
        subnets = List.copyOf(subnets);
    }

    /**
     * Instances that serve throughout a rollout: {@code min_healthy_percent} of desired, rounded up, and never
     * fewer than the group's min (Auto Scaling refuses to take an instance out below it).
     */
    public int minHealthy() {
        return Math.max(size.min(), (size.desired() * minHealthyPercent + 99) / 100);
    }

    /** Whether morgana.yaml asks for a fleet: then {@code deploy ec2}, {@code status} and so on act on it. */
    public static boolean wanted(SiteConfig config) throws SiteException {
        return new DeployKeys(config).mapping(config.section("deploy").get("ec2"), "deploy.ec2",
                "a mapping (with fleet: below it)").map(ec2 -> ec2.containsKey("fleet")).orElse(false);
    }

    /** Reads {@code deploy:} and {@code deploy.ec2.fleet}; an error names the file, the line and the key. */
    public static FleetConfig from(SiteConfig config, String defaultName, int httpPort, DeployConfig.Overrides flags)
            throws SiteException {
        DeployKeys keys = new DeployKeys(config);
        Map<String, Object> deploy = config.section("deploy");
        for (String single : List.of("subnet", "elastic_ip", "route53")) {
            if (deploy.containsKey(single)) {
                throw keys.error("deploy." + single, "deploy." + single + " is for one instance; a fleet (deploy.ec2"
                        + ".fleet) is reached through its load balancer and launched in deploy.ec2.fleet.subnets");
            }
        }
        Map<String, Object> ec2 = keys.mapping(deploy.get("ec2"), "deploy.ec2", "a mapping").orElse(Map.of());
        Map<String, Object> fleet = mapping(keys, ec2.get("fleet"), FLEET)
                .orElseThrow(() -> keys.error("deploy", FLEET + " is missing"));
        String site = keys.string(deploy, "name", "deploy.name").orElse(defaultName);
        Optional<String> fileRegion = keys.string(deploy, "region", "deploy.region");
        Optional<String> fileProfile = keys.string(deploy, "profile", "deploy.profile");
        Optional<String> fileGroup = keys.string(deploy, "security_group", "deploy.security_group");
        Optional<String> region = flags.region().or(() -> fileRegion);
        Optional<String> profile = flags.profile().or(() -> fileProfile);
        String group = flags.securityGroup().or(() -> fileGroup)
                .orElseThrow(() -> keys.error("deploy.security_group", "deploy.security_group is missing: the"
                        + " instances' security group, like sg-0abc, allowing port 80 from the load balancer and from this machine"
                        + " (or --security-group)"));
        String type = flags.instanceType().isPresent() ? flags.instanceType().get()
                : keys.string(fleet, "instance_type", FLEET + ".instance_type").orElse(DeployConfig.DEFAULT_INSTANCE_TYPE);
        String lbGroup = keys.string(fleet, "load_balancer_security_group", FLEET + ".load_balancer_security_group")
                .orElse(group);
        Size size = size(keys, fleet);
        List<String> subnets = subnets(keys, fleet);
        int percent = keys.integer(fleet.get("min_healthy_percent"), FLEET + ".min_healthy_percent", 100);
        if (percent < 0 || percent > 100) {
            throw keys.error(FLEET + ".min_healthy_percent", FLEET + ".min_healthy_percent must be from 0 to 100, not "
                    + percent);
        }
        int floor = Math.max(size.min(), (size.desired() * percent + 99) / 100);
        if (size.max() == size.desired() && floor >= size.desired()) {
            throw keys.error(FLEET + ".max", FLEET + ".max (" + size.max() + ") leaves a rollout no room: raise it"
                    + " above desired (" + size.desired() + "), or lower min_healthy_percent below 100 and min"
                    + " below desired, so that an old instance may stop serving before its replacement starts");
        }
        int drain = keys.integer(fleet.get("drain_seconds"), FLEET + ".drain_seconds", DEFAULT_DRAIN_SECONDS);
        if (drain < 0 || drain > 3600) {
            throw keys.error(FLEET + ".drain_seconds", FLEET + ".drain_seconds must be from 0 to 3600, not " + drain);
        }
        int retain = flags.retain().isPresent() ? flags.retain().get()
                : keys.integer(deploy.get("retain"), "deploy.retain", DeployConfig.DEFAULT_RETAIN);
        if (retain < 2) {
            throw keys.error("deploy.retain", "deploy.retain must be at least 2 for a fleet (the live image and the"
                    + " one a failed rollout goes back to), not " + retain);
        }
        return new FleetConfig(site, region, profile, type, group, lbGroup, subnets, size, percent, drain,
                cdn(keys, fleet.get("cdn")), retain, httpPort);
    }

    private static Size size(DeployKeys keys, Map<String, Object> fleet) throws SiteException {
        int desired = keys.integer(fleet.get("desired"), FLEET + ".desired")
                .orElseThrow(() -> keys.error(FLEET, FLEET + ".desired is missing: how many instances serve"));
        int min = keys.integer(fleet.get("min"), FLEET + ".min", desired);
        int max = keys.integer(fleet.get("max"), FLEET + ".max", desired + 1);
        if (min < 1) {
            throw keys.error(FLEET + (fleet.containsKey("min") ? ".min" : ".desired"), FLEET
                    + ".min must be at least 1, not " + min);
        }
        if (desired < min || desired > max) {
            throw keys.error(FLEET + ".desired", FLEET + ".desired (" + desired + ") must be from min (" + min
                    + ") to max (" + max + ")");
        }
        return new Size(min, desired, max);
    }

    private static List<String> subnets(DeployKeys keys, Map<String, Object> fleet) throws SiteException {
        String expected = "a list of subnet ids like [subnet-0a, subnet-0b], in two or more availability zones";
        List<String> subnets = keys.strings(fleet.get("subnets"), FLEET + ".subnets", expected)
                .orElseThrow(() -> keys.error(FLEET, FLEET + ".subnets is missing: " + expected));
        if (subnets.size() < 2) {
            throw keys.error(FLEET + ".subnets", FLEET + ".subnets names " + subnets.size() + " subnet; a fleet"
                    + " needs subnets in two or more availability zones, so that losing one zone leaves it serving");
        }
        if (new HashSet<>(subnets).size() != subnets.size()) {
            throw keys.error(FLEET + ".subnets", FLEET + ".subnets names a subnet twice: " + subnets);
        }
        return subnets;
    }

    private static Optional<Cdn> cdn(DeployKeys keys, Object value) throws SiteException {
        String dotted = FLEET + ".cdn";
        if (value == null || Boolean.FALSE.equals(value)) {
            return Optional.empty();
        }
        if (Boolean.TRUE.equals(value)) {
            return Optional.of(new Cdn(DEFAULT_HTML_SECONDS));
        }
        Map<String, Object> cdn = mapping(keys, value, dotted).orElseThrow();
        int html = keys.integer(cdn.get("html_seconds"), dotted + ".html_seconds", DEFAULT_HTML_SECONDS);
        if (html < 0 || html > 86400) {
            throw keys.error(dotted + ".html_seconds", dotted + ".html_seconds must be from 0 to 86400, not " + html);
        }
        return Optional.of(new Cdn(html));
    }

    private static Optional<Map<String, Object>> mapping(DeployKeys keys, Object value, String dotted)
            throws SiteException {
        return keys.mapping(value, dotted, "a mapping (indented keys below it)");
    }
}
