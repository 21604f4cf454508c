package morgana.deploy.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy.ec2.fleet.cdn}: CloudFront in front of the load balancer, invalidated after each rollout. */
class FleetCdnTest {

    @Test
    void aFleetWithACdnGetsADistributionCachingAssetsAYearAndHtmlBrieflyInvalidatedOnEachDeploy(@TempDir Path tmp)
            throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetConfig config = withCdn(rig.config(), 30);
            FleetDeploy.Outcome first = rig.deploy(config, update.oldSite(), SiteFixtures.smallDisk(tmp, "old"));
            FleetDeploy.Outcome second = rig.deploy(config, update.newSite(), update.disk());

            FakeCloudFront cdn = rig.aws.cloudFront;
            assertThat(cdn.distributions).as("found again by the second deploy").hasSize(1);
            assertThat(cdn.policies).as("found again by the second deploy").hasSize(2);
            FakeCloudFront.Distribution d = cdn.distributions.values().iterator().next();
            assertThat(second.address()).contains(d.domain()).isEqualTo(first.address());
            assertThat(d.originDomain()).isEqualTo(rig.fleet.loadBalancers.values().iterator().next().dnsName());
            assertThat(d.originProtocol()).isEqualTo("http-only");
            FakeCloudFront.CachePolicy pages = cdn.policies.get(d.policies().get("*"));
            FakeCloudFront.CachePolicy assets = cdn.policies.get(d.policies().get("*.??????????.*"));
            assertThat(pages.maxTtl()).as("HTML: short").isEqualTo(30);
            assertThat(assets.maxTtl()).as("fingerprinted assets: a year").isEqualTo(31_536_000);
            assertThat(assets.defaultTtl()).isEqualTo(31_536_000);
            assertThat(pages.gzip() && pages.brotli() && assets.gzip() && assets.brotli())
                    .as("compressed bodies cached apart").isTrue();

            assertThat(cdn.invalidations.values()).hasSize(2)
                    .filteredOn(i -> i.callerReference().contains(update.newSite().bundleHash())).singleElement()
                    .satisfies(i -> assertThat(i.paths()).contains("/index.html", "/", "/style.css", "/feed.xml")
                            .noneMatch(p -> p.matches(".*\\.[0-9a-f]{10}\\.[a-z0-9]+")));
            assertThat(rig.aws.actions()).containsSubsequence("ResumeProcesses", "CreateInvalidation",
                    "GetInvalidation");
        }
    }

    @Test
    void aRollbackInvalidatesEveryPathOfTheDistribution(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetConfig config = withCdn(rig.config(), 30);
            rig.deploy(config, update.oldSite(), SiteFixtures.smallDisk(tmp, "old"));
            rig.deploy(config, update.newSite(), update.disk());

            rig.deploy(config, FleetDeploy.StepListener.NONE).rollback();

            assertThat(rig.aws.cloudFront.invalidations.values()).hasSize(3)
                    .filteredOn(i -> i.callerReference().equals("morgana-back-to-" + update.oldSite().bundleHash()))
                    .singleElement().satisfies(i -> assertThat(i.paths()).containsExactly("/*"));
        }
    }

    @Test
    void withoutACdnNoCloudFrontCallIsMade(@TempDir Path tmp) throws Exception {
        SiteFixtures.Update update = SiteFixtures.update(tmp);
        try (FleetRig rig = new FleetRig()) {
            FleetDeploy.Outcome outcome = rig.deploy(rig.config(), update.newSite(), update.disk());

            assertThat(rig.aws.calls()).noneMatch(c -> c.service().equals("cloudfront"));
            assertThat(outcome.address()).hasValueSatisfying(a -> assertThat(a).endsWith(".elb.amazonaws.com"));
        }
    }

    private static FleetConfig withCdn(FleetConfig c, int htmlSeconds) {
        return new FleetConfig(c.site(), c.region(), c.profile(), c.instanceType(), c.securityGroupId(),
                c.loadBalancerSecurityGroupId(), c.subnets(), c.size(), c.minHealthyPercent(), c.drainSeconds(),
                Optional.of(new FleetConfig.Cdn(htmlSeconds)), c.retain(), c.httpPort());
    }
}
