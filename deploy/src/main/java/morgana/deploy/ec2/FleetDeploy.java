package morgana.deploy.ec2;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import morgana.blog.bundle.SiteBundle;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code morgana deploy ec2} for a fleet ({@code deploy.ec2.fleet}): the image published as for one instance,
 * a launch template version that launches it, and a {@link RollingReplacement} of the Auto Scaling group's
 * instances behind the load balancer. A new instance that does not come to serve the bundle stops the
 * rollout, and the group goes back to the launch template's default version, the one last rolled out,
 * which becomes the new version only once every instance serves it. An AWS error mid-rollout stops it where
 * it is, reverting nothing (the instances are sound): everything is found again by name and tag, so a rerun
 * after an error or an interruption carries on where the last run stopped.
 */
public final class FleetDeploy {

    /** The steps, in order; a {@link StepListener} hears of each before it starts. */
    public enum Step { UPLOAD, REGISTER, PREPARE, ROLL_OUT, DISTRIBUTE, RETIRE }

    /** Told before each step and each batch of a rollout: progress, or the moment a test stops a deploy. */
    public interface StepListener {
        StepListener NONE = step -> { };

        void beforeStep(Step step);

        default void beforeBatch(int batch) {
        }
    }

    /** What a deploy left: the instances serving, the image, and the address the public reaches. */
    public record Outcome(List<String> instances, Optional<String> imageId, Optional<String> address) {
    }

    private final AwsClients aws;
    private final FleetConfig config;
    private final FleetNames names;
    private final BlueGreenDeploy.Timing timing;
    private final PrintStream out;
    private final StepListener listener;
    private final ImagePublisher images;
    private final FleetResources resources;
    private final SiteVerifier verifier;

    public FleetDeploy(AwsClients aws, FleetConfig config, BlueGreenDeploy.Timing timing, PrintStream out,
                       StepListener listener) {
        this.aws = aws;
        this.config = config;
        this.names = new FleetNames(config.site());
        this.timing = timing;
        this.out = out;
        this.listener = listener;
        this.images = new ImagePublisher(aws, config.site(), timing, out);
        this.resources = new FleetResources(aws, config, names, out);
        this.verifier = new SiteVerifier(timing.requestTimeout());
    }

    /** {@code morgana deploy status} for the fleet. */
    public List<String> status() {
        return new FleetStatus(aws, config, timing.requestTimeout()).lines();
    }

    /** Plans and, unless {@code dryRun}, deploys the image {@code disk} built from {@code bundle}. */
    public Outcome deploy(Path disk, SiteBundle bundle, boolean dryRun) throws IOException {
        String hash = bundle.bundleHash();
        SiteState site = SiteState.read(aws.ec2(), config.site());
        FleetState fleet = FleetState.read(aws, names);
        FleetResources.Subnets subnets = FleetResources.subnets(aws, config);
        long diskBytes;
        long dataBytes;
        try (FileChannel channel = FileChannel.open(disk)) {
            diskBytes = channel.size();
            dataBytes = (long) SnapshotUpload.nonZeroBlocks(channel, diskBytes).size() * SnapshotUpload.BLOCK_SIZE;
        }
        FleetPlan plan = FleetPlan.of(config, site, fleet, subnets, hash, bundle.size(), diskBytes, dataBytes);
        plan.lines().forEach(out::println);
        if (dryRun) {
            out.println("dry run: nothing was changed");
            return new Outcome(List.of(), Optional.empty(), Optional.empty());
        }
        Map<String, String> tags = SiteTags.forBundle(config.site(), hash);
        String imageId = plan.image().map(SiteState.SiteImage::id).orElseGet(() -> {
            String snapshotId = step(Step.UPLOAD, () -> images.uploaded(site, plan.snapshot(), hash, disk, tags));
            return step(Step.REGISTER, () -> images.register(snapshotId, tags));
        });
        record Prepared(FleetState.TargetGroup target, FleetState.LoadBalancer balancer, FleetState.Template template) {
        }
        Prepared prepared = step(Step.PREPARE, () -> {
            FleetState.TargetGroup target = resources.targetGroup(fleet, subnets);
            FleetState.LoadBalancer balancer = resources.loadBalancer(fleet, target);
            FleetState.Template template = resources.templateFor(fleet, imageId, hash);
            resources.group(fleet, target, template, template.forImage(imageId).orElseThrow().number());
            return new Prepared(target, balancer, template);
        });
        FleetState.Template template = prepared.template();
        long version = template.forImage(imageId).orElseThrow().number();
        Optional<FleetState.Version> previous = plan.live().filter(v -> v.number() != version);
        List<String> serving = step(Step.ROLL_OUT, () -> rollOut(prepared.target(), template, version, hash, bundle,
                previous));
        Optional<String> address = step(Step.DISTRIBUTE, () -> Optional.of(config.cdn()
                .map(cdn -> new FleetDistribution(aws, config, cdn, timing, out)
                        .distribute(prepared.balancer().dnsName(), bundle))
                .orElse(prepared.balancer().dnsName())));
        step(Step.RETIRE, () -> {
            plan.pruned().forEach(images::prune);
            return plan.pruned();
        });
        out.println("live: bundle " + SiteTags.shortHash(hash) + " on " + serving.size() + " instances ("
                + String.join(", ", serving) + ") behind " + address.orElseThrow());
        return new Outcome(serving, Optional.of(imageId), address);
    }

