package morgana.deploy.ec2;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import morgana.blog.bundle.SiteBundle;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code morgana deploy ec2}: a new instance from the new image, checked page by page, then the public
 * address moved to it, then the old one retired. Until the switch nothing the public reaches is touched,
 * and any failure before it terminates the new instance. Every resource is tagged when it is created, so
 * a rerun after an interruption finds what the last run made and carries on from there.
 */
public final class BlueGreenDeploy {

    /** The steps, in order; a {@link StepListener} hears of each before it starts. */
    public enum Step { UPLOAD, REGISTER, LAUNCH, VERIFY, SWITCH, RETIRE }

    /** Told before each step: progress for a user interface, or the moment a test stops a deploy. */
    @FunctionalInterface
    public interface StepListener {
        StepListener NONE = step -> { };

        void beforeStep(Step step);
    }

    /** How long to wait for AWS and for the new instance; how hard to push the upload. */
    public record Timing(Patience snapshot, Patience instance, Patience boot, Duration requestTimeout,
                         int uploadParallelism, Backoff backoff) {
        public static final Timing AWS = new Timing(new Patience(Duration.ofMinutes(30), Duration.ofSeconds(5)),
                new Patience(Duration.ofMinutes(10), Duration.ofSeconds(5)),
                new Patience(Duration.ofMinutes(5), Duration.ofSeconds(3)), Duration.ofSeconds(10), 16,
                Backoff.DEFAULT);
    }

    /** What a deploy left: the instance serving the bundle (empty after a dry run) and the plan it followed. */
    public record Outcome(DeployPlan plan, Optional<String> liveInstance, Optional<String> imageId) {
    }

    private final AwsClients aws;
    private final DeployConfig config;
    private final Timing timing;
    private final PrintStream out;
    private final StepListener listener;
    private final PublicAddress address;
    private final SiteVerifier verifier;
    private final ImagePublisher images;
    private final Candidates candidates;

    public BlueGreenDeploy(AwsClients aws, DeployConfig config, Timing timing, PrintStream out, StepListener listener) {
        this.aws = aws;
        this.config = config;
        this.timing = timing;
        this.out = out;
        this.listener = listener;
        this.address = PublicAddress.of(config.switchTarget(), aws);
        this.verifier = new SiteVerifier(timing.requestTimeout());
        this.images = new ImagePublisher(aws, config.site(), timing, out);
        this.candidates = new Candidates(aws, config, timing, out, address);
    }

    /** Plans and, unless {@code dryRun}, deploys the image {@code disk} built from {@code bundle}. */
    public Outcome deploy(Path disk, SiteBundle bundle, boolean dryRun) throws IOException {
        String hash = bundle.bundleHash();
        SiteState state = SiteState.read(aws.ec2(), config.site());
        long diskBytes;
        long dataBytes;
        try (FileChannel channel = FileChannel.open(disk)) {
            diskBytes = channel.size();
            dataBytes = (long) SnapshotUpload.nonZeroBlocks(channel, diskBytes).size() * SnapshotUpload.BLOCK_SIZE;
        }
        DeployPlan plan = DeployPlan.of(config, state, address.describe(), hash, bundle.size(), diskBytes, dataBytes);
        plan.lines().forEach(out::println);
        if (dryRun) {
            out.println("dry run: nothing was changed");
            return new Outcome(plan, Optional.empty(), Optional.empty());
        }
        Map<String, String> tags = SiteTags.forBundle(config.site(), hash);
        String imageId = plan.image().map(SiteState.SiteImage::id).orElseGet(() -> {
            String snapshotId = step(Step.UPLOAD, () -> images.uploaded(state, plan.snapshot(), hash, disk, tags));
            return step(Step.REGISTER, () -> images.register(snapshotId, tags));
        });
        SiteState.SiteInstance candidate = step(Step.LAUNCH, () -> plan.instance().map(candidates::running)
                .orElseGet(() -> candidates.launch(imageId, tags)));
        promote(state, candidate, hash, base -> verifier.verify(base, bundle), plan.pruned());
        return new Outcome(plan, Optional.of(candidate.id()), Optional.of(imageId));
    }

