package morgana.deploy.ec2;

import java.util.Map;
import java.util.Optional;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;

/**
 * The {@code deploy:} section of {@code morgana.yaml}; {@code morgana deploy ec2} flags override each key.
 * <pre>
 * deploy:
 *   name: notes              # tag value of morgana:site (default: the site directory's name)
 *   region: eu-west-1        # default: the SDK's region chain
 *   profile: blog            # default: the SDK's credential chain
 *   instance_type: t3.micro
 *   subnet: subnet-0abc
 *   security_group: sg-0abc  # should allow port 80 only
 *   elastic_ip: eipalloc-0abc          # either this
 *   route53: { zone: Z0ABC, record: blog.example.org, ttl: 60 }   # or this
 *   retain: 3                # images (and their snapshots) kept for rollback, the live one included
 * </pre>
 *
 * @param httpPort the port the image serves on (the {@code image.port} it was built with)
 */
public record DeployConfig(String site, Optional<String> region, Optional<String> profile, String instanceType,
                           String subnetId, String securityGroupId, SwitchTarget switchTarget, int retain,
                           int httpPort) {

    public static final String DEFAULT_INSTANCE_TYPE = "t3.micro";
    public static final int DEFAULT_RETAIN = 3;
    public static final long DEFAULT_TTL = 60;

    public DeployConfig {
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be at least 1 (the live image), not " + retain);
        }
    }

    /** Keys a command line may set instead of the file; empty means "as the file says". */
    public record Overrides(Optional<String> region, Optional<String> profile, Optional<String> instanceType,
                            Optional<String> subnet, Optional<String> securityGroup, Optional<String> elasticIp,
                            Optional<String> zone, Optional<String> record, Optional<Integer> retain) {
        public static final Overrides NONE = new Overrides(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** Reads {@code deploy:}; a missing or malformed key is an error naming the file, the line and the key. */
    public static DeployConfig from(SiteConfig config, String defaultName, int httpPort, Overrides flags)
            throws SiteException {
        Map<String, Object> deploy = config.section("deploy");
        String site = string(config, deploy, "name").orElse(defaultName);
        Optional<String> region = flags.region().isPresent() ? flags.region()
                : string(config, deploy, "region");
        Optional<String> profile = flags.profile().isPresent() ? flags.profile() : string(config, deploy, "profile");
        String type = (flags.instanceType().isPresent() ? flags.instanceType()
                : string(config, deploy, "instance_type")).orElse(DEFAULT_INSTANCE_TYPE);
        String subnet = required(config, flags.subnet(), deploy, "subnet", "--subnet", "a subnet id like subnet-0abc");
        String group = required(config, flags.securityGroup(), deploy, "security_group", "--security-group",
                "a security group id like sg-0abc (allowing port 80)");
        SwitchTarget target = switchTarget(config, deploy, flags);
        int retain = flags.retain().isPresent() ? flags.retain().get()
                : integer(config, deploy.get("retain"), "deploy.retain", DEFAULT_RETAIN);
        if (retain < 1) {
            throw config.error("deploy.retain", "deploy.retain must be at least 1 (the live image), not " + retain);
        }
        return new DeployConfig(site, region, profile, type, subnet, group, target, retain, httpPort);
    }

    private static SwitchTarget switchTarget(SiteConfig config, Map<String, Object> deploy, Overrides flags)
            throws SiteException {
        Optional<String> eip = flags.elasticIp().isPresent() ? flags.elasticIp()
                : string(config, deploy, "elastic_ip");
        Object dns = deploy.get("route53");
        boolean dnsFlags = flags.zone().isPresent() || flags.record().isPresent();
        if (eip.isPresent() && (dns != null || dnsFlags)) {
            throw config.error("deploy.elastic_ip", "deploy names both elastic_ip and route53; keep one");
        }
        if (eip.isPresent()) {
            return new SwitchTarget.ElasticIp(eip.get());
        }
        if (dns == null && !dnsFlags) {
            throw config.error("deploy", "deploy needs elastic_ip (an allocation id like eipalloc-0abc) or"
                    + " route53 { zone, record, ttl } (or --elastic-ip / --zone and --record)");
        }
        Map<String, Object> route53;
        if (dns == null) {
            route53 = Map.of();
        } else if (dns instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) m;
            route53 = typed;
        } else {
            throw config.error("deploy.route53", "deploy.route53 must be a mapping with zone, record and ttl");
        }
        Optional<String> zone = flags.zone().isPresent() ? flags.zone()
                : string(config, route53, "zone", "deploy.route53.zone");
        Optional<String> record = flags.record().isPresent() ? flags.record()
                : string(config, route53, "record", "deploy.route53.record");
        if (zone.isEmpty() || record.isEmpty()) {
            throw config.error("deploy.route53", "deploy.route53 needs zone (a hosted zone id like Z0ABC) and record"
                    + " (the name to point at the site, like blog.example.org), or --zone and --record");
        }
        int ttl = integer(config, route53.get("ttl"), "deploy.route53.ttl", (int) DEFAULT_TTL);
        return new SwitchTarget.DnsRecord(zone.get(), record.get(), ttl);
    }

    private static String required(SiteConfig config, Optional<String> flag, Map<String, Object> deploy, String key,
                                   String option, String expected) throws SiteException {
        Optional<String> value = flag.isPresent() ? flag : string(config, deploy, key);
        if (value.isEmpty()) {
            throw config.error("deploy." + key, "deploy." + key + " is missing: " + expected + " (or " + option + ")");
        }
        return value.get();
    }

    private static Optional<String> string(SiteConfig config, Map<String, Object> section, String key)
            throws SiteException {
        return string(config, section, key, "deploy." + key);
    }

    private static Optional<String> string(SiteConfig config, Map<String, Object> section, String key, String dotted)
            throws SiteException {
        return new DeployKeys(config).string(section, key, dotted);
    }

    private static int integer(SiteConfig config, Object value, String dotted, int fallback) throws SiteException {
        return new DeployKeys(config).integer(value, dotted, fallback);
    }
}