    /**
     * {@code morgana deploy rollback} for a fleet: the group rolled, as a deploy rolls it, to the newest
     * launch template version before the default one whose image is still retained, checked by each
     * instance's health endpoint (the bundle itself is not at hand); that version becomes the default.
     */
    public Outcome rollback() {
        FleetState fleet = FleetState.read(aws, names);
        FleetState.Template template = fleet.template().filter(t -> fleet.group().isPresent())
                .orElseThrow(() -> new DeployException("site " + config.site() + " has no fleet to roll back"));
        FleetState.TargetGroup target = fleet.targetGroup().orElseThrow(() -> new DeployException(
                "target group " + names.targetGroup() + " is gone; deploy again to make it"));
        FleetState.Version live = template.version(template.defaultVersion()).orElseThrow();
        SiteState site = SiteState.read(aws.ec2(), config.site());
        FleetState.Version previous = template.versions().stream()
                .filter(v -> v.number() < live.number() && !v.imageId().equals(live.imageId()))
                .filter(v -> site.image(v.imageId()).isPresent())
                .max(java.util.Comparator.comparing(FleetState.Version::number))
                .orElseThrow(() -> new DeployException("no launch template version before " + live.number()
                        + " has a retained image for site " + config.site() + "; deploy the older site again instead"));
        out.println("rolling back fleet " + config.site() + " from launch template version " + live.number()
                + " (bundle " + SiteTags.shortHash(live.bundleHash()) + ") to version " + previous.number()
                + " (bundle " + SiteTags.shortHash(previous.bundleHash()) + ")");
        RollingReplacement rollout = new RollingReplacement(aws, config, names, timing, out, listener::beforeBatch);
        List<String> serving = step(Step.ROLL_OUT, () -> {
            try {
                return rollout.converge(target.arn(), template, previous.number(), previous.bundleHash(),
                        base -> verifier.verifyHealth(base, previous.bundleHash()));
            } catch (RollingReplacement.InstanceFailed failure) {
                throw revert(rollout, target, template, previous.number(), Optional.of(live), failure);
            }
        });
        aws.ec2().modifyLaunchTemplate(b -> b.launchTemplateId(template.id())
                .defaultVersion(Long.toString(previous.number())));
        step(Step.DISTRIBUTE, () -> {
            invalidateAll(previous.bundleHash());
            return null;
        });
        out.println("live: bundle " + SiteTags.shortHash(previous.bundleHash()) + " on " + serving.size()
                + " instances (" + String.join(", ", serving) + ")");
        return new Outcome(serving, Optional.of(previous.imageId()), fleet.loadBalancer().map(l -> l.dnsName()));
    }

    /** The rollout to {@code version}, and on a failed instance the way back to {@code previous}. */
    private List<String> rollOut(FleetState.TargetGroup target, FleetState.Template template, long version,
                                 String hash, SiteBundle bundle, Optional<FleetState.Version> previous) {
        RollingReplacement rollout = new RollingReplacement(aws, config, names, timing, out, listener::beforeBatch);
        List<String> serving;
        try {
            serving = rollout.converge(target.arn(), template, version, hash, base -> verifier.verify(base, bundle));
        } catch (RollingReplacement.InstanceFailed failure) {
            throw revert(rollout, target, template, version, previous, failure);
        }
        if (template.defaultVersion() != version) {
            aws.ec2().modifyLaunchTemplate(b -> b.launchTemplateId(template.id()).defaultVersion(Long.toString(version)));
            out.println("launch template " + names.template() + " default version " + version);
        }
        return serving;
    }

    private DeployException revert(RollingReplacement rollout, FleetState.TargetGroup target,
                                   FleetState.Template template, long version, Optional<FleetState.Version> previous,
                                   RollingReplacement.InstanceFailed failure) {
        if (previous.isEmpty()) {
            return new DeployException(failure.getMessage() + "; the group has no earlier version to go back to"
                    + " (a first deploy): its instances were left for inspection; fix the image and deploy again",
                    failure);
        }
        FleetState.Version back = previous.get();
        out.println("rollout stopped: " + failure.getMessage() + "; going back to launch template version "
                + back.number() + " (bundle " + SiteTags.shortHash(back.bundleHash()) + ")");
        try {
            rollout.abandon(target.arn(), version);
            List<String> serving = rollout.converge(target.arn(), template, back.number(), back.bundleHash(),
                    base -> verifier.verifyHealth(base, back.bundleHash()));
            invalidateAll(back.bundleHash());
            return new DeployException(failure.getMessage() + "; rolled back to launch template version "
                    + back.number() + " (bundle " + SiteTags.shortHash(back.bundleHash()) + "), served by "
                    + String.join(", ", serving), failure);
        } catch (RuntimeException e) {
            return new DeployException(failure.getMessage() + "; going back to launch template version "
                    + back.number() + " failed too: " + BlueGreenDeploy.message(e) + "; run the deploy of the"
                    + " earlier site again", failure);
        }
    }

    /** Pages of the bundle gone back from may be in the CDN's cache: all of them go. */
    private void invalidateAll(String bundleHash) {
        config.cdn().ifPresent(cdn -> new FleetDistribution(aws, config, cdn, timing, out).invalidateAll(bundleHash));
    }

    private <T> T step(Step step, Supplier<T> work) {
        listener.beforeStep(step);
        String name = step.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        try {
            return work.get();
        } catch (DeployException e) {
            throw new DeployException(name + ": " + e.getMessage(), e);
        } catch (RollingReplacement.InstanceFailed e) {
            throw new DeployException(name + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new DeployException(name + ": " + BlueGreenDeploy.message(e), e);
        }
    }
}
