package morgana.netstack.netty;

import static io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE;
import static io.netty.channel.ChannelOption.IP_TOS;
import static io.netty.channel.ChannelOption.SO_KEEPALIVE;
import static io.netty.channel.ChannelOption.SO_LINGER;
import static io.netty.channel.ChannelOption.SO_RCVBUF;
import static io.netty.channel.ChannelOption.SO_REUSEADDR;
import static io.netty.channel.ChannelOption.SO_SNDBUF;
import static io.netty.channel.ChannelOption.TCP_NODELAY;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannelConfig;
import java.util.Map;
import morgana.netstack.tcp.TcpConfig;
import morgana.netstack.tcp.TcpConnection;

/**
 * The configuration of a {@link StackChannel}. Netty's generic options (auto-read, allocators, water marks)
 * and {@link ChannelOption#ALLOW_HALF_CLOSURE} work as on any transport. The socket options act on the
 * stack's connection as on a kernel socket: {@code TCP_NODELAY} turns Nagle's algorithm off (and false turns
 * it on), {@code SO_KEEPALIVE} probing on, {@code SO_SNDBUF} and {@code SO_RCVBUF} size its buffers (set
 * before connecting, the receive buffer also picks the window scale offered), and {@code SO_LINGER} 0 makes
 * close reset the connection. An option never set leaves the stack's own setting, and reads as the
 * connection has it. TOS and reuse-address are remembered only, so that code written for NIO runs unchanged.
 */
public final class StackChannelConfig extends DefaultChannelConfig implements SocketChannelConfig {

    private volatile boolean allowHalfClosure;
    private volatile Boolean tcpNoDelay; // null: as the stack has it
    private volatile Boolean keepAlive;
    private volatile boolean reuseAddress;
    private volatile int soLinger = -1;
    private volatile int sendBufferSize;
    private volatile int receiveBufferSize;
    private volatile int trafficClass;

    StackChannelConfig(StackChannel channel) {
        super(channel);
    }

    /** Sets on {@code connection} every socket option set here; on the stack's loop only. */
    void applyTo(TcpConnection connection) {
        Boolean noDelay = tcpNoDelay;
        if (noDelay != null) {
            connection.setNagle(!noDelay);
        }
        Boolean probing = keepAlive;
        if (probing != null) {
            connection.setKeepAlive(probing);
        }
        if (sendBufferSize > 0) {
            connection.setSendBufferSize(sendBufferSize);
        }
        if (receiveBufferSize > 0) {
            connection.setReceiveBufferSize(Math.min(receiveBufferSize, TcpConfig.MAX_RECEIVE_BUFFER));
        }
    }

    private void changed() {
        ((StackChannel) channel).socketOptionsChanged();
    }

    @Override
    public Map<ChannelOption<?>, Object> getOptions() {
        return getOptions(super.getOptions(), SO_RCVBUF, SO_SNDBUF, TCP_NODELAY, SO_KEEPALIVE, SO_REUSEADDR,
                SO_LINGER, IP_TOS, ALLOW_HALF_CLOSURE);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        Object value;
        if (option == SO_RCVBUF) {
            value = getReceiveBufferSize();
        } else if (option == SO_SNDBUF) {
            value = getSendBufferSize();
        } else if (option == TCP_NODELAY) {
            value = isTcpNoDelay();
        } else if (option == SO_KEEPALIVE) {
            value = isKeepAlive();
        } else if (option == SO_REUSEADDR) {
            value = reuseAddress;
        } else if (option == SO_LINGER) {
            value = soLinger;
        } else if (option == IP_TOS) {
            value = trafficClass;
        } else if (option == ALLOW_HALF_CLOSURE) {
            value = allowHalfClosure;
        } else {
            return super.getOption(option);
        }
        return (T) value;
    }

    @Override
    public <T> boolean setOption(ChannelOption<T> option, T value) {
        validate(option, value);
        if (option == SO_RCVBUF) {
            setReceiveBufferSize((Integer) value);
        } else if (option == SO_SNDBUF) {
            setSendBufferSize((Integer) value);
        } else if (option == TCP_NODELAY) {
            setTcpNoDelay((Boolean) value);
        } else if (option == SO_KEEPALIVE) {
            setKeepAlive((Boolean) value);
        } else if (option == SO_REUSEADDR) {
            setReuseAddress((Boolean) value);
        } else if (option == SO_LINGER) {
            setSoLinger((Integer) value);
        } else if (option == IP_TOS) {
            setTrafficClass((Integer) value);
        } else if (option == ALLOW_HALF_CLOSURE) {
            setAllowHalfClosure((Boolean) value);
        } else {
            return super.setOption(option, value);
        }
        return true;
    }

    @Override
    protected void autoReadCleared() {
        ((StackChannel) channel).clearReadRequest();
    }

