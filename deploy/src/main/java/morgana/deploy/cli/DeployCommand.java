package morgana.deploy.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import morgana.blog.bundle.SiteBundle;
import morgana.blog.site.SiteBuilder;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import morgana.deploy.ec2.AwsClients;
import morgana.deploy.ec2.BlueGreenDeploy;
import morgana.deploy.ec2.DeployConfig;
import morgana.deploy.ec2.FleetConfig;
import morgana.deploy.ec2.FleetDeploy;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageSettings;
import morgana.deploy.xen.XenHandover;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code morgana deploy ec2|status|rollback}: blue/green on EC2, configured by {@code deploy:} in morgana.yaml;
 * {@code morgana deploy xen}: a Xen domain's files handed over in a directory.
 */
@Command(name = "deploy", description = "Deploy a site to EC2 blue/green (or to a fleet behind a load balancer,"
        + " with deploy.ec2.fleet), show what is deployed, or roll back; or hand a Xen PVH domain to a dom0.",
        subcommands = {DeployCommand.Ec2.class, DeployCommand.Status.class, DeployCommand.Rollback.class,
                DeployCommand.Xen.class})
final class DeployCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a deploy command: ec2, status, rollback or xen");
    }

    /** Where the site is and how to reach AWS; every {@code deploy:} key can be overridden here. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "SITE", description = "The site directory (with morgana.yaml).")
        Path site;

        @Option(names = "--region", description = "AWS region (default: deploy.region, else the SDK's chain).")
        String region;

        @Option(names = "--profile", description = "AWS profile (default: deploy.profile, else the SDK's chain).")
        String profile;

        @Option(names = "--instance-type", description = "EC2 instance type (default: deploy.instance_type, t3.micro).")
        String instanceType;

        @Option(names = "--subnet", description = "Subnet to launch in (default: deploy.subnet).")
        String subnet;

        @Option(names = "--security-group", description = "Security group, port 80 only (default: deploy.security_group).")
        String securityGroup;

        @Option(names = "--elastic-ip", paramLabel = "ALLOCATION", description = "Elastic IP allocation id to move.")
        String elasticIp;

        @Option(names = "--zone", description = "Route 53 hosted zone id, with --record.")
        String zone;

        @Option(names = "--record", description = "Route 53 A record to UPSERT, with --zone.")
        String record;

        @Option(names = "--retain", description = "Images kept for rollback, the live one included (default: 3).")
        Integer retain;

        @Option(names = "--endpoint", paramLabel = "URL", hidden = true,
                description = "Send every AWS call to this endpoint (a local stand-in for AWS).")
        URI endpoint;

        DeployConfig config() throws SiteException {
            SiteConfig site = SiteConfig.load(this.site);
            return DeployConfig.from(site, defaultName(), ImageSettings.from(site).port(), overrides());
        }

        /** The {@code deploy.ec2.fleet} the site asks for, if it asks for one. */
        Optional<FleetConfig> fleet() throws SiteException {
            SiteConfig site = SiteConfig.load(this.site);
            if (!FleetConfig.wanted(site)) {
                return Optional.empty();
            }
            for (var oneInstanceOnly : java.util.Map.of("--subnet", Optional.ofNullable(subnet), "--elastic-ip",
                    Optional.ofNullable(elasticIp), "--zone", Optional.ofNullable(zone), "--record",
                    Optional.ofNullable(record)).entrySet()) {
                if (oneInstanceOnly.getValue().isPresent()) {
                    throw new Morgana.UsageProblem(oneInstanceOnly.getKey() + " is for one instance; this site"
                            + " deploys a fleet (deploy.ec2.fleet in " + site.file() + ")");
                }
            }
            return Optional.of(FleetConfig.from(site, defaultName(), ImageSettings.from(site).port(), overrides()));
        }

        private String defaultName() {
            return this.site.toAbsolutePath().normalize().getFileName().toString();
        }

        private DeployConfig.Overrides overrides() {
            return new DeployConfig.Overrides(Optional.ofNullable(region), Optional.ofNullable(profile),
                    Optional.ofNullable(instanceType), Optional.ofNullable(subnet),
                    Optional.ofNullable(securityGroup), Optional.ofNullable(elasticIp),
                    Optional.ofNullable(zone), Optional.ofNullable(record), Optional.ofNullable(retain));
        }

        <T> T withDeploy(DeployAction<T> action) throws Exception {
            DeployConfig config = config();
            try (AwsClients aws = AwsClients.of(config.region(), config.profile(), Optional.ofNullable(endpoint))) {
                PrintStream out = System.out;
                return action.run(new BlueGreenDeploy(aws, config, BlueGreenDeploy.Timing.AWS, out,
                        step -> out.println("== " + step.name().toLowerCase(java.util.Locale.ROOT))));
            }
        }

        <T> T withFleet(FleetConfig config, FleetAction<T> action) throws Exception {
            try (AwsClients aws = AwsClients.of(config.region(), config.profile(), Optional.ofNullable(endpoint))) {
                PrintStream out = System.out;
                return action.run(new FleetDeploy(aws, config, BlueGreenDeploy.Timing.AWS, out, new FleetDeploy.StepListener() {
                    @Override
                    public void beforeStep(FleetDeploy.Step step) {
                        out.println("== " + step.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
                    }

                    @Override
                    public void beforeBatch(int batch) {
                        out.println("== batch " + batch);
                    }
                }));
            }
        }
    }

    /** The image the user named (it must be for {@code target}), or one built with the defaults. */
    static BuiltImage imageFor(Path site, Path given, String target) throws Exception {
        BuiltImage built = given != null ? BuiltImage.open(given)
                : ImageCommand.build(site, target, Path.of("build", target + "-image"), null, null);
        if (!built.target().equals(target)) {
            throw new Morgana.UsageProblem(built.dir() + " is a " + built.target() + " image; deploy " + target
                    + " needs one built with `morgana image SITE --target " + target + "`");
        }
        return built;
    }

    @FunctionalInterface
    interface DeployAction<T> {
        T run(BlueGreenDeploy deploy) throws Exception;
    }

    @FunctionalInterface
    interface FleetAction<T> {
        T run(FleetDeploy deploy) throws Exception;
    }

    @Command(name = "ec2", description = {"Build the site's EC2 image and deploy it blue/green:",
            "upload to an EBS snapshot, register, launch, verify every page, switch, retire."})
    static final class Ec2 implements Callable<Integer> {
        @Mixin
        Target target;

        @Option(names = "--dry-run", description = "Print the plan and change nothing.")
        boolean dryRun;

        @Option(names = "--image", paramLabel = "DIR", description = {
                "A built EC2 image directory to deploy (`morgana image SITE --target ec2`, e.g. with --kernel);",
                "default: build one into build/ec2-image with the defaults."})
        Path image;

        @Override
        public Integer call() throws Exception {
            // a bad deploy: section is reported before a long image build
            Optional<FleetConfig> fleet = target.fleet();
            if (fleet.isEmpty()) {
                target.config();
            }
            BuiltImage built = imageFor(target.site, image, "ec2");
            SiteBundle bundle = SiteBuilder.build(target.site);
            if (fleet.isPresent()) {
                target.withFleet(fleet.get(), deploy -> deploy.deploy(built.disk(), bundle, dryRun));
            } else {
                target.withDeploy(deploy -> deploy.deploy(built.disk(), bundle, dryRun));
            }
            return 0;
        }
    }

    @Command(name = "status", description = "Where the public address points, the site's instances and images.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            Optional<FleetConfig> fleet = target.fleet();
            if (fleet.isPresent()) {
                target.withFleet(fleet.get(), deploy -> {
                    deploy.status().forEach(System.out::println);
                    return null;
                });
                return 0;
            }
            target.withDeploy(deploy -> {
                deploy.status().forEach(System.out::println);
                return null;
            });
            return 0;
        }
    }

    @Command(name = "rollback", description = "Switch back to the image before the live one, while it is retained.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        Target target;

        @Override
        public Integer call() throws Exception {
            Optional<FleetConfig> fleet = target.fleet();
            if (fleet.isPresent()) {
                target.withFleet(fleet.get(), FleetDeploy::rollback);
            } else {
                target.withDeploy(BlueGreenDeploy::rollback);
            }
            return 0;
        }
    }

    @Command(name = "xen", description = {"Write a Xen PVH domain (vmlinux, initramfs, xl config) to a directory",
            "on a dom0 (or one to copy there) and print the `xl create` that starts it."})
    static final class Xen implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SITE", description = "The site directory (with morgana.yaml).")
        Path site;

        @Option(names = "--to", paramLabel = "DIR", required = true, description = "The directory to write.")
        Path to;

        @Option(names = "--image", paramLabel = "DIR", description = {
                "A built Xen image directory (`morgana image SITE --target xen`);",
                "default: build one into build/xen-image with the defaults."})
        Path image;

        @Override
        public Integer call() throws Exception {
            BuiltImage built = imageFor(site, image, "xen");
            XenHandover.Handed handed = XenHandover.to(built, to);
            System.out.println("morgana: Xen domain written to " + handed.dir() + "; on the dom0, start it with:");
            System.out.println("  " + handed.command());
            return 0;
        }
    }
}
