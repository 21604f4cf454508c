package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import morgana.deploy.cli.Morgana;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code morgana deploy} as a user runs it, against the fake through the hidden {@code --endpoint}. */
class DeployCliTest {
    @RegisterExtension
    final CliConsole console = new CliConsole();

    @Test
    void deployEc2DryRunReadsTheDeploySectionAndPrintsThePlanWithoutChangingAnything(@TempDir Path tmp)
            throws Exception {
        try (DeployRig rig = new DeployRig()) {
            FakeCloud.FakeInstance live = rig.liveSite(SiteFixtures.onePageBundle("old"));
            Path site = site(tmp, "deploy:\n  name: notes\n  region: eu-west-1\n  subnet: subnet-0a1b2c\n"
                    + "  security_group: sg-0http\n  elastic_ip: " + rig.elasticIp.allocationId + "\n  retain: 2\n");
            rig.aws.clearLog();

            int code = Morgana.execute("deploy", "ec2", site.toString(), "--image", ec2Image(tmp).toString(),
                    "--dry-run", "--endpoint", rig.aws.endpoint().toString());

            assertThat(code).as(output()).isZero();
            assertThat(output()).contains("plan for site notes").contains("-> " + live.id)
                    .contains("launch t3.micro in subnet-0a1b2c with sg-0http").contains("dry run: nothing was changed");
            assertThat(rig.aws.actions()).isNotEmpty().doesNotContainAnyElementsOf(FakeAws.MUTATING);
        }
    }

    @Test
    void deployStatusShowsTheAddressTheInstancesAndTheImages(@TempDir Path tmp) throws Exception {
        try (DeployRig rig = new DeployRig()) {
            FakeCloud.FakeInstance live = rig.liveSite(SiteFixtures.onePageBundle("old"));
            Path site = site(tmp, "deploy:\n  subnet: subnet-0a1b2c\n  security_group: sg-0http\n");

            int code = Morgana.execute("deploy", "status", site.toString(), "--region", "eu-west-1", "--elastic-ip",
                    rig.elasticIp.allocationId, "--endpoint", rig.aws.endpoint().toString());

            assertThat(code).as(output()).isZero();
            assertThat(output()).contains("site notes: Elastic IP 127.0.0.2").contains("instance " + live.id
                    + " running live").contains("image " + live.imageId);
        }
    }

    @Test
    void aDeploySectionWithoutASwitchTargetIsAnErrorNamingTheFileAndTheKey(@TempDir Path tmp) throws Exception {
        Path site = site(tmp, "deploy:\n  subnet: subnet-0a1b2c\n  security_group: sg-0http\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream realErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Morgana.execute("deploy", "ec2", site.toString(), "--dry-run", "--region", "eu-west-1");
        } finally {
            System.setErr(realErr);
        }

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("morgana.yaml").contains("deploy needs elastic_ip");
    }

    private String output() {
        return console.output();
    }

    /** A site named "notes" (its directory), with one post and this deploy: section. */
    static Path site(Path tmp, String deploy) throws Exception {
        Path site = tmp.resolve("notes");
        Files.createDirectories(site.resolve("posts"));
        Files.writeString(site.resolve("morgana.yaml"), "title: Notes\nbase_url: \"http://127.0.0.1/\"\n" + deploy);
        Files.writeString(site.resolve("posts/hello.md"), "---\ntitle: Hello\ndate: 2026-11-01\n---\nHello.\n");
        return site;
    }

    /** An EC2 image directory as `morgana image --target ec2` leaves it, with a small disk. */
    static Path ec2Image(Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("image"));
        Files.move(SiteFixtures.smallDisk(tmp, "cli"), dir.resolve("disk.raw"));
        Files.write(dir.resolve("image.properties"), List.of("target=ec2"));
        return dir;
    }
}
