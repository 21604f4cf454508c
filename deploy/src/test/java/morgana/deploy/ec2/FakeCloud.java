package morgana.deploy.ec2;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The state behind the fake EC2, EBS and Route 53: what AWS would hold for one account in one region. */
final class FakeCloud {
    static final String ACCOUNT = "123456789012";

    static final class FakeInstance {
        final String id;
        final String imageId;
        final String publicIp;
        final Map<String, String> tags;
        final String subnetId;
        final String securityGroupId;
        final String httpTokens;
        volatile String state = "pending";

        FakeInstance(String id, String imageId, String publicIp, Map<String, String> tags, String subnetId,
                     String securityGroupId, String httpTokens) {
            this.id = id;
            this.imageId = imageId;
            this.publicIp = publicIp;
            this.tags = new ConcurrentHashMap<>(tags);
            this.subnetId = subnetId;
            this.securityGroupId = securityGroupId;
            this.httpTokens = httpTokens;
        }
    }

    record FakeImage(String id, String name, Instant created, String snapshotId, Map<String, String> tags,
                     Map<String, String> attributes) {
    }

    static final class FakeSnapshot {
        final String id;
        final long volumeGib;
        final Instant started;
        final Map<String, String> tags;
        final Map<Integer, byte[]> blocks = new ConcurrentSkipListMap<>();
        final Map<Integer, byte[]> checksums = new ConcurrentSkipListMap<>();
        volatile String status = "pending";

        FakeSnapshot(String id, long volumeGib, Instant started, Map<String, String> tags) {
            this.id = id;
            this.volumeGib = volumeGib;
            this.started = started;
            this.tags = new ConcurrentHashMap<>(tags);
        }
    }

    static final class FakeAddress {
        final String allocationId;
        final String publicIp;
        volatile String instanceId;

        FakeAddress(String allocationId, String publicIp) {
            this.allocationId = allocationId;
            this.publicIp = publicIp;
        }
    }

    final Map<String, FakeInstance> instances = new ConcurrentHashMap<>();
    final Map<String, FakeImage> images = new ConcurrentHashMap<>();
    final Map<String, FakeSnapshot> snapshots = new ConcurrentHashMap<>();
    final Map<String, FakeAddress> addresses = new ConcurrentHashMap<>();
    /** Route 53: zone id to (record name, lower case without the final dot, to A value). */
    final Map<String, Map<String, String>> zones = new ConcurrentHashMap<>();
    final Map<String, String> consoles = new ConcurrentHashMap<>();
    final Map<String, FakeInstance> launchedByToken = new ConcurrentHashMap<>();
    /** Auto Scaling, load balancers, launch templates: what a fleet deploy makes. */
    final FakeFleet fleet = new FakeFleet();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger addressesHandedOut = new AtomicInteger();
    /** Each image registered a second later than the one before, so retention has an order to go by. */
    private final AtomicInteger clock = new AtomicInteger();

    /** Told when an instance starts running (its public IP is up) and when it is terminated. */
    volatile Consumer<FakeInstance> onRunning = i -> { };
    volatile Consumer<FakeInstance> onTerminated = i -> { };
    /** Told when an Elastic IP moves: the address and the instance it now reaches. */
    volatile BiConsumer<FakeAddress, FakeInstance> onAssociated = (a, i) -> { };

    /** A pending instance comes up: running, its public address answering if it booted. */
    synchronized void run(FakeInstance i) {
        if (i.state.equals("pending")) {
            i.state = "running";
            onRunning.accept(i);
        }
    }

    /** An instance is told to terminate: its address released, its server gone. */
    synchronized void terminate(FakeInstance i) {
        if (!i.state.equals("terminated") && !i.state.equals("shutting-down")) {
            i.state = "shutting-down";
            addresses.values().stream().filter(a -> i.id.equals(a.instanceId)).forEach(a -> a.instanceId = null);
            onTerminated.accept(i);
        }
    }

    String newId(String prefix) {
        return prefix + "-" + String.format("%017x", ids.incrementAndGet());
    }

    /** Instances' public addresses: 127.0.0.10 and up, every one a loopback address a test server can bind. */
    String newPublicIp() {
        return "127.0.0." + (10 + addressesHandedOut.incrementAndGet());
    }

    Instant now() {
        return Instant.parse("2026-11-25T10:00:00Z").plusSeconds(clock.incrementAndGet());
    }

    FakeAddress addElasticIp(String publicIp) {
        FakeAddress a = new FakeAddress(newId("eipalloc"), publicIp);
        addresses.put(a.allocationId, a);
        return a;
    }

    /** A running instance tagged as a site's live one, as an earlier deploy would have left it. */
    FakeInstance addLiveInstance(String site, String bundleHash, String imageId) {
        Map<String, String> tags = new LinkedHashMap<>(SiteTags.forBundle(site, bundleHash));
        tags.put(SiteTags.ROLE, "live");
        FakeInstance i = new FakeInstance(newId("i"), imageId, newPublicIp(), tags, "subnet-old", "sg-old", "required");
        instances.put(i.id, i);
        i.state = "running";
        onRunning.accept(i);
        return i;
    }

    FakeImage addImage(String site, String bundleHash) {
        FakeSnapshot s = new FakeSnapshot(newId("snap"), 1, now(), SiteTags.forBundle(site, bundleHash));
        s.tags.put(SiteTags.UPLOAD, "sent");
        s.status = "completed";
        snapshots.put(s.id, s);
        FakeImage image = new FakeImage(newId("ami"), "morgana-" + site + "-" + bundleHash, now(), s.id,
                new ConcurrentHashMap<>(SiteTags.forBundle(site, bundleHash)), Map.of());
        images.put(image.id(), image);
        return image;
    }

    /** Instances pending or running: those that cost money and could serve. */
    long running() {
        return instances.values().stream().filter(i -> i.state.equals("pending") || i.state.equals("running")).count();
    }
}
