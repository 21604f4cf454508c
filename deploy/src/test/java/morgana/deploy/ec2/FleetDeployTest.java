package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code morgana deploy ec2} with {@code deploy.ec2.fleet}: a first deploy makes the fleet, the next one rolls it. */
class FleetDeployTest {

    @Test
    void aFirstDeployMakesTheTargetGroupLoadBalancerTemplateAndGroupAndChecksEveryInstance(@TempDir Path tmp)
            throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetDeploy.Outcome outcome = rig.deploy(rig.config(), update.newSite(), update.disk());

            FakeFleet fleet = rig.fleet;
            FakeFleet.FakeTargetGroup target = fleet.targetGroups.values().iterator().next();
            assertThat(target.healthPath).isEqualTo("/.well-known/morgana/health");
            assertThat(target.port).isEqualTo(rig.rig.port);
            assertThat(target.attributes).containsEntry("deregistration_delay.timeout_seconds", "5");
            FakeFleet.FakeLoadBalancer balancer = fleet.loadBalancers.values().iterator().next();
            assertThat(balancer.subnets()).containsExactlyElementsOf(FleetRig.SUBNETS);
            assertThat(balancer.scheme()).isEqualTo("internet-facing");
            assertThat(balancer.listeners()).containsEntry(80, target.arn);
            assertThat(outcome.address()).contains(balancer.dnsName());

            FakeFleet.FakeGroup group = fleet.groups.get("morgana-notes");
            assertThat(group.targetGroupArns).containsExactly(target.arn);
            assertThat(group.desired).isEqualTo(3);
            assertThat(group.suspended).as("the processes suspended for the rollout are resumed").isEmpty();
            assertThat(rig.members()).hasSize(3).allSatisfy(m -> {
                assertThat(m.lifecycle).isEqualTo("InService");
                assertThat(rig.health(m.instanceId)).contains(update.newSite().bundleHash());
            });
            assertThat(rig.members()).extracting(m -> m.zone).containsOnly("eu-west-1a", "eu-west-1b")
                    .as("spread over both zones").contains("eu-west-1a", "eu-west-1b");
            assertThat(outcome.instances()).containsExactlyInAnyOrderElementsOf(rig.members().stream()
                    .map(m -> m.instanceId).toList());
            FakeCloud.FakeInstance first = rig.aws.cloud.instances.get(outcome.instances().getFirst());
            assertThat(first.httpTokens).as("IMDSv2 required").isEqualTo("required");
            assertThat(first.securityGroupId).isEqualTo("sg-0http");
            assertThat(first.tags).containsEntry(SiteTags.BUNDLE_HASH, update.newSite().bundleHash())
                    .containsEntry(SiteTags.SITE, "notes");
            assertThat(rig.template().defaultVersion).isEqualTo(1);
            assertThat(rig.output()).contains("verified " + first.id + " in eu-west-1")
                    .contains("live: bundle " + SiteTags.shortHash(update.newSite().bundleHash()) + " on 3 instances");
        }
    }

    @Test
    void aSecondDeployReplacesEveryInstanceKeepingAllOfThemServingAndRetiresNothingItNeeds(@TempDir Path tmp)
            throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetDeploy.Outcome before = rig.deploy(rig.config(), update.oldSite(), SiteFixtures.smallDisk(tmp, "old"));
            rig.watch();

            FleetDeploy.Outcome after = rig.deploy(rig.config(), update.newSite(), update.disk());

            assertThat(rig.fewestServing()).as("instances serving throughout the rollout").isGreaterThanOrEqualTo(3);
            assertThat(rig.members()).hasSize(3).allSatisfy(m -> {
                assertThat(m.version).isEqualTo(2);
                assertThat(rig.health(m.instanceId)).contains(update.newSite().bundleHash());
            });
            assertThat(after.instances()).doesNotContainAnyElementsOf(before.instances());
            assertThat(before.instances()).allSatisfy(id ->
                    assertThat(rig.aws.cloud.instances.get(id).state).isIn("shutting-down", "terminated"));
            assertThat(rig.aws.cloud.running()).as("no instance left behind").isEqualTo(3);
            assertThat(rig.template().defaultVersion).isEqualTo(2);
            assertThat(rig.fleet.groups.get("morgana-notes").version).isEqualTo("2");
            assertThat(rig.aws.calls()).filteredOn(c -> c.action().equals("DeregisterTargets")).hasSize(3);
            assertThat(rig.aws.calls()).filteredOn(c -> c.action().equals("TerminateInstanceInAutoScalingGroup"))
                    .extracting(FakeAws.Call::detail)
                    .allSatisfy(d -> assertThat(d).contains("ShouldDecrementDesiredCapacity=true"));
            assertThat(rig.aws.cloud.images).hasSize(2);
            assertThat(List.of(rig.fleet.loadBalancers.size(), rig.fleet.targetGroups.size(), rig.fleet.groups.size()))
                    .as("the second deploy made no second load balancer, target group or group")
                    .containsOnly(1);
        }
    }

    @Test
    void withNoRoomAboveDesiredARolloutTakesOldInstancesOutFirstButNeverBelowTheHealthyPercentage(
            @TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetConfig full = rig.config(2, 4, 4, 50);
            FleetDeploy.Outcome before = rig.deploy(full, update.oldSite(), SiteFixtures.smallDisk(tmp, "old"));
            rig.watch();

            rig.deploy(full, update.newSite(), update.disk());

            assertThat(rig.fewestServing()).as("50% of 4 serving throughout").isEqualTo(2);
            assertThat(rig.members()).hasSize(4).allSatisfy(m ->
                    assertThat(rig.health(m.instanceId)).contains(update.newSite().bundleHash()));
            assertThat(rig.aws.calls()).filteredOn(c -> c.action().equals("SetDesiredCapacity"))
                    .extracting(FakeAws.Call::detail).as("never above max")
                    .allSatisfy(d -> assertThat(d).endsWith("DesiredCapacity=4"));
            assertThat(rig.output()).contains("batch 1: 2 new instances, 2 old drained first; 2 serving");
            assertThat(before.instances()).allSatisfy(id ->
                    assertThat(rig.aws.cloud.instances.get(id).state).isIn("shutting-down", "terminated"));
        }
    }
}
