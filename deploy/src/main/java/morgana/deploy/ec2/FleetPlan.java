package morgana.deploy.ec2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a fleet deploy will do, worked out from what AWS describes before any change: printed first, and
 * all that {@code --dry-run} does.
 *
 * @param live   the launch template's default version: what the site was last rolled out to, and what a
 *               failed rollout goes back to
 * @param pruned images beyond the last {@code retain} (the new one, the live one, then the newest)
 */
record FleetPlan(FleetConfig config, String bundleHash, int pages, Optional<SiteState.SiteSnapshot> snapshot,
                 Optional<SiteState.SiteImage> image, FleetState fleet, FleetResources.Subnets subnets,
                 Optional<FleetState.Version> live, List<SiteState.SiteImage> pruned, long diskBytes,
                 long dataBytes) {

    static FleetPlan of(FleetConfig config, SiteState site, FleetState fleet, FleetResources.Subnets subnets,
                        String bundleHash, int pages, long diskBytes, long dataBytes) {
        Optional<FleetState.Version> live = fleet.template().flatMap(t -> t.version(t.defaultVersion()))
                .filter(v -> fleet.group().isPresent());
        Optional<String> liveImage = live.map(FleetState.Version::imageId);
        List<SiteState.SiteImage> pruned = site.images().stream().filter(i -> !i.bundleHash().equals(bundleHash))
                .sorted(Comparator.comparing((SiteState.SiteImage i) -> !liveImage.equals(Optional.of(i.id()))))
                .skip(config.retain() - 1L).toList();
        return new FleetPlan(config, bundleHash, pages, site.uploadedSnapshotFor(bundleHash),
                site.imageFor(bundleHash), fleet, subnets, live, pruned, diskBytes, dataBytes);
    }

    List<String> lines() {
        FleetNames names = new FleetNames(config.site());
        FleetConfig.Size size = config.size();
        List<String> lines = new ArrayList<>();
        lines.add("plan for fleet " + config.site() + ": bundle " + SiteTags.shortHash(bundleHash) + " (" + pages
                + " pages)");
        lines.add("  now:      " + live.map(v -> "launch template version " + v.number() + " (bundle "
                + SiteTags.shortHash(v.bundleHash()) + ", " + v.imageId() + ") on " + fleet.group().get().members()
                .stream().filter(FleetState.Member::alive).count() + " instances").orElse("no fleet yet"));
        lines.add("  image:    " + image.map(i -> "reuse " + i.id()).orElse(snapshot
                .map(s -> "register from snapshot " + s.id() + " (" + s.status() + ")")
                .orElse("upload the " + ProgressMeter.mib(diskBytes) + " disk (" + ProgressMeter.mib(dataBytes)
                        + " of non-zero blocks), register morgana-" + config.site() + "-" + SiteTags.shortHash(bundleHash))));
        lines.add("  balancer: " + fleet.loadBalancer().map(l -> "reuse " + names.loadBalancer() + " at " + l.dnsName())
                .orElse("create ALB " + names.loadBalancer() + " in " + zones() + ", listener HTTP:80")
                + "; " + fleet.targetGroup().map(t -> "reuse target group").orElse("create target group "
                + names.targetGroup() + " HTTP:" + config.httpPort() + ", health check " + SiteVerifier.HEALTH_PATH));
        lines.add("  template: " + fleet.template().map(t -> image.flatMap(i -> t.forImage(i.id()))
                        .map(v -> "reuse version " + v.number()).orElse("add a version to " + names.template()))
                .orElse("create " + names.template() + " (" + config.instanceType() + ", " + config.securityGroupId()
                        + ", IMDSv2 required)"));
        lines.add("  group:    " + (fleet.group().isEmpty()
                ? "create " + names.group() + " with " + size.desired() + " instances (" + size.min() + " to "
                + size.max() + ") registered in the target group, health check type ELB"
                : "replace " + fleet.group().get().members().stream().filter(FleetState.Member::alive).count()
                + " instances, at most " + Math.min(size.desired(), size.max() - config.minHealthy())
                + " at a time, " + config.minHealthy() + " of " + size.desired()
                + " serving throughout; each new one's health endpoint and pages checked before old ones drain ("
                + config.drainSeconds() + " s)"));
        lines.add("  failure:  " + live.map(v -> "back to launch template version " + v.number())
                .orElse("nothing to go back to (a first deploy)"));
        lines.add("  cdn:      " + config.cdn().map(c -> "CloudFront in front of the load balancer: fingerprinted"
                + " assets a year, HTML " + c.htmlSeconds() + " s; invalidated after the rollout").orElse("none"));
        lines.add("  retire:   " + (pruned.isEmpty() ? "nothing" : "deregister " + String.join(", ", pruned.stream()
                .map(i -> i.id() + (i.snapshotIds().isEmpty() ? "" : " and delete " + String.join(", ", i.snapshotIds())))
                .toList())) + " (keeping the last " + config.retain() + " images)");
        return lines;
    }

    private String zones() {
        return String.join(", ", subnets.zones().entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                .toList());
    }
}
