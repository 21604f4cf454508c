package morgana.deploy.ec2;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.ArchitectureValues;
import software.amazon.awssdk.services.ec2.model.BootModeValues;
import software.amazon.awssdk.services.ec2.model.ImdsSupportValues;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/** The disk made into an AMI: uploaded into a snapshot (or one found from an earlier run), then registered. */
final class ImagePublisher {
    private final AwsClients aws;
    private final String site;
    private final BlueGreenDeploy.Timing timing;
    private final PrintStream out;

    ImagePublisher(AwsClients aws, String site, BlueGreenDeploy.Timing timing, PrintStream out) {
        this.aws = aws;
        this.site = site;
        this.timing = timing;
        this.out = out;
    }

    /** A completed snapshot of {@code disk}: {@code sent} by an earlier run, or a new upload. */
    String uploaded(SiteState state, Optional<SiteState.SiteSnapshot> sent, String bundleHash, Path disk,
                    Map<String, String> tags) {
        String snapshotId = sent.map(SiteState.SiteSnapshot::id).orElseGet(() -> {
            state.abandonedUploads(bundleHash).forEach(this::deleteAbandoned);
            Map<String, String> started = new java.util.HashMap<>(tags);
            started.put(SiteTags.UPLOAD, "started");
            try {
                String id = new SnapshotUpload(aws.ebs(), timing.uploadParallelism(), timing.backoff(), out)
                        .upload(disk, started, "morgana " + site + " " + bundleHash).snapshotId();
                aws.ec2().createTags(b -> b.resources(id).tags(SiteTags.ec2Tags(Map.of(SiteTags.UPLOAD, "sent"))));
                return id;
            } catch (IOException e) {
                throw new DeployException("cannot read the disk " + disk + ": " + e.getMessage(), e);
            }
        });
        timing.snapshot().await("snapshot " + snapshotId + " to complete", () -> {
            String status = aws.ec2().describeSnapshots(b -> b.snapshotIds(snapshotId)).snapshots().getFirst()
                    .stateAsString();
            if (status.equals("error")) {
                throw new DeployException("EBS reports snapshot " + snapshotId + " in state error; run again to"
                        + " upload a new one");
            }
            return Optional.of(snapshotId).filter(s -> status.equals("completed"));
        });
        return snapshotId;
    }

    /** Registers the snapshot as a UEFI, ENA, IMDSv2-only x86_64 image, tagged like the snapshot. */
    String register(String snapshotId, Map<String, String> tags) {
        String name = tags.get(SiteTags.NAME);
        String imageId = aws.ec2().registerImage(b -> b.name(name).description("Morgana unikernel for " + site)
                .architecture(ArchitectureValues.X86_64).virtualizationType("hvm").bootMode(BootModeValues.UEFI)
                .enaSupport(true).imdsSupport(ImdsSupportValues.V2_0).rootDeviceName("/dev/xvda")
                .blockDeviceMappings(m -> m.deviceName("/dev/xvda").ebs(e -> e.snapshotId(snapshotId)
                        .volumeType(VolumeType.GP3).deleteOnTermination(true)))
                .tagSpecifications(SiteTags.spec(ResourceType.IMAGE, tags))).imageId();
        out.println("registered " + imageId + " (" + name + ") from " + snapshotId);
        return imageId;
    }


    /** Deregisters an image beyond retention and deletes its snapshots. */
    void prune(SiteState.SiteImage image) {
        aws.ec2().deregisterImage(b -> b.imageId(image.id()));
        for (String snapshot : image.snapshotIds()) {
            aws.ec2().deleteSnapshot(b -> b.snapshotId(snapshot));
        }
        out.println("pruned " + image.id() + (image.snapshotIds().isEmpty() ? ""
                : " and " + String.join(", ", image.snapshotIds())));
    }

    /**
     * A snapshot never completed moves to state error once its StartSnapshot timeout passes; until then EBS
     * may refuse to delete it, and a later run deletes it instead.
     */
    private void deleteAbandoned(SiteState.SiteSnapshot abandoned) {
        try {
            aws.ec2().deleteSnapshot(b -> b.snapshotId(abandoned.id()));
            out.println("deleted " + abandoned.id() + ", left by an interrupted upload");
        } catch (SdkException e) {
            out.println("left " + abandoned.id() + " (an interrupted upload) for a later run: " + e.getMessage());
        }
    }
}
