package morgana.deploy.ec2;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Brings an Auto Scaling group to {@code desired} instances of one launch template version, batch by batch
 * through its target group, never with fewer than {@code minHealthy} serving. Each round reads the group
 * afresh, so a rerun after an interruption (or a revert after a failure) carries on from whatever state it
 * finds:
 * <ol>
 * <li>every new instance is awaited and checked: in service, healthy in the target group, and its health
 * endpoint naming the bundle (then every page), before any old instance goes;
 * <li>old instances beyond desired are drained: deregistered from the target group, awaited until the load
 * balancer has let their connections finish, then terminated with the desired capacity lowered;
 * <li>the next batch is as many new instances as the group's maximum leaves room for, plus as many old ones
 * as may stop serving first (desired less minHealthy), which are drained before the batch is launched.
 * </ol>
 * The group's processes that would fight this (rebalancing zones, replacing unhealthy instances on their
 * own, alarms and schedules changing capacity) are suspended meanwhile.
 */
final class RollingReplacement {
    static final List<String> SUSPENDED = List.of("AZRebalance", "AlarmNotification", "ReplaceUnhealthy",
            "ScheduledActions");

    /** Told before each batch is launched: where a test interrupts a rollout. */
    @FunctionalInterface
    interface BatchListener {
        void beforeBatch(int batch);
    }

    /** A new instance that did not come to serve the bundle: the rollout stops there. */
    static final class InstanceFailed extends RuntimeException {
        final String instanceId;

        InstanceFailed(String instanceId, String message) {
            super(message);
            this.instanceId = instanceId;
        }
    }

    private final AwsClients aws;
    private final FleetConfig config;
    private final FleetNames names;
    private final BlueGreenDeploy.Timing timing;
    private final PrintStream out;
    private final SiteVerifier verifier;
    private final BatchListener listener;
    private final Set<String> verified = new HashSet<>();
    private int batches;

    RollingReplacement(AwsClients aws, FleetConfig config, FleetNames names, BlueGreenDeploy.Timing timing,
                       PrintStream out, BatchListener listener) {
        this.aws = aws;
        this.config = config;
        this.names = names;
        this.timing = timing;
        this.out = out;
        this.listener = listener;
        this.verifier = new SiteVerifier(timing.requestTimeout());
    }

    /**
     * Replaces every instance not of {@code version} until {@code desired} of that version serve {@code hash}
     * as {@code check} sees it; returns the instances serving.
     */
    List<String> converge(String targetGroupArn, FleetState.Template template, long version, String hash,
                          Function<URI, SiteVerifier.Report> check) {
        FleetConfig.Size size = config.size();
        FleetState.Group group = group();
        if (!group.suspended().containsAll(SUSPENDED)) {
            aws.autoScaling().suspendProcesses(b -> b.autoScalingGroupName(names.group()).scalingProcesses(SUSPENDED));
        }
        if (!group.version().equals(Optional.of(version))) {
            aws.autoScaling().updateAutoScalingGroup(b -> b.autoScalingGroupName(names.group())
                    .launchTemplate(t -> t.launchTemplateId(template.id()).version(Long.toString(version))));
            out.println("group " + names.group() + " launches version " + version + " now");
        }
        while (true) {
            group = group();
            List<FleetState.Member> alive = group.members().stream().filter(FleetState.Member::alive).toList();
            List<FleetState.Member> fresh = alive.stream().filter(m -> m.version().equals(Optional.of(version))).toList();
            List<FleetState.Member> old = alive.stream().filter(m -> !m.version().equals(Optional.of(version))).toList();
            for (FleetState.Member m : fresh) {
                if (!verified.contains(m.instanceId())) {
                    verify(targetGroupArn, m, hash, check);
                    verified.add(m.instanceId());
                }
            }
            int total = alive.size();
            if (old.isEmpty() && fresh.size() == size.desired()) {
                aws.autoScaling().resumeProcesses(b -> b.autoScalingGroupName(names.group()).scalingProcesses(SUSPENDED));
                return fresh.stream().map(FleetState.Member::instanceId).toList();
            }
            if (total > size.desired()) {
                drain(targetGroupArn, pick(old.isEmpty() ? fresh : old, alive, total - size.desired()));
                continue;
            }
            if (old.isEmpty()) {
                setDesired(size.desired());
                continue;
            }
            int surge = size.max() - total;
            int dip = Math.max(0, total - config.minHealthy());
            int batch = Math.min(old.size(), surge + dip);
            if (batch <= 0) {
                throw new DeployException("group " + names.group() + " has no room to replace an instance: "
                        + total + " of at most " + size.max() + ", " + config.minHealthy() + " must serve");
            }
            int first = Math.max(0, batch - surge);
            listener.beforeBatch(++batches);
            out.println("batch " + batches + ": " + batch + " new instance" + (batch == 1 ? "" : "s")
                    + (first > 0 ? ", " + first + " old drained first" : "") + "; " + (total - first) + " serving");
            if (first > 0) {
                drain(targetGroupArn, pick(old, alive, first));
            }
            setDesired(total - first + batch);
        }
    }

    /** The instances of {@code version} not (yet) checked: a failed batch, drained before a revert. */
    void abandon(String targetGroupArn, long version) {
        List<FleetState.Member> unchecked = group().members().stream().filter(FleetState.Member::alive)
                .filter(m -> m.version().equals(Optional.of(version)) && !verified.contains(m.instanceId())).toList();
        if (!unchecked.isEmpty()) {
            drain(targetGroupArn, unchecked);
        }
    }

