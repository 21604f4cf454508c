package morgana.netstack.netty;

import io.netty.channel.IoEvent;
import io.netty.channel.IoHandle;
import io.netty.channel.IoRegistration;

/**
 * A channel's side of the stack's event loop. After every poll of the stack the loop calls
 * {@link #handle(IoRegistration, IoEvent)} with {@link StackPolled#INSTANCE} on each registered handle, which
 * then moves what its connection or listener has (bytes, accepted connections, EOF, reset) into its pipeline
 * and what its pipeline flushed into the stack.
 */
interface StackIoHandle extends IoHandle {

    /** Closes the channel; never blocks or throws. */
    @Override
    void close();

    /** The only event the loop delivers: the stack was just polled. */
    enum StackPolled implements IoEvent {
        INSTANCE
    }
}
