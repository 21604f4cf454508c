package morgana.deploy.ec2;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.ResourceType;

/**
 * The new instance's life until it is live: launched tagged as the candidate, awaited, and terminated, with
 * its console read into the error, if anything on its behalf fails.
 */
final class Candidates {
    private final AwsClients aws;
    private final DeployConfig config;
    private final BlueGreenDeploy.Timing timing;
    private final PrintStream out;
    private final PublicAddress address;

    Candidates(AwsClients aws, DeployConfig config, BlueGreenDeploy.Timing timing, PrintStream out,
               PublicAddress address) {
        this.aws = aws;
        this.config = config;
        this.timing = timing;
        this.out = out;
        this.address = address;
    }

    /** Launches an instance of {@code imageId} and waits until it runs with a public address. */
    SiteState.SiteInstance launch(String imageId, Map<String, String> tags) {
        Map<String, String> candidate = new java.util.HashMap<>(tags);
        candidate.put(SiteTags.ROLE, SiteTags.Role.CANDIDATE.tagValue);
        Instance launched;
        try {
            launched = aws.ec2().runInstances(b -> b.imageId(imageId).instanceType(config.instanceType())
                    .minCount(1).maxCount(1)
                    .networkInterfaces(n -> n.deviceIndex(0).subnetId(config.subnetId())
                            .groups(config.securityGroupId()).associatePublicIpAddress(true))
                    .metadataOptions(m -> m.httpTokens(HttpTokensState.REQUIRED))
                    .tagSpecifications(SiteTags.spec(ResourceType.INSTANCE, candidate))).instances().getFirst();
        } catch (SdkException e) {
            terminateUnanswered(tags.get(SiteTags.BUNDLE_HASH));
            throw e;
        }
        out.println("launched " + launched.instanceId() + " from " + imageId);
        SiteState.SiteInstance pending = new SiteState.SiteInstance(launched.instanceId(), imageId, "pending",
                Optional.empty(), Optional.of(SiteTags.Role.CANDIDATE), tags.get(SiteTags.BUNDLE_HASH));
        return guarded(pending, () -> running(pending));
    }

    /**
     * After a RunInstances that timed out, the instance may exist all the same: it carries its tags from
     * the start, so it is found by them and terminated, as any candidate of a failed deploy is.
     */
    private void terminateUnanswered(String bundleHash) {
        try {
            List<String> orphans = SiteState.read(aws.ec2(), config.site()).instances().stream()
                    .filter(i -> i.bundleHash().equals(bundleHash))
                    .filter(i -> i.role().equals(Optional.of(SiteTags.Role.CANDIDATE)))
                    .map(SiteState.SiteInstance::id).toList();
            if (!orphans.isEmpty()) {
                aws.ec2().terminateInstances(b -> b.instanceIds(orphans));
                out.println("terminated " + String.join(", ", orphans) + ", launched by a call that did not answer");
            }
        } catch (SdkException e) {
            out.println("could not look for instances the unanswered launch made: " + e.getMessage()
                    + "; a rerun finds them by their tags");
        }
    }

    /** Waits for {@code instance} to run and have its public address. */
    SiteState.SiteInstance running(SiteState.SiteInstance instance) {
        return timing.instance().await(instance.id() + " to be running", () -> {
            Instance i = aws.ec2().describeInstances(b -> b.instanceIds(instance.id())).reservations().stream()
                    .flatMap(r -> r.instances().stream()).findFirst().orElseThrow();
            String state = i.state().nameAsString();
            if (!SiteState.ALIVE.contains(state) || state.startsWith("stop")) {
                throw new DeployException(instance.id() + " is " + state + " instead of running");
            }
            return Optional.of(new SiteState.SiteInstance(i.instanceId(), i.imageId(), state,
                    Optional.ofNullable(i.publicIpAddress()), instance.role(), instance.bundleHash()))
                    .filter(s -> s.running() && s.publicIp().isPresent());
        });
    }

    /**
     * Runs {@code work} on behalf of a candidate that is not live yet; if it fails, the candidate's console
     * goes into the error and the candidate is terminated, unless the public address already sends
     * visitors to it (a rerun of a deploy that had switched).
     */
    <T> T guarded(SiteState.SiteInstance candidate, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException failure) {
            String console = console(candidate.id());
            boolean serving = candidate.role().equals(Optional.of(SiteTags.Role.LIVE)) || pointsAtQuietly(candidate);
            String fate;
            if (serving) {
                fate = candidate.id() + " is serving the site and was left running";
            } else {
                try {
                    aws.ec2().terminateInstances(b -> b.instanceIds(candidate.id()));
                    fate = "the candidate " + candidate.id() + " was terminated; the live site was not touched";
                } catch (SdkException e) {
                    fate = "terminating the candidate " + candidate.id() + " failed too (" + e.getMessage()
                            + "); terminate it by hand";
                }
            }
            throw new DeployException(BlueGreenDeploy.message(failure) + "; " + fate + console, failure);
        }
    }

    boolean pointsAtQuietly(SiteState.SiteInstance candidate) {
        try {
            return address.pointsAt(candidate);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private String console(String instanceId) {
        try {
            String output = aws.ec2().getConsoleOutput(b -> b.instanceId(instanceId).latest(true)).output();
            if (output == null || output.isEmpty()) {
                return "\nconsole of " + instanceId + ": (empty)";
            }
            String text = new String(Base64.getMimeDecoder().decode(output), StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            return "\nconsole of " + instanceId + " (last lines):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (RuntimeException e) {
            return "\nconsole of " + instanceId + ": unavailable (" + e.getMessage() + ")";
        }
    }
}