    private FleetState.Group group() {
        return FleetState.group(aws, names).orElseThrow(() -> new DeployException("Auto Scaling group "
                + names.group() + " is gone"));
    }

    /** Sets the capacity and waits until the group has launched up to it (Auto Scaling does so in its own time). */
    private void setDesired(int capacity) {
        aws.autoScaling().setDesiredCapacity(b -> b.autoScalingGroupName(names.group()).desiredCapacity(capacity)
                .honorCooldown(false));
        timing.instance().await(() -> names.group() + " to launch up to " + capacity + " instances", () ->
                group().members().stream().filter(FleetState.Member::alive).count() >= capacity
                        ? Optional.of(true) : Optional.empty());
    }

    /**
     * Which of {@code candidates} go first: those not in service, then those in the zone with the most of the
     * group's instances (so the zones stay balanced), then by id.
     */
    private List<FleetState.Member> pick(List<FleetState.Member> candidates, List<FleetState.Member> alive,
                                         int count) {
        Map<String, Long> perZone = alive.stream().collect(Collectors.groupingBy(FleetState.Member::zone,
                Collectors.counting()));
        List<FleetState.Member> remaining = new ArrayList<>(candidates);
        List<FleetState.Member> picked = new ArrayList<>();
        while (picked.size() < count && !remaining.isEmpty()) {
            FleetState.Member next = remaining.stream().min(Comparator
                    .comparing((FleetState.Member m) -> m.lifecycle().equals("InService"))
                    .thenComparing(m -> -perZone.get(m.zone()))
                    .thenComparing(FleetState.Member::instanceId)).orElseThrow();
            picked.add(next);
            remaining.remove(next);
            perZone.merge(next.zone(), -1L, Long::sum);
        }
        return picked;
    }

    /** Deregisters, waits out connection draining, then terminates, lowering the desired capacity. */
    private void drain(String targetGroupArn, List<FleetState.Member> members) {
        List<String> ids = members.stream().map(FleetState.Member::instanceId).toList();
        aws.elb().deregisterTargets(b -> b.targetGroupArn(targetGroupArn)
                .targets(ids.stream().map(id -> software.amazon.awssdk.services.elasticloadbalancingv2.model
                        .TargetDescription.builder().id(id).port(config.httpPort()).build()).toList()));
        timing.instance().await("the load balancer to drain " + String.join(", ", ids), () -> {
            Map<String, String> health = FleetState.targetHealth(aws, targetGroupArn);
            return ids.stream().noneMatch(id -> health.containsKey(id) && !health.get(id).equals("unused"))
                    ? Optional.of(true) : Optional.empty();
        });
        for (String id : ids) {
            aws.autoScaling().terminateInstanceInAutoScalingGroup(b -> b.instanceId(id)
                    .shouldDecrementDesiredCapacity(true));
        }
        out.println("drained and terminated " + String.join(", ", ids));
    }

    /**
     * Waits for a new instance to be in service, healthy in the target group and naming {@code hash}, then
     * checks it with {@code check}. Another bundle's hash fails at once: waiting will not fix the image.
     */
    private void verify(String targetGroupArn, FleetState.Member member, String hash,
                        Function<URI, SiteVerifier.Report> check) {
        String id = member.instanceId();
        AtomicReference<String> last = new AtomicReference<>("not asked");
        URI base;
        try {
            base = timing.boot().await(() -> id + " to serve bundle " + SiteTags.shortHash(hash) + "; last: "
                    + last.get(), () -> {
                FleetState.Member now = group().members().stream().filter(m -> m.instanceId().equals(id)).findFirst()
                        .filter(FleetState.Member::alive)
                        .orElseThrow(() -> new InstanceFailed(id, id + " left the group before it served"));
                Optional<String> ip = publicIp(id);
                String target = FleetState.targetHealth(aws, targetGroupArn).getOrDefault(id, "unregistered");
                SiteVerifier.Health health = ip.map(a -> verifier.health(PublicAddress.http(a, config.httpPort())))
                        .orElse(new SiteVerifier.Health.Unreachable("no public address yet"));
                last.set(now.lifecycle() + ", target " + target + ", health endpoint " + health.describe());
                if (health instanceof SiteVerifier.Health.Serving s && !s.bundleHash().equals(hash)) {
                    throw new InstanceFailed(id, id + " serves bundle " + SiteTags.shortHash(s.bundleHash())
                            + " instead of " + SiteTags.shortHash(hash));
                }
                boolean serving = now.lifecycle().equals("InService") && target.equals("healthy")
                        && health instanceof SiteVerifier.Health.Serving;
                return serving ? ip.map(a -> PublicAddress.http(a, config.httpPort())) : Optional.empty();
            });
        } catch (InstanceFailed e) {
            throw e;
        } catch (DeployException e) {
            throw new InstanceFailed(id, e.getMessage());
        }
        SiteVerifier.Report report = check.apply(base);
        if (!report.passed()) {
            throw new InstanceFailed(id, id + " at " + base + " does not serve the bundle: "
                    + String.join("; ", report.problems().stream().limit(10).toList()));
        }
        out.printf("verified %s in %s: in service, healthy, %d pages match bundle %s%n", id, member.zone(),
                report.checked(), SiteTags.shortHash(hash));
    }

    private Optional<String> publicIp(String instanceId) {
        return aws.ec2().describeInstances(b -> b.instanceIds(instanceId)).reservations().stream()
                .flatMap(r -> r.instances().stream()).findFirst().flatMap(i -> Optional.ofNullable(i.publicIpAddress()));
    }
}
