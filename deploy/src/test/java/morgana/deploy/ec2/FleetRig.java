package morgana.deploy.ec2;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import morgana.blog.bundle.SiteBundle;

/**
 * A fleet deploy against the fake AWS: the {@link DeployRig}'s servers stand for the instances the Auto
 * Scaling group launches, and the fake load balancer health-checks them over real TCP. It counts, after
 * every call, how many instances the target group could send a visitor to, so a test can tell whether the
 * fleet ever had fewer serving than it should.
 */
final class FleetRig implements AutoCloseable {
    static final List<String> SUBNETS = List.of("subnet-0aaa", "subnet-0bbb");

    final DeployRig rig;
    final FakeAws aws;
    final FakeFleet fleet;
    /** The fewest instances in service, registered and answering, seen after any call since {@link #watch()}. */
    private final AtomicInteger fewestServing = new AtomicInteger(Integer.MAX_VALUE);
    /** One client for every look: a client per request would leave hundreds of selector threads behind. */
    private final SiteVerifier verifier = new SiteVerifier(Duration.ofSeconds(2));

    FleetRig() throws IOException {
        rig = new DeployRig();
        aws = rig.aws;
        fleet = aws.cloud.fleet;
    }

    FleetConfig config(int min, int desired, int max, int minHealthyPercent) {
        return new FleetConfig(DeployRig.SITE, Optional.of("eu-west-1"), Optional.empty(), "t3.micro", "sg-0http",
                "sg-0lb", SUBNETS, new FleetConfig.Size(min, desired, max), minHealthyPercent, 5, Optional.empty(), 3,
                rig.port);
    }

    /** Three instances (two to four), all of them serving throughout. */
    FleetConfig config() {
        return config(2, 3, 4, 100);
    }

    FleetDeploy deploy(FleetConfig config, FleetDeploy.StepListener listener) {
        return new FleetDeploy(rig.clients, config, DeployRig.FAST,
                new PrintStream(rig.output, true, StandardCharsets.UTF_8), listener);
    }

    FleetDeploy.Outcome deploy(FleetConfig config, SiteBundle bundle, Path disk) throws IOException {
        rig.bundles.put(bundle.bundleHash(), bundle);
        return deploy(config, FleetDeploy.StepListener.NONE).deploy(disk, bundle, false);
    }

    /** From now on, count the instances serving after every call. */
    void watch() {
        fewestServing.set(Integer.MAX_VALUE);
        aws.afterCall = () -> fewestServing.accumulateAndGet(serving(), Math::min);
    }

    int fewestServing() {
        return fewestServing.get();
    }

    /**
     * Targets the load balancer would send a visitor to (registered, found healthy, not draining) whose
     * instance answers the health endpoint.
     */
    int serving() {
        return (int) fleet.targetGroups.values().stream().flatMap(t -> t.targets.values().stream())
                .filter(t -> !t.draining && t.state.equals("healthy"))
                .filter(t -> health(t.instanceId).isPresent()).count();
    }

    /** The group's members in service or on their way. */
    List<FakeFleet.Member> members() {
        return fleet.groups.values().stream().flatMap(g -> g.members.stream())
                .filter(m -> !m.lifecycle.equals("Terminating")).toList();
    }

    /** The bundle hash an instance's health endpoint names, if it answers. */
    Optional<String> health(String instanceId) {
        FakeCloud.FakeInstance i = aws.cloud.instances.get(instanceId);
        if (i == null || !i.state.equals("running")) {
            return Optional.empty();
        }
        return verifier.health(PublicAddress.http(i.publicIp, rig.port))
                instanceof SiteVerifier.Health.Serving s ? Optional.of(s.bundleHash()) : Optional.empty();
    }

    FakeFleet.FakeTemplate template() {
        return fleet.templateNamed("morgana-" + DeployRig.SITE);
    }

    String output() {
        return rig.output();
    }

    @Override
    public void close() {
        aws.afterCall = () -> { };
        rig.close();
    }
}
