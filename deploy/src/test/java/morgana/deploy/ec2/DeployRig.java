package morgana.deploy.ec2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import morgana.blog.bundle.SiteBundle;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import morgana.blog.server.BlogServerInitializer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A deploy against the fake AWS, where every instance that runs is a real blog server in socket mode on its
 * own loopback address (127.0.0.10 and up, the Elastic IP on 127.0.0.2), all on one port: verification
 * fetches real pages over real TCP.
 */
final class DeployRig implements AutoCloseable {
    static final String SITE = "notes";
    static final String ELASTIC_IP = "127.0.0.2";
    static final String ZONE = "Z0MORGANA";
    static final String RECORD = "blog.example.org";

    /** Short waits: the fake answers at once, and a server that has not answered in seconds never will. */
    static final BlueGreenDeploy.Timing FAST = new BlueGreenDeploy.Timing(
            new Patience(Duration.ofSeconds(10), Duration.ofMillis(10)),
            new Patience(Duration.ofSeconds(10), Duration.ofMillis(10)),
            new Patience(Duration.ofSeconds(3), Duration.ofMillis(20)), Duration.ofSeconds(5), 8,
            new Backoff(3, Duration.ofMillis(1), Duration.ofMillis(10)));

    final FakeAws aws;
    final AwsClients clients;
    final int port;
    final FakeCloud.FakeAddress elasticIp;
    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    /** Bundles by hash: what an instance booted from an image tagged with that hash serves. */
    final Map<String, SiteBundle> bundles = new ConcurrentHashMap<>();
    /** One event loop for every server, so that stopping one closes its channel and nothing more. */
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, Channel> servers = new ConcurrentHashMap<>();
    /** Each server's connections: an instance that stops takes its open connections with it. */
    private final Map<String, ChannelGroup> connections = new ConcurrentHashMap<>();
    private final Map<String, SiteBundle> served = new ConcurrentHashMap<>();
    /** What a new instance serves; by default the bundle its image was tagged with. Empty: it never answers. */
    volatile Function<FakeCloud.FakeInstance, Optional<SiteBundle>> boots = this::bundleOfImage;

    DeployRig() throws IOException {
        aws = new FakeAws();
        clients = AwsClients.at(aws.endpoint(), Region.EU_WEST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMORGANATEST", "not-a-secret")),
                Duration.ofSeconds(1), 2);
        port = freePort();
        elasticIp = aws.cloud.addElasticIp(ELASTIC_IP);
        aws.cloud.zones.put(ZONE, new ConcurrentHashMap<>());
        aws.cloud.onRunning = i -> boots.apply(i).ifPresent(b -> serve(i.publicIp, b));
        aws.cloud.onTerminated = i -> stop(i.publicIp);
        aws.cloud.onAssociated = (address, i) -> {
            stop(address.publicIp);
            Optional.ofNullable(served.get(i.publicIp)).ifPresent(b -> serve(address.publicIp, b));
        };
    }

    private Optional<SiteBundle> bundleOfImage(FakeCloud.FakeInstance instance) {
        return Optional.ofNullable(aws.cloud.images.get(instance.imageId))
                .map(image -> bundles.get(image.tags().get(SiteTags.BUNDLE_HASH)))
                .or(() -> Optional.ofNullable(bundles.get(instance.tags.get(SiteTags.BUNDLE_HASH))));
    }

    /** A site already live from an earlier deploy of {@code bundle}: its image, its instance, the Elastic IP on it. */
    FakeCloud.FakeInstance liveSite(SiteBundle bundle) {
        bundles.put(bundle.bundleHash(), bundle);
        FakeCloud.FakeImage image = aws.cloud.addImage(SITE, bundle.bundleHash());
        FakeCloud.FakeInstance live = aws.cloud.addLiveInstance(SITE, bundle.bundleHash(), image.id());
        elasticIp.instanceId = live.id;
        aws.cloud.onAssociated.accept(elasticIp, live);
        aws.cloud.zones.get(ZONE).put(RECORD, live.publicIp);
        return live;
    }

    /** The old site live, and the new one what an instance of its image serves. */
    FakeCloud.FakeInstance liveBefore(SiteFixtures.Update update) {
        bundles.put(update.newSite().bundleHash(), update.newSite());
        return liveSite(update.oldSite());
    }

    DeployConfig config(SwitchTarget target, int retain) {
        return new DeployConfig(SITE, Optional.of("eu-west-1"), Optional.empty(), "t3.micro", "subnet-0a1b2c",
                "sg-0http", target, retain, port);
    }

    DeployConfig elasticIpConfig(int retain) {
        return config(new SwitchTarget.ElasticIp(elasticIp.allocationId), retain);
    }

    BlueGreenDeploy deploy(DeployConfig config, BlueGreenDeploy.StepListener listener) {
        return new BlueGreenDeploy(clients, config, FAST, new PrintStream(output, true, StandardCharsets.UTF_8),
                listener);
    }

    String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** What a visitor gets at the Elastic IP now: the bundle hash its health endpoint names. */
    Optional<String> publicHealth() {
        return new SiteVerifier(Duration.ofSeconds(2)).health(PublicAddress.http(ELASTIC_IP, port))
                instanceof SiteVerifier.Health.Serving s ? Optional.of(s.bundleHash()) : Optional.empty();
    }

    /** The blog server in socket mode, as {@code morgana serve} runs it, on {@code ip}. */
    synchronized void serve(String ip, SiteBundle bundle) {
        ChannelGroup open = new DefaultChannelGroup(loop.next());
        ServerBootstrap bootstrap = new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel child) {
                        open.add(child);
                        child.pipeline().addLast(new BlogServerInitializer(bundle));
                    }
                });
        Channel channel = bind(bootstrap, new InetSocketAddress(ip, port));
        servers.put(ip, channel);
        connections.put(ip, open);
        served.put(ip, bundle);
    }

    synchronized void stop(String ip) {
        Optional.ofNullable(servers.remove(ip)).ifPresent(c -> c.close().syncUninterruptibly());
        Optional.ofNullable(connections.remove(ip)).ifPresent(g -> g.close().syncUninterruptibly());
        served.remove(ip);
    }

    /**
     * Binds, waiting out a listener on the same address that {@link #stop} closed a moment ago: NIO closes
     * the socket of a channel registered with a selector only when that selector next wakes, which can come
     * after close() has returned (on a loaded machine, after a new bind has failed with "Address already in
     * use").
     */
    private static Channel bind(ServerBootstrap bootstrap, InetSocketAddress address) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                return bootstrap.bind(address).syncUninterruptibly().channel();
            } catch (Exception e) {
                if (!(e instanceof BindException) || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        servers.keySet().forEach(this::stop);
        clients.close();
        aws.close();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
