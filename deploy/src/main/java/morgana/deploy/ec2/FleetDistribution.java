package morgana.deploy.ec2;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.SiteBundle;
import software.amazon.awssdk.services.cloudfront.model.CachePolicyConfig;
import software.amazon.awssdk.services.cloudfront.model.CachePolicyCookieBehavior;
import software.amazon.awssdk.services.cloudfront.model.CachePolicyHeaderBehavior;
import software.amazon.awssdk.services.cloudfront.model.CachePolicyQueryStringBehavior;
import software.amazon.awssdk.services.cloudfront.model.CachePolicySummary;
import software.amazon.awssdk.services.cloudfront.model.CachePolicyType;
import software.amazon.awssdk.services.cloudfront.model.DistributionSummary;
import software.amazon.awssdk.services.cloudfront.model.Method;
import software.amazon.awssdk.services.cloudfront.model.OriginProtocolPolicy;
import software.amazon.awssdk.services.cloudfront.model.ViewerProtocolPolicy;

/**
 * The optional CloudFront distribution in front of a fleet's load balancer ({@code deploy.ec2.fleet.cdn}).
 * Two cache policies: fingerprinted assets ({@code name.<10 hex>.ext}, which never change under their name)
 * for a year, everything else (HTML, feeds) for {@code html_seconds}. After each rollout the bundle's paths
 * that are not fingerprinted are invalidated, so visitors see the new pages within the invalidation's time.
 */
final class FleetDistribution {
    static final long YEAR_SECONDS = 31_536_000;
    /** CloudFront's path patterns know only {@code *} and {@code ?}: ten characters between two dots. */
    static final String FINGERPRINTED_PATTERN = "*.??????????.*";
    /** The blog's fingerprint (see blog.server.CachePolicy): a dot or hyphen, 8 or more hex digits, an extension. */
    private static final Pattern FINGERPRINTED = Pattern.compile(".*[.-][0-9a-fA-F]{8,}\\.[A-Za-z0-9]+");
    private static final int MAX_PATHS = 3000;

    private final AwsClients aws;
    private final FleetConfig config;
    private final FleetConfig.Cdn cdn;
    private final BlueGreenDeploy.Timing timing;
    private final PrintStream out;

    FleetDistribution(AwsClients aws, FleetConfig config, FleetConfig.Cdn cdn, BlueGreenDeploy.Timing timing,
                      PrintStream out) {
        this.aws = aws;
        this.config = config;
        this.cdn = cdn;
        this.timing = timing;
        this.out = out;
    }

    /** The site's distribution, found by its comment. */
    static Optional<DistributionSummary> find(AwsClients aws, FleetConfig config) {
        String marker = null;
        while (true) {
            String from = marker;
            var page = aws.cloudFront().listDistributions(b -> b.marker(from)).distributionList();
            Optional<DistributionSummary> found = page.items().stream()
                    .filter(d -> comment(config).equals(d.comment())).findFirst();
            if (found.isPresent() || !Boolean.TRUE.equals(page.isTruncated())) {
                return found;
            }
            marker = page.nextMarker();
        }
    }

