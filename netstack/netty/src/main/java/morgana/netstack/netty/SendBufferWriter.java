package morgana.netstack.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.FileRegion;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import morgana.netstack.tcp.TcpConnection;

/**
 * Moves a channel's flushed messages into its connection's send buffer, in order, as far as the buffer has
 * room; what does not fit stays queued (with its promise) until the peer's ACKs make room. A buffer's bytes
 * are copied straight into the send buffer's array ({@link TcpConnection.ByteSource}): asking a Netty buffer
 * for a {@code ByteBuffer} makes a new view of it on every write for most kinds of buffer. One writer per
 * channel, used on its event loop.
 */
final class SendBufferWriter implements TcpConnection.ByteSource {

    /** The buffer {@link #copyTo} reads, during a write only. */
    private ByteBuf source;

    void writeQueued(ChannelOutboundBuffer in, TcpConnection connection) throws Exception {
        for (Object msg = in.current(); msg != null; msg = in.current()) {
            if (msg instanceof ByteBuf buf) {
                int readable = buf.readableBytes();
                if (readable == 0) {
                    in.remove();
                    continue;
                }
                int written = write(buf, connection);
                if (written > 0) {
                    in.removeBytes(written);
                }
                if (written < readable) {
                    return; // the send buffer is full
                }
            } else if (msg instanceof FileRegion region) {
                if (region.transferred() >= region.count()) {
                    in.remove();
                    continue;
                }
                long written = region.transferTo(new Target(connection), region.transferred());
                if (written > 0) {
                    in.progress(written);
                }
                if (region.transferred() >= region.count()) {
                    in.remove();
                } else if (written <= 0 || connection.writableBytes() == 0) {
                    return;
                }
            } else {
                in.remove(new UnsupportedOperationException("unexpected message " + msg.getClass().getName()));
            }
        }
    }

    private int write(ByteBuf buf, TcpConnection connection) {
        source = buf;
        try {
            return connection.write(this, buf.readableBytes());
        } finally {
            source = null;
        }
    }

    @Override
    public void copyTo(int sourceOffset, byte[] target, int targetOffset, int length) {
        source.getBytes(source.readerIndex() + sourceOffset, target, targetOffset, length);
    }

    /** Lets a {@link FileRegion} write straight into the connection's send buffer. */
    private record Target(TcpConnection connection) implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) {
            return connection.write(src);
        }

        @Override
        public boolean isOpen() {
            return !connection.isClosed();
        }

        @Override
        public void close() {
            // The channel, not a file region, decides when the connection closes.
        }
    }
}
