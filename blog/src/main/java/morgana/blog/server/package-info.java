/**
 * The HTTP/1.1 application over any Netty {@link io.netty.channel.Channel}: start it with
 * {@link morgana.blog.server.BlogServerInitializer}, tuned by an immutable
 * {@link morgana.blog.server.HttpServerConfig}, observed through {@link morgana.blog.server.HttpStats} and the
 * access log. It does not know which network stack carries it.
 */
package morgana.blog.server;
