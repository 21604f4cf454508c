package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import org.junit.jupiter.api.Test;

class DeployConfigTest {
    private static final String HEAD = "title: t\nbase_url: \"http://x/\"\n";

    private static DeployConfig read(String deploy, DeployConfig.Overrides flags) throws SiteException {
        SiteConfig config = SiteConfig.parse(Path.of("site/morgana.yaml"), HEAD + deploy);
        return DeployConfig.from(config, "site", 80, flags);
    }

    @Test
    void readsEveryKeyOfTheDeploySection() throws Exception {
        DeployConfig c = read("deploy:\n  name: notes\n  region: eu-west-1\n  profile: blog\n  instance_type: t3.small\n"
                + "  subnet: subnet-1\n  security_group: sg-1\n  route53: { zone: Z1, record: blog.example.org, ttl: 30 }\n"
                + "  retain: 5\n", DeployConfig.Overrides.NONE);

        assertThat(c).isEqualTo(new DeployConfig("notes", Optional.of("eu-west-1"), Optional.of("blog"), "t3.small",
                "subnet-1", "sg-1", new SwitchTarget.DnsRecord("Z1", "blog.example.org", 30), 5, 80));
    }

    @Test
    void flagsOverrideTheFileAndDefaultsFillTheRest() throws Exception {
        DeployConfig c = read("deploy:\n  subnet: subnet-1\n  security_group: sg-1\n  elastic_ip: eipalloc-file\n",
                new DeployConfig.Overrides(Optional.of("us-east-2"), Optional.empty(), Optional.empty(),
                        Optional.of("subnet-flag"), Optional.empty(), Optional.of("eipalloc-flag"), Optional.empty(),
                        Optional.empty(), Optional.empty()));

        assertThat(c.site()).isEqualTo("site");
        assertThat(c.region()).contains("us-east-2");
        assertThat(c.subnetId()).isEqualTo("subnet-flag");
        assertThat(c.switchTarget()).isEqualTo(new SwitchTarget.ElasticIp("eipalloc-flag"));
        assertThat(c.instanceType()).isEqualTo(DeployConfig.DEFAULT_INSTANCE_TYPE);
        assertThat(c.retain()).isEqualTo(DeployConfig.DEFAULT_RETAIN);
    }

    @Test
    void aMissingSubnetIsAnErrorNamingTheFileTheKeyAndTheFlag() {
        assertThatThrownBy(() -> read("deploy:\n  security_group: sg-1\n  elastic_ip: e\n", DeployConfig.Overrides.NONE))
                .isInstanceOf(SiteException.class).hasMessageContaining("morgana.yaml")
                .hasMessageContaining("deploy.subnet").hasMessageContaining("--subnet");
    }

    @Test
    void aRetainOfZeroIsRefusedAtItsLine() {
        assertThatThrownBy(() -> read("deploy:\n  subnet: s\n  security_group: g\n  elastic_ip: e\n  retain: 0\n",
                DeployConfig.Overrides.NONE))
                .isInstanceOf(SiteException.class).hasMessageContaining("deploy.retain").hasMessageContaining(":7");
    }

    @Test
    void bothAnElasticIpAndARoute53RecordAreRefused() {
        assertThatThrownBy(() -> read("deploy:\n  subnet: s\n  security_group: g\n  elastic_ip: e\n"
                + "  route53: { zone: Z, record: r }\n", DeployConfig.Overrides.NONE))
                .isInstanceOf(SiteException.class).hasMessageContaining("keep one");
    }

    @Test
    void aNonStringRegionIsRefused() {
        assertThatThrownBy(() -> read("deploy:\n  region: [a, b]\n  subnet: s\n  security_group: g\n  elastic_ip: e\n",
                DeployConfig.Overrides.NONE))
                .isInstanceOf(SiteException.class).hasMessageContaining("deploy.region must be a non-empty string");
    }
}
