package morgana.deploy.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a deploy will do, worked out from the tags alone before any change: printed first, and all that
 * {@code --dry-run} does.
 *
 * @param pruned images beyond the last {@code retain} (the new one, the live one, then the newest), with their
 *               snapshots
 */
public record DeployPlan(String site, String bundleHash, int pages, Optional<SiteState.SiteSnapshot> snapshot,
                         Optional<SiteState.SiteImage> image, Optional<SiteState.SiteInstance> instance,
                         List<SiteState.SiteInstance> retired, List<SiteState.SiteImage> pruned, String address,
                         DeployConfig config, long diskBytes, long dataBytes) {

    static DeployPlan of(DeployConfig config, SiteState state, String address, String bundleHash, int pages,
                         long diskBytes, long dataBytes) {
        Optional<SiteState.SiteInstance> instance = state.instanceFor(bundleHash);
        List<SiteState.SiteInstance> retired = state.instances().stream()
                .filter(i -> instance.isEmpty() || !i.id().equals(instance.get().id())).toList();
        Optional<SiteState.SiteImage> image = state.imageFor(bundleHash);
        // The image the site is served from now is the one a rollback goes back to: it is kept first.
        List<String> liveImages = state.live().stream().map(SiteState.SiteInstance::imageId).toList();
        List<SiteState.SiteImage> others = state.images().stream()
                .filter(i -> !i.bundleHash().equals(bundleHash))
                .sorted(java.util.Comparator.comparing((SiteState.SiteImage i) -> !liveImages.contains(i.id())))
                .toList();
        List<SiteState.SiteImage> pruned = others.stream().skip(config.retain() - 1L).toList();
        return new DeployPlan(config.site(), bundleHash, pages, state.uploadedSnapshotFor(bundleHash), image,
                instance, retired, pruned, address, config, diskBytes, dataBytes);
    }

    /** The plan as printed, one line per step. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("plan for site " + site + ": bundle " + SiteTags.shortHash(bundleHash) + " (" + pages + " pages)");
        lines.add("  now:      " + address);
        lines.add("  snapshot: " + (image.isPresent() ? "not needed (image " + image.get().id() + " exists)"
                : snapshot.map(s -> "reuse " + s.id() + " (" + s.status() + ")")
                .orElse("upload the " + ProgressMeter.mib(diskBytes) + " disk (" + ProgressMeter.mib(dataBytes)
                        + " of non-zero blocks) with the EBS direct APIs")));
        lines.add("  image:    " + image.map(i -> "reuse " + i.id())
                .orElse("register morgana-" + site + "-" + SiteTags.shortHash(bundleHash)
                        + " (hvm, x86_64, uefi, ENA, IMDSv2 required)"));
        lines.add("  instance: " + instance.map(i -> "reuse " + i.id() + " (" + i.state() + ", "
                        + i.role().map(r -> r.tagValue).orElse("untagged") + ")")
                .orElse("launch " + config.instanceType() + " in " + config.subnetId() + " with "
                        + config.securityGroupId()));
        lines.add("  verify:   " + SiteVerifier.HEALTH_PATH + " and " + pages + " pages on port " + config.httpPort());
        lines.add("  switch:   " + switch (config.switchTarget()) {
            case SwitchTarget.ElasticIp e -> "associate " + e.allocationId() + " with the new instance";
            case SwitchTarget.DnsRecord d -> "UPSERT " + d.name() + " A (TTL " + d.ttlSeconds() + " s) in "
                    + d.zoneId();
        });
        lines.add("  retire:   " + (retired.isEmpty() && pruned.isEmpty() ? "nothing" : String.join("; ",
                Stream.of(retired.isEmpty() ? "" : "terminate " + String.join(", ",
                                retired.stream().map(SiteState.SiteInstance::id).toList()),
                        pruned.isEmpty() ? "" : "deregister " + String.join(", ", pruned.stream().map(i -> i.id()
                                + (i.snapshotIds().isEmpty() ? "" : " and delete " + String.join(", ", i.snapshotIds())))
                                .toList()))
                        .filter(s -> !s.isEmpty()).toList())) + " (keeping the last " + config.retain() + " images)");
        return lines;
    }
}