    /**
     * {@code morgana deploy rollback}: the image before the live one, while it is retained, launched (or
     * found running), checked by its health endpoint (the bundle itself is not at hand), and switched to.
     */
    public Outcome rollback() {
        SiteState state = SiteState.read(aws.ec2(), config.site());
        SiteState.SiteInstance live = state.live().stream().filter(candidates::pointsAtQuietly).findFirst()
                .or(() -> state.live().stream().findFirst())
                .orElseThrow(() -> new DeployException("site " + config.site() + " has no live instance to roll back"));
        List<SiteState.SiteImage> images = state.images();
        int current = images.stream().map(SiteState.SiteImage::id).toList().indexOf(live.imageId());
        if (current < 0 || current + 1 >= images.size()) {
            throw new DeployException("no image older than " + live.imageId() + " is retained for site "
                    + config.site() + "; deploy the older site again instead");
        }
        SiteState.SiteImage previous = images.get(current + 1);
        String hash = previous.bundleHash();
        out.println("rolling back site " + config.site() + " from " + live.imageId() + " (bundle "
                + SiteTags.shortHash(live.bundleHash()) + ") to " + previous.id() + " (bundle "
                + SiteTags.shortHash(hash) + ")");
        Map<String, String> tags = SiteTags.forBundle(config.site(), hash);
        SiteState.SiteInstance candidate = step(Step.LAUNCH, () -> state.instanceFor(hash).map(candidates::running)
                .orElseGet(() -> candidates.launch(previous.id(), tags)));
        promote(state, candidate, hash, base -> verifier.verifyHealth(base, hash), List.of());
        return new Outcome(DeployPlan.of(config, state, address.describe(), hash, 0, 0, 0),
                Optional.of(candidate.id()), Optional.of(previous.id()));
    }

    /** {@code morgana deploy status}: where the address points, the instances and the retained images. */
    public List<String> status() {
        SiteState state = SiteState.read(aws.ec2(), config.site());
        List<String> lines = new java.util.ArrayList<>();
        lines.add("site " + config.site() + ": " + address.describe());
        for (SiteState.SiteInstance i : state.instances()) {
            lines.add("  instance " + i.id() + " " + i.state() + " " + i.role().map(r -> r.tagValue).orElse("untagged")
                    + " bundle " + SiteTags.shortHash(i.bundleHash()) + " image " + i.imageId()
                    + i.publicIp().map(ip -> " at " + ip).orElse(""));
        }
        for (SiteState.SiteImage i : state.images()) {
            lines.add("  image " + i.id() + " bundle " + SiteTags.shortHash(i.bundleHash()) + " registered "
                    + i.created() + " snapshot " + String.join(",", i.snapshotIds()));
        }
        if (state.instances().isEmpty() && state.images().isEmpty()) {
            lines.add("  nothing deployed yet");
        }
        return lines;
    }

    /** Verify the candidate, switch to it, retire the rest: the half of a deploy a rollback shares. */
    private void promote(SiteState state, SiteState.SiteInstance candidate, String hash,
                         java.util.function.Function<URI, SiteVerifier.Report> check,
                         List<SiteState.SiteImage> pruned) {
        step(Step.VERIFY, () -> candidates.guarded(candidate, () -> {
            awaitHealth(candidate, hash);
            SiteVerifier.Report report = check.apply(base(candidate));
            require(report, candidate);
            out.printf("verified %s: health and %d pages match bundle %s%n", candidate.id(), report.checked(),
                    SiteTags.shortHash(hash));
            return report;
        }));
        Optional<SiteState.SiteInstance> previous = state.live().stream()
                .filter(i -> !i.id().equals(candidate.id())).findFirst();
        step(Step.SWITCH, () -> switchTo(candidate, previous, check));
        step(Step.RETIRE, () -> retire(candidate, pruned));
        out.printf("live: bundle %s on %s through %s%n", SiteTags.shortHash(hash), candidate.id(), address.describe());
    }