    /** For status: where the distribution is and whether it is deployed; empty without {@code cdn:}. */
    static Optional<String> describe(AwsClients aws, FleetConfig config) {
        if (config.cdn().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(find(aws, config).map(d -> "CloudFront " + d.id() + " at " + d.domainName() + " ("
                + d.status() + ")").orElse("no CloudFront distribution yet"));
    }

    /** The distribution's domain: made when missing, then invalidated for {@code bundle}. */
    String distribute(String originDomain, SiteBundle bundle) {
        DistributionSummary found = find(aws, config).orElse(null);
        String id;
        String domain;
        if (found == null) {
            String pages = policy(config.site() + "-pages", cdn.htmlSeconds());
            String assets = policy(config.site() + "-assets", YEAR_SECONDS);
            var made = aws.cloudFront().createDistribution(b -> b.distributionConfig(d -> d
                    .callerReference("morgana-" + config.site()).comment(comment(config)).enabled(true)
                    .origins(o -> o.quantity(1).items(origin -> origin.id(originId()).domainName(originDomain)
                            .customOriginConfig(c -> c.httpPort(80).httpsPort(443)
                                    .originProtocolPolicy(OriginProtocolPolicy.HTTP_ONLY))))
                    .defaultCacheBehavior(c -> c.targetOriginId(originId()).cachePolicyId(pages).compress(true)
                            .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                            .allowedMethods(m -> m.quantity(2).items(Method.GET, Method.HEAD)))
                    .cacheBehaviors(cb -> cb.quantity(1).items(c -> c.pathPattern(FINGERPRINTED_PATTERN)
                            .targetOriginId(originId()).cachePolicyId(assets).compress(true)
                            .viewerProtocolPolicy(ViewerProtocolPolicy.REDIRECT_TO_HTTPS)
                            .allowedMethods(m -> m.quantity(2).items(Method.GET, Method.HEAD))))))
                    .distribution();
            id = made.id();
            domain = made.domainName();
            out.println("created CloudFront distribution " + id + " at " + domain + " in front of " + originDomain
                    + ": HTML " + cdn.htmlSeconds() + " s, fingerprinted assets a year");
        } else {
            id = found.id();
            domain = found.domainName();
        }
        invalidate(id, bundle);
        return domain;
    }

    /**
     * After a rollback or a reverted rollout, whose bundle is not at hand: every path, since pages of the
     * bundle gone back from may be cached. Nothing to do without a distribution.
     */
    void invalidateAll(String bundleHash) {
        find(aws, config).ifPresent(d -> invalidate(d.id(), List.of("/*"), "morgana-back-to-" + bundleHash));
    }

    /**
     * Invalidates the bundle's paths that are not fingerprinted (and a directory for each index.html), under
     * a caller reference made of the bundle hash, so that a rerun repeats the same invalidation.
     */
    private void invalidate(String distributionId, SiteBundle bundle) {
        invalidate(distributionId, paths(bundle), "morgana-" + bundle.bundleHash());
    }

    private void invalidate(String distributionId, List<String> paths, String reference) {
        String invalidation = aws.cloudFront().createInvalidation(b -> b.distributionId(distributionId)
                .invalidationBatch(i -> i.callerReference(reference)
                        .paths(p -> p.quantity(paths.size()).items(paths)))).invalidation().id();
        timing.instance().await("CloudFront invalidation " + invalidation + " to complete", () -> Optional.of(true)
                .filter(x -> aws.cloudFront().getInvalidation(b -> b.distributionId(distributionId).id(invalidation))
                        .invalidation().status().equals("Completed")));
        out.println("invalidated " + paths.size() + " paths of " + distributionId + " (" + invalidation + ")");
    }

    static List<String> paths(SiteBundle bundle) {
        List<String> paths = new ArrayList<>();
        for (BundleEntry entry : bundle.entries()) {
            String name = entry.path().substring(entry.path().lastIndexOf('/') + 1);
            if (FINGERPRINTED.matcher(name).matches()) {
                continue;
            }
            paths.add(entry.path());
            if (name.equals("index.html")) {
                paths.add(entry.path().substring(0, entry.path().length() - name.length()));
            }
        }
        return paths.size() > MAX_PATHS ? List.of("/*") : paths.stream().sorted().toList();
    }

    /** A cache policy of this name (made when missing): {@code ttl} at most, compressed bodies cached apart. */
    private String policy(String name, long ttl) {
        Optional<String> found = aws.cloudFront().listCachePolicies(b -> b.type(CachePolicyType.CUSTOM))
                .cachePolicyList().items().stream().map(CachePolicySummary::cachePolicy)
                .filter(p -> p.cachePolicyConfig().name().equals("morgana-" + name)).map(p -> p.id()).findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        CachePolicyConfig policy = CachePolicyConfig.builder().name("morgana-" + name)
                .comment("Morgana " + config.site() + ": " + ttl + " s").minTTL(0L).defaultTTL(ttl).maxTTL(ttl)
                .parametersInCacheKeyAndForwardedToOrigin(k -> k.enableAcceptEncodingGzip(true)
                        .enableAcceptEncodingBrotli(true)
                        .headersConfig(h -> h.headerBehavior(CachePolicyHeaderBehavior.NONE))
                        .cookiesConfig(c -> c.cookieBehavior(CachePolicyCookieBehavior.NONE))
                        .queryStringsConfig(q -> q.queryStringBehavior(CachePolicyQueryStringBehavior.NONE)))
                .build();
        return aws.cloudFront().createCachePolicy(b -> b.cachePolicyConfig(policy)).cachePolicy().id();
    }

    private String originId() {
        return "morgana-" + config.site() + "-alb";
    }

    private static String comment(FleetConfig config) {
        return "morgana:site=" + config.site();
    }
}
