/**
 * The HTTP/1.1 application over any Netty {@link io.netty.channel.Channel}: start it with
 * {@link morgana.blog.server.BlogServerInitializer}. It does not know which network stack carries it.
 */
package morgana.blog.server;