    /**
     * Waits for the candidate's health endpoint to name {@code hash}. No answer or a 5xx: still booting, so
     * wait. Another bundle's hash, or a 404 (a server without the endpoint): the wrong image, which waiting
     * will not fix.
     */
    private void awaitHealth(SiteState.SiteInstance candidate, String hash) {
        URI base = base(candidate);
        AtomicReference<SiteVerifier.Health> last = new AtomicReference<>(new SiteVerifier.Health.Unreachable("not asked"));
        timing.boot().await(() -> base + SiteVerifier.HEALTH_PATH.substring(1) + " to answer "
                + SiteTags.shortHash(hash) + "; last: " + last.get().describe(), () -> {
            SiteVerifier.Health health = verifier.health(base);
            last.set(health);
            return switch (health) {
                case SiteVerifier.Health.Serving s when s.bundleHash().equals(hash) -> Optional.of(s);
                case SiteVerifier.Health.Serving s -> throw new DeployException(candidate.id() + " serves bundle "
                        + SiteTags.shortHash(s.bundleHash()) + " instead of " + SiteTags.shortHash(hash));
                case SiteVerifier.Health.Status s when s.code() == 404 -> throw new DeployException(candidate.id()
                        + " answers 404 at " + SiteVerifier.HEALTH_PATH + ": its server has no health endpoint"
                        + " (an image from an older Morgana?)");
                case SiteVerifier.Health.Status s -> Optional.empty();
                case SiteVerifier.Health.Unreachable u -> Optional.empty();
            };
        });
    }

    private URI base(SiteState.SiteInstance instance) {
        return PublicAddress.http(instance.publicIp().orElseThrow(), config.httpPort());
    }

    private void require(SiteVerifier.Report report, SiteState.SiteInstance instance) {
        if (!report.passed()) {
            throw new DeployException(instance.id() + " at " + report.base() + " does not serve the bundle: "
                    + String.join("; ", report.problems().stream().limit(10).toList())
                    + (report.problems().size() > 10 ? "; and " + (report.problems().size() - 10) + " more" : ""));
        }
    }

    private Object switchTo(SiteState.SiteInstance candidate, Optional<SiteState.SiteInstance> previous,
                            java.util.function.Function<URI, SiteVerifier.Report> check) {
        return candidates.guarded(candidate, () -> {
            try {
                if (!address.pointsAt(candidate)) {
                    address.pointAt(candidate, timing.instance());
                }
                URI publicBase = address.publicBase(candidate, config.httpPort());
                SiteVerifier.Report report = check.apply(publicBase);
                require(report, candidate);
                aws.ec2().createTags(b -> b.resources(candidate.id())
                        .tags(SiteTags.ec2Tags(Map.of(SiteTags.ROLE, SiteTags.Role.LIVE.tagValue))));
                out.println("switched: " + address.describe() + "; verified again through " + publicBase);
                return report;
            } catch (RuntimeException e) {
                // The call may have moved the address before it failed (a timeout): move it back first.
                previous.ifPresent(this::restore);
                throw e;
            }
        });
    }

    private void restore(SiteState.SiteInstance previous) {
        try {
            if (!address.pointsAt(previous)) {
                address.pointAt(previous, timing.instance());
                out.println("switched back to " + previous.id());
            }
        } catch (RuntimeException e) {
            out.println("could not switch back to " + previous.id() + ": " + e.getMessage());
        }
    }

    /** Terminates every other instance of the site and prunes the images beyond the last {@code retain}. */
    private Object retire(SiteState.SiteInstance live, List<SiteState.SiteImage> pruned) {
        List<String> others = SiteState.read(aws.ec2(), config.site()).instances().stream()
                .map(SiteState.SiteInstance::id).filter(id -> !id.equals(live.id())).toList();
        if (!others.isEmpty()) {
            aws.ec2().terminateInstances(b -> b.instanceIds(others));
            out.println("terminated " + String.join(", ", others));
        }
        pruned.forEach(images::prune);
        return others;
    }

    private <T> T step(Step step, java.util.function.Supplier<T> work) {
        listener.beforeStep(step);
        try {
            return work.get();
        } catch (DeployException e) {
            throw new DeployException(step.name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new DeployException(step.name().toLowerCase(java.util.Locale.ROOT) + ": " + message(e), e);
        }
    }

    static String message(Throwable e) {
        return e instanceof DeployException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
