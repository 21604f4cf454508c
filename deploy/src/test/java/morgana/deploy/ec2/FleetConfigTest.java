package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import morgana.blog.site.SiteConfig;
import morgana.blog.site.SiteException;
import org.junit.jupiter.api.Test;

class FleetConfigTest {
    private static final String HEAD = "title: t\nbase_url: \"http://x/\"\ndeploy:\n  security_group: sg-1\n";
    private static final String FLEET = "  ec2:\n    fleet:\n";

    private static SiteConfig yaml(String text) throws SiteException {
        return SiteConfig.parse(Path.of("site/morgana.yaml"), HEAD + text);
    }

    private static FleetConfig read(String fleet) throws SiteException {
        return FleetConfig.from(yaml(FLEET + fleet), "site", 80, DeployConfig.Overrides.NONE);
    }

    @Test
    void readsEveryKeyOfTheFleetSection() throws Exception {
        FleetConfig c = read("      desired: 3\n      min: 2\n      max: 5\n      subnets: [subnet-a, subnet-b]\n"
                + "      instance_type: t3.small\n      min_healthy_percent: 66\n      drain_seconds: 20\n"
                + "      load_balancer_security_group: sg-lb\n      cdn: { html_seconds: 120 }\n");

        assertThat(c.size()).isEqualTo(new FleetConfig.Size(2, 3, 5));
        assertThat(c.subnets()).containsExactly("subnet-a", "subnet-b");
        assertThat(c.instanceType()).isEqualTo("t3.small");
        assertThat(c.securityGroupId()).isEqualTo("sg-1");
        assertThat(c.loadBalancerSecurityGroupId()).isEqualTo("sg-lb");
        assertThat(c.minHealthyPercent()).isEqualTo(66);
        assertThat(c.minHealthy()).as("66% of 3, rounded up").isEqualTo(2);
        assertThat(c.drainSeconds()).isEqualTo(20);
        assertThat(c.cdn()).contains(new FleetConfig.Cdn(120));
    }

    @Test
    void boundsDefaultToDesiredAndOneMoreAndTheCdnToOff() throws Exception {
        FleetConfig c = read("      desired: 2\n      subnets: [subnet-a, subnet-b]\n");

        assertThat(c.size()).isEqualTo(new FleetConfig.Size(2, 2, 3));
        assertThat(c.minHealthy()).isEqualTo(2);
        assertThat(c.cdn()).isEmpty();
        assertThat(c.loadBalancerSecurityGroupId()).isEqualTo("sg-1");
        assertThat(c.retain()).isEqualTo(DeployConfig.DEFAULT_RETAIN);
        assertThat(FleetConfig.wanted(yaml(FLEET + "      desired: 2\n"))).isTrue();
        assertThat(FleetConfig.wanted(yaml("  subnet: s\n"))).isFalse();
    }

    @Test
    void oneSubnetIsRefusedAtItsLineSayingTwoZonesAreNeeded() {
        assertThatThrownBy(() -> read("      desired: 2\n      subnets: [subnet-a]\n"))
                .isInstanceOf(SiteException.class).hasMessageContaining("morgana.yaml").hasMessageContaining(":8")
                .hasMessageContaining("deploy.ec2.fleet.subnets").hasMessageContaining("two or more availability zones");
    }

    @Test
    void aSubnetThatIsNotAStringIsRefusedAtItsOwnLine() {
        assertThatThrownBy(() -> read("      desired: 2\n      subnets:\n        - subnet-a\n        - 42\n"))
                .isInstanceOf(SiteException.class).hasMessageContaining("deploy.ec2.fleet.subnets.1")
                .hasMessageContaining(":10");
    }

    @Test
    void desiredOutsideItsBoundsIsRefused() {
        assertThatThrownBy(() -> read("      desired: 5\n      min: 1\n      max: 4\n      subnets: [a, b]\n"))
                .isInstanceOf(SiteException.class).hasMessageContaining("deploy.ec2.fleet.desired (5) must be from min"
                        + " (1) to max (4)").hasMessageContaining(":7");
    }

    @Test
    void aMissingDesiredIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> read("      subnets: [a, b]\n")).isInstanceOf(SiteException.class)
                .hasMessageContaining("deploy.ec2.fleet.desired is missing");
    }

    @Test
    void noRoomForARolloutIsRefused() {
        assertThatThrownBy(() -> read("      desired: 2\n      max: 2\n      subnets: [a, b]\n"))
                .isInstanceOf(SiteException.class).hasMessageContaining("deploy.ec2.fleet.max (2) leaves a rollout"
                        + " no room");
    }

    @Test
    void aMaxEqualToDesiredIsAcceptedWhenSomeMayStopServing() throws Exception {
        FleetConfig c = read("      desired: 4\n      min: 1\n      max: 4\n      min_healthy_percent: 50\n"
                + "      subnets: [a, b]\n");

        assertThat(c.minHealthy()).isEqualTo(2);
    }

    @Test
    void theGroupsMinIsAFloorUnderTheHealthyPercentage() throws Exception {
        FleetConfig c = read("      desired: 4\n      min: 3\n      max: 5\n      min_healthy_percent: 50\n"
                + "      subnets: [a, b]\n");

        assertThat(c.minHealthy()).as("Auto Scaling takes no instance out below min").isEqualTo(3);
        assertThatThrownBy(() -> read("      desired: 4\n      max: 4\n      min_healthy_percent: 50\n"
                + "      subnets: [a, b]\n")).as("min defaults to desired: no instance may stop first")
                .isInstanceOf(SiteException.class).hasMessageContaining("leaves a rollout no room");
    }

    @Test
    void aPercentAboveAHundredIsRefused() {
        assertThatThrownBy(() -> read("      desired: 2\n      subnets: [a, b]\n      min_healthy_percent: 150\n"))
                .isInstanceOf(SiteException.class).hasMessageContaining("from 0 to 100, not 150");
    }

    @Test
    void anElasticIpBesideAFleetIsRefused() {
        assertThatThrownBy(() -> FleetConfig.from(yaml("  elastic_ip: eipalloc-1\n" + FLEET
                + "      desired: 2\n      subnets: [a, b]\n"), "site", 80, DeployConfig.Overrides.NONE))
                .isInstanceOf(SiteException.class).hasMessageContaining("deploy.elastic_ip is for one instance");
    }

    @Test
    void aCdnThatIsNeitherAMappingNorABooleanIsRefused() {
        assertThatThrownBy(() -> read("      desired: 2\n      subnets: [a, b]\n      cdn: yes please\n"))
                .isInstanceOf(SiteException.class).hasMessageContaining("deploy.ec2.fleet.cdn must be a mapping");
    }

    @Test
    void flagsOverrideRegionInstanceTypeAndSecurityGroup() throws Exception {
        FleetConfig c = FleetConfig.from(yaml(FLEET + "      desired: 2\n      subnets: [a, b]\n"), "site", 80,
                new DeployConfig.Overrides(Optional.of("us-east-2"), Optional.empty(), Optional.of("t3.nano"),
                        Optional.empty(), Optional.of("sg-flag"), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty()));

        assertThat(c.region()).contains("us-east-2");
        assertThat(c.instanceType()).isEqualTo("t3.nano");
        assertThat(c.securityGroupId()).isEqualTo("sg-flag");
    }
}