    @Override
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
    }

    @Override
    public StackChannelConfig setAllowHalfClosure(boolean allowHalfClosure) {
        this.allowHalfClosure = allowHalfClosure;
        return this;
    }

    @Override
    public boolean isTcpNoDelay() {
        Boolean set = tcpNoDelay;
        TcpConnection connection = ((StackChannel) channel).connection();
        return set != null ? set : connection == null || !connection.nagle();
    }

    @Override
    public StackChannelConfig setTcpNoDelay(boolean tcpNoDelay) {
        this.tcpNoDelay = tcpNoDelay;
        changed();
        return this;
    }

    @Override
    public int getSoLinger() {
        return soLinger;
    }

    @Override
    public StackChannelConfig setSoLinger(int soLinger) {
        this.soLinger = soLinger;
        return this;
    }

    @Override
    public int getSendBufferSize() {
        TcpConnection connection = ((StackChannel) channel).connection();
        return sendBufferSize > 0 || connection == null ? sendBufferSize : connection.sendBufferSize();
    }

    @Override
    public StackChannelConfig setSendBufferSize(int sendBufferSize) {
        this.sendBufferSize = positive(SO_SNDBUF, sendBufferSize);
        changed();
        return this;
    }

    @Override
    public int getReceiveBufferSize() {
        TcpConnection connection = ((StackChannel) channel).connection();
        return receiveBufferSize > 0 || connection == null ? receiveBufferSize : connection.receiveBufferSize();
    }

    @Override
    public StackChannelConfig setReceiveBufferSize(int receiveBufferSize) {
        this.receiveBufferSize = positive(SO_RCVBUF, receiveBufferSize);
        changed();
        return this;
    }

    private static int positive(ChannelOption<Integer> option, int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException(option.name() + " is a size in bytes, at least 1, not " + bytes);
        }
        return bytes;
    }

    @Override
    public boolean isKeepAlive() {
        Boolean set = keepAlive;
        TcpConnection connection = ((StackChannel) channel).connection();
        return set != null ? set : connection != null && connection.keepAlive();
    }

    @Override
    public StackChannelConfig setKeepAlive(boolean keepAlive) {
        this.keepAlive = keepAlive;
        changed();
        return this;
    }

    @Override
    public int getTrafficClass() {
        return trafficClass;
    }

    @Override
    public StackChannelConfig setTrafficClass(int trafficClass) {
        this.trafficClass = trafficClass;
        return this;
    }

    @Override
    public boolean isReuseAddress() {
        return reuseAddress;
    }

    @Override
    public StackChannelConfig setReuseAddress(boolean reuseAddress) {
        this.reuseAddress = reuseAddress;
        return this;
    }

    @Override
    public StackChannelConfig setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        return this;
    }

    // ---- covariant returns for the generic setters ----

    @Override
    public StackChannelConfig setConnectTimeoutMillis(int connectTimeoutMillis) {
        super.setConnectTimeoutMillis(connectTimeoutMillis);
        return this;
    }

    @Override
    @Deprecated
    public StackChannelConfig setMaxMessagesPerRead(int maxMessagesPerRead) {
        super.setMaxMessagesPerRead(maxMessagesPerRead);
        return this;
    }

    @Override
    public StackChannelConfig setWriteSpinCount(int writeSpinCount) {
        super.setWriteSpinCount(writeSpinCount);
        return this;
    }

    @Override
    public StackChannelConfig setAllocator(ByteBufAllocator allocator) {
        super.setAllocator(allocator);
        return this;
    }

    @Override
    public StackChannelConfig setRecvByteBufAllocator(RecvByteBufAllocator allocator) {
        super.setRecvByteBufAllocator(allocator);
        return this;
    }

    @Override
    public StackChannelConfig setAutoRead(boolean autoRead) {
        super.setAutoRead(autoRead);
        return this;
    }

    @Override
    public StackChannelConfig setAutoClose(boolean autoClose) {
        super.setAutoClose(autoClose);
        return this;
    }

    @Override
    public StackChannelConfig setWriteBufferHighWaterMark(int writeBufferHighWaterMark) {
        super.setWriteBufferHighWaterMark(writeBufferHighWaterMark);
        return this;
    }

    @Override
    public StackChannelConfig setWriteBufferLowWaterMark(int writeBufferLowWaterMark) {
        super.setWriteBufferLowWaterMark(writeBufferLowWaterMark);
        return this;
    }

    @Override
    public StackChannelConfig setWriteBufferWaterMark(WriteBufferWaterMark writeBufferWaterMark) {
        super.setWriteBufferWaterMark(writeBufferWaterMark);
        return this;
    }

    @Override
    public StackChannelConfig setMessageSizeEstimator(MessageSizeEstimator estimator) {
        super.setMessageSizeEstimator(estimator);
        return this;
    }
}
