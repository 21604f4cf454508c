package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import morgana.deploy.cli.Morgana;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code morgana deploy ec2|status} for a site whose morgana.yaml has {@code deploy.ec2.fleet}. */
class FleetCliTest {
    private static final String FLEET = "deploy:\n  region: eu-west-1\n  security_group: sg-0http\n  ec2:\n    fleet:\n"
            + "      desired: 3\n      max: 4\n      subnets: [subnet-0aaa, subnet-0bbb]\n";
    @RegisterExtension
    final CliConsole console = new CliConsole();

    @Test
    void deployEc2DryRunPlansTheFleetFromTheFleetSection(@TempDir Path tmp) throws Exception {
        try (FleetRig rig = new FleetRig()) {
            Path site = DeployCliTest.site(tmp, FLEET);

            int code = Morgana.execute("deploy", "ec2", site.toString(), "--image", DeployCliTest.ec2Image(tmp).toString(),
                    "--dry-run", "--endpoint", rig.aws.endpoint().toString());

            assertThat(code).as(output()).isZero();
            assertThat(output()).contains("plan for fleet notes").contains("create morgana-notes with 3 instances (3 to 4)")
                    .contains("dry run: nothing was changed");
            assertThat(rig.aws.actions()).contains("DescribeAutoScalingGroups", "DescribeSubnets")
                    .doesNotContainAnyElementsOf(FakeAws.MUTATING);
        }
    }

    @Test
    void deployStatusShowsTheFleet(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetDeploy.Outcome live = rig.deploy(rig.config(), update.newSite(), update.disk());
            Path site = DeployCliTest.site(tmp, FLEET);

            int code = Morgana.execute("deploy", "status", site.toString(), "--endpoint", rig.aws.endpoint().toString());

            assertThat(code).as(output()).isZero();
            assertThat(output()).contains("fleet notes: load balancer morgana-notes at " + live.address().orElseThrow())
                    .contains("eu-west-1a: 2 instances").contains(live.instances().getFirst() + " InService");
        }
    }

    @Test
    void aSubnetFlagForAFleetIsAUsageError(@TempDir Path tmp) throws Exception {
        Path site = DeployCliTest.site(tmp, FLEET);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream realErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Morgana.execute("deploy", "status", site.toString(), "--subnet", "subnet-1");
        } finally {
            System.setErr(realErr);
        }

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--subnet is for one instance");
    }

    private String output() {
        return console.output();
    }
}
