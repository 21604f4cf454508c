package morgana.e2e.hostile;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * One initializer for a runner that listens on several ports ({@code StackRunner} takes one application): it
 * hands each accepted connection to the service of the port it was accepted on.
 */
final class ServicesByPort extends ChannelInitializer<Channel> {

    private final Map<Integer, ChannelInitializer<Channel>> services;

    ServicesByPort(Map<Integer, ChannelInitializer<Channel>> services) {
        this.services = Map.copyOf(services);
    }

    @Override
    protected void initChannel(Channel channel) {
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        ChannelInitializer<Channel> service = services.get(port);
        if (service == null) {
            channel.close(); // the runner listens only on the ports given, so this is a bug of the caller
            return;
        }
        channel.pipeline().addLast(service);
    }
}
