package morgana.deploy.ec2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Snapshot;

/**
 * A site's resources as their tags describe them, read in three Describe calls. This is all a deploy
 * knows about the past: a rerun after an interruption finds its snapshot, image and candidate here.
 */
public record SiteState(List<SiteInstance> instances, List<SiteImage> images, List<SiteSnapshot> snapshots) {

    /** States an instance can leave again; terminated and shutting-down instances are gone for our purposes. */
    static final List<String> ALIVE = List.of("pending", "running", "stopping", "stopped");

    public record SiteInstance(String id, String imageId, String state, Optional<String> publicIp,
                               Optional<SiteTags.Role> role, String bundleHash) {
        boolean running() {
            return state.equals("running");
        }
    }

    /** An image and the snapshot it boots from; {@code created} orders retention. */
    public record SiteImage(String id, String bundleHash, Instant created, List<String> snapshotIds) {
    }

    /** A snapshot; {@code sent} once its upload was completed (it may still be pending while EBS processes it). */
    public record SiteSnapshot(String id, String bundleHash, String status, boolean sent, Instant started) {
    }

    public SiteState {
        instances = List.copyOf(instances);
        images = images.stream().sorted(Comparator.comparing(SiteImage::created).reversed()).toList();
        snapshots = List.copyOf(snapshots);
    }

    public static SiteState read(Ec2Client ec2, String site) {
        Filter mine = SiteTags.siteFilter(site);
        List<SiteInstance> instances = new ArrayList<>();
        for (Reservation r : ec2.describeInstancesPaginator(b -> b.filters(mine,
                Filter.builder().name("instance-state-name").values(ALIVE).build())).reservations()) {
            for (Instance i : r.instances()) {
                Map<String, String> tags = SiteTags.toMap(i.tags());
                instances.add(new SiteInstance(i.instanceId(), i.imageId(), i.state().nameAsString(),
                        Optional.ofNullable(i.publicIpAddress()),
                        SiteTags.Role.of(tags.getOrDefault(SiteTags.ROLE, "")),
                        tags.getOrDefault(SiteTags.BUNDLE_HASH, "")));
            }
        }
        List<SiteImage> images = new ArrayList<>();
        for (Image i : ec2.describeImages(b -> b.owners("self").filters(mine)).images()) {
            images.add(new SiteImage(i.imageId(), SiteTags.toMap(i.tags()).getOrDefault(SiteTags.BUNDLE_HASH, ""),
                    Instant.parse(i.creationDate()),
                    i.blockDeviceMappings().stream().filter(m -> m.ebs() != null && m.ebs().snapshotId() != null)
                            .map(m -> m.ebs().snapshotId()).toList()));
        }
        List<SiteSnapshot> snapshots = new ArrayList<>();
        for (Snapshot s : ec2.describeSnapshots(b -> b.ownerIds("self").filters(mine)).snapshots()) {
            Map<String, String> tags = SiteTags.toMap(s.tags());
            snapshots.add(new SiteSnapshot(s.snapshotId(), tags.getOrDefault(SiteTags.BUNDLE_HASH, ""),
                    s.stateAsString(), "sent".equals(tags.get(SiteTags.UPLOAD)), s.startTime()));
        }
        return new SiteState(instances, images, snapshots);
    }

    /** The instances the site is served from, by their tags. */
    public List<SiteInstance> live() {
        return instances.stream().filter(i -> i.role().equals(Optional.of(SiteTags.Role.LIVE))).toList();
    }

    /** An instance already serving (or about to serve) this bundle, live or candidate, running first. */
    public Optional<SiteInstance> instanceFor(String bundleHash) {
        return instances.stream().filter(i -> i.bundleHash().equals(bundleHash))
                .filter(i -> i.state().equals("running") || i.state().equals("pending"))
                .min(Comparator.comparing((SiteInstance i) -> !i.running()));
    }

    public Optional<SiteImage> imageFor(String bundleHash) {
        return images.stream().filter(i -> i.bundleHash().equals(bundleHash)).findFirst();
    }

    public Optional<SiteImage> image(String imageId) {
        return images.stream().filter(i -> i.id().equals(imageId)).findFirst();
    }

    /** A snapshot of this bundle whose upload finished: completed, or still being processed by EBS. */
    public Optional<SiteSnapshot> uploadedSnapshotFor(String bundleHash) {
        return snapshots.stream().filter(s -> s.bundleHash().equals(bundleHash) && s.sent()
                && !s.status().equals("error")).findFirst();
    }

    /** Snapshots an interrupted upload left behind: never completed, so they are deleted before a new upload. */
    public List<SiteSnapshot> abandonedUploads(String bundleHash) {
        return snapshots.stream().filter(s -> s.bundleHash().equals(bundleHash) && (!s.sent()
                || s.status().equals("error"))).toList();
    }
}
