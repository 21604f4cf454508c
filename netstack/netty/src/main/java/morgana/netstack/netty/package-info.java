/**
 * A Netty 4.2 transport over Morgana's userspace stack, so that an application's
 * {@code ChannelInitializer} runs unchanged on host sockets (NIO) or on {@code morgana.netstack}.
 *
 * <p>{@link morgana.netstack.netty.StackEventLoopGroup} is a one-thread {@code MultiThreadIoEventLoopGroup}
 * whose {@link morgana.netstack.netty.StackIoHandler} owns the {@code NetworkStack} and its {@code Device}:
 * it polls the stack, lets every registered channel move bytes between its pipeline and its connection,
 * polls again to send them, and sleeps in {@code Device.awaitFrame} until a frame, the stack's deadline,
 * Netty's next scheduled task, or a task from another thread. Channels do no I/O of their own:
 * {@link morgana.netstack.netty.StackServerChannel} wraps a {@code TcpListener} and
 * {@link morgana.netstack.netty.StackChannel} a {@code TcpConnection}.
 */
package morgana.netstack.netty;
