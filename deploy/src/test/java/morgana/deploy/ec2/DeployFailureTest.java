package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import morgana.blog.bundle.SiteBundle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A deploy that fails at any step, by an AWS error, a call that never answers, or a new instance that
 * serves the wrong thing or nothing, leaves the live instance and the public address as they were and no
 * new instance running; once the cause is gone, running it again finishes the deploy.
 */
class DeployFailureTest {

    /** How a deploy is broken: an injected fault on an action, or a candidate that misbehaves. */
    sealed interface Breakage {
        record Fault(String action, FakeAws.Fault fault) implements Breakage {
        }

        /** The new instance serves the site as it was before (the image did not get the new bundle). */
        record ServesOldSite() implements Breakage {
        }

        /** The new instance never answers (it did not boot); its console says why. */
        record NeverAnswers() implements Breakage {
        }
    }

    static Stream<Arguments> elasticIpBreakages() {
        return Stream.of(
                Arguments.of("upload", new Breakage.Fault("StartSnapshot", FakeAws.Fault.FAIL)),
                Arguments.of("upload", new Breakage.Fault("StartSnapshot", FakeAws.Fault.HANG)),
                Arguments.of("upload", new Breakage.Fault("StartSnapshot", FakeAws.Fault.LOSE_ANSWER)),
                Arguments.of("upload", new Breakage.Fault("PutSnapshotBlock", FakeAws.Fault.FAIL)),
                Arguments.of("upload", new Breakage.Fault("PutSnapshotBlock", FakeAws.Fault.HANG)),
                Arguments.of("upload", new Breakage.Fault("CompleteSnapshot", FakeAws.Fault.FAIL)),
                Arguments.of("upload", new Breakage.Fault("CreateTags", FakeAws.Fault.FAIL)),
                Arguments.of("register", new Breakage.Fault("RegisterImage", FakeAws.Fault.FAIL)),
                Arguments.of("register", new Breakage.Fault("RegisterImage", FakeAws.Fault.LOSE_ANSWER)),
                Arguments.of("launch", new Breakage.Fault("RunInstances", FakeAws.Fault.FAIL)),
                Arguments.of("launch", new Breakage.Fault("RunInstances", FakeAws.Fault.HANG)),
                Arguments.of("launch", new Breakage.Fault("RunInstances", FakeAws.Fault.LOSE_ANSWER)),
                Arguments.of("verify", new Breakage.ServesOldSite()),
                Arguments.of("verify", new Breakage.NeverAnswers()),
                Arguments.of("switch", new Breakage.Fault("AssociateAddress", FakeAws.Fault.FAIL)),
                Arguments.of("switch", new Breakage.Fault("AssociateAddress", FakeAws.Fault.HANG)),
                Arguments.of("switch", new Breakage.Fault("AssociateAddress", FakeAws.Fault.LOSE_ANSWER)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("elasticIpBreakages")
    void aFailureLeavesTheLiveInstanceAndTheElasticIpAloneAndNoCandidateRunning(String step, Breakage breakage,
                                                                               @TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (DeployRig rig = new DeployRig()) {
            FakeCloud.FakeInstance live = rig.liveBefore(update);
            break_(rig, breakage, update.oldSite());

            assertThatThrownBy(() -> rig.deploy(rig.elasticIpConfig(3), BlueGreenDeploy.StepListener.NONE)
                    .deploy(update.disk(), update.newSite(), false))
                    .isInstanceOf(DeployException.class).hasMessageStartingWith(step + ": ")
                    .satisfies(e -> {
                        if (breakage instanceof Breakage.NeverAnswers) {
                            assertThat(e).hasMessageContaining("console of").hasMessageContaining("Kernel panic")
                                    .hasMessageContaining("last: no answer (ConnectException");
                        }
                    });

            assertThat(rig.elasticIp.instanceId).isEqualTo(live.id);
            assertThat(live.state).isEqualTo("running");
            assertThat(live.tags).containsEntry(SiteTags.ROLE, "live");
            assertThat(rig.aws.cloud.running()).as("only the live instance runs").isEqualTo(1);
            assertThat(rig.publicHealth()).as("%s%n%s", rig.output(), String.join("\n", rig.aws.foldedLog()))
                    .contains(update.oldSite().bundleHash());

            rig.aws.heal();
            rig.boots = i -> Optional.of(update.newSite());
            BlueGreenDeploy.Outcome rerun = rig.deploy(rig.elasticIpConfig(3), BlueGreenDeploy.StepListener.NONE)
                    .deploy(update.disk(), update.newSite(), false);
            assertThat(rig.elasticIp.instanceId).isEqualTo(rerun.liveInstance().orElseThrow());
            assertThat(rig.publicHealth()).contains(update.newSite().bundleHash());
            assertThat(rig.aws.cloud.running()).isEqualTo(1);
        }
    }

    static Stream<Arguments> dnsBreakages() {
        return Stream.of(
                Arguments.of("switch", new Breakage.Fault("ChangeResourceRecordSets", FakeAws.Fault.FAIL)),
                Arguments.of("switch", new Breakage.Fault("GetChange", FakeAws.Fault.HANG)),
                Arguments.of("switch", new Breakage.Fault("ChangeResourceRecordSets", FakeAws.Fault.LOSE_ANSWER)),
                Arguments.of("verify", new Breakage.ServesOldSite()));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("dnsBreakages")
    void aFailureLeavesTheDnsRecordOnTheLiveInstance(String step, Breakage breakage, @TempDir Path tmp)
            throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (DeployRig rig = new DeployRig()) {
            FakeCloud.FakeInstance live = rig.liveBefore(update);
            break_(rig, breakage, update.oldSite());
            DeployConfig dns = rig.config(new SwitchTarget.DnsRecord(DeployRig.ZONE, DeployRig.RECORD, 60), 3);

            assertThatThrownBy(() -> rig.deploy(dns, BlueGreenDeploy.StepListener.NONE)
                    .deploy(update.disk(), update.newSite(), false))
                    .isInstanceOf(DeployException.class).hasMessageStartingWith(step + ": ");

            assertThat(rig.aws.cloud.zones.get(DeployRig.ZONE)).containsEntry(DeployRig.RECORD, live.publicIp);
            assertThat(live.state).isEqualTo("running");
            assertThat(rig.aws.cloud.running()).isEqualTo(1);
        }
    }

    private static void break_(DeployRig rig, Breakage breakage, SiteBundle oldSite) {
        switch (breakage) {
            case Breakage.Fault f -> rig.aws.inject(f.action(), f.fault());
            case Breakage.ServesOldSite s -> rig.boots = i -> Optional.of(oldSite);
            case Breakage.NeverAnswers n -> rig.boots = i -> {
                rig.aws.cloud.consoles.put(i.id, "EFI stub: Loaded initrd\nKernel panic - not syncing: VFS\n");
                return Optional.empty();
            };
        }
    }
}
