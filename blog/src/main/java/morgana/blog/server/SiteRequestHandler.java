package morgana.blog.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentCoding;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;

/**
 * Answers each request from the bundle, in order. One per connection.
 *
 * <p>{@link RequestScreen} decides first whether a request may be served at all. Then the health endpoint,
 * a bundle entry (conditional requests, gzip, single ranges), a redirect to the directory's trailing slash,
 * or the 404 page; these keep the connection.
 *
 * <p>Connection handling (RFC 9112 §9.3, §9.6): HTTP/1.1 keeps the connection open unless the request says
 * {@code Connection: close}; HTTP/1.0 closes unless it says {@code keep-alive}. On close, the response says
 * {@code Connection: close}; once it is written the server shuts its output (its FIN), drops requests
 * pipelined behind, and closes when the client closes or after the linger timeout.
 */
final class SiteRequestHandler extends SimpleChannelInboundHandler<HttpObject> {

    /** Answers the bundle hash: what deploy compares with the bundle it built. */
    static final String HEALTH_PATH = "/.well-known/morgana/health";
    static final String ALLOW = "GET, HEAD";

    private static final AsciiString CONTENT_SECURITY_POLICY = AsciiString.cached("content-security-policy");
    private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");
    private static final AsciiString REFERRER_POLICY = AsciiString.cached("referrer-policy");
    private static final AsciiString STRICT_TRANSPORT_SECURITY = AsciiString.cached("strict-transport-security");
    private static final AsciiString X_FRAME_OPTIONS = AsciiString.cached("x-frame-options");

    private final SiteBundle bundle;
    private final HttpServerConfig config;
    private final HttpStats stats;
    private final AccessLog accessLog;
    private final byte[] health;
    private final String lastModified;
    private boolean closing;

    SiteRequestHandler(SiteBundle bundle, HttpServerConfig config, HttpStats stats, AccessLog accessLog) {
        this.bundle = bundle;
        this.config = config;
        this.stats = stats;
        this.accessLog = accessLog;
        this.health = bundle.bundleHash().getBytes(StandardCharsets.US_ASCII);
        this.lastModified = DateFormatter.format(Date.from(config.lastModified()));
    }

    /** A response and whether the connection ends with it. */
    private record Answer(FullHttpResponse response, boolean close) {}

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (!(msg instanceof HttpRequest request) || closing) {
            return; // body chunks (never read: a request with a body ends the connection), or requests behind a close
        }
        Answer answer = answer(request);
        boolean keepAlive = !answer.close() && HttpUtil.isKeepAlive(request);
        FullHttpResponse response = answer.response();
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.DATE, DateFormatter.format(Date.from(config.clock().instant())));
        headers.set(CONTENT_SECURITY_POLICY, config.contentSecurityPolicy());
        headers.set(X_CONTENT_TYPE_OPTIONS, "nosniff");
        headers.set(REFERRER_POLICY, "strict-origin-when-cross-origin");
        headers.set(X_FRAME_OPTIONS, "DENY");
        config.hsts().ifPresent(value -> headers.set(STRICT_TRANSPORT_SECURITY, value));
        HttpVersion version = request.decoderResult().isSuccess() && request.protocolVersion().majorVersion() == 1
                ? request.protocolVersion() : HttpVersion.HTTP_1_1;
        HttpUtil.setKeepAlive(headers, version, keepAlive);
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }

        int status = response.status().code();
        stats.responded(status);
        accessLog.log(ctx.channel().remoteAddress(), requestLine(request), status, response.content().readableBytes());
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            closing = true;
            written.addListener(f -> closeGracefully(ctx));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Nothing useful can be said to a peer whose connection broke; close it, and so send FIN or RST.
        ctx.close();
    }

    /**
     * The server's goodbye: a FIN right after the last response, then, on a transport that can half-close,
     * whatever the client still sends is read and dropped until it closes too or the linger timeout ends
     * (closing with unread input would make the host's TCP answer with RST and could destroy the response).
     */
    private void closeGracefully(ChannelHandlerContext ctx) {
        if (ctx.channel() instanceof DuplexChannel duplex && duplex.isActive() && !duplex.isOutputShutdown()) {
            duplex.shutdownOutput().addListener(f -> {
                if (!f.isSuccess()) {
                    ctx.close();
                }
            });
            ctx.executor().schedule(() -> {
                ctx.close();
            }, config.lingerTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } else {
            ctx.close();
        }
    }

    private Answer answer(HttpRequest request) {
        boolean head = request.decoderResult().isSuccess() && request.method().equals(HttpMethod.HEAD);
        return switch (RequestScreen.screen(request, config)) {
            case RequestScreen.Refused(HttpResponseStatus status, String reason, boolean close) -> {
                FullHttpResponse response = text(status, reason + "\n", head);
                if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
                    response.headers().set(HttpHeaderNames.ALLOW, ALLOW);
                }
                yield new Answer(response, close);
            }
            case RequestScreen.Admitted(RequestTarget target) -> new Answer(resource(request, target, head), false);
        };
    }

    private FullHttpResponse resource(HttpRequest request, RequestTarget target, boolean head) {
        String path = target.path();
        if (path.equals(HEALTH_PATH)) {
            FullHttpResponse response = body(HttpResponseStatus.OK, ContentTypes.PLAIN_TEXT, ByteBuffer.wrap(health), head);
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, CachePolicy.HEALTH);
            return response;
        }
        Optional<BundleEntry> entry = bundle.find(path);
        if (entry.isPresent() && entry.get().contentType().equals(ContentTypes.REDIRECT)) {
            return movedPermanently(new String(entry.get().body(), StandardCharsets.UTF_8), head); // an alias
        }
        if (entry.isPresent()) {
            return entry(request, entry.get(), head);
        }
        if (!path.endsWith("/") && bundle.find(path + "/").isPresent()) {
            return movedPermanently(target.rawPath() + "/", head);
        }
        BundleEntry notFound = bundle.notFoundPage();
        FullHttpResponse response = body(HttpResponseStatus.NOT_FOUND, notFound.contentType(), notFound.bodyView(), head);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, CachePolicy.SHORT);
        return response;
    }

    private FullHttpResponse movedPermanently(String location, boolean head) {
        FullHttpResponse response = text(HttpResponseStatus.MOVED_PERMANENTLY, "Moved\n", head);
        response.headers().set(HttpHeaderNames.LOCATION, location);
        return response;
    }

    private FullHttpResponse entry(HttpRequest request, BundleEntry entry, boolean head) {
        HttpHeaders in = request.headers();
        Set<ContentCoding> codings = entry.codings();
        ContentCoding coding = ContentCoding.negotiate(in.get(HttpHeaderNames.ACCEPT_ENCODING), codings);
        String etag = entry.etag(coding);
        ByteBuffer representation = entry.view(coding);
        FullHttpResponse response;
        if (notModified(request, entry)) {
            // RFC 9110 §15.4.5: a 304 carries the validators, Cache-Control and Vary, and no content.
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                    Unpooled.EMPTY_BUFFER);
        } else {
            ByteRange.Request range = head || !ifRangeHolds(in.get(HttpHeaderNames.IF_RANGE), etag)
                    ? new ByteRange.Whole()
                    : ByteRange.parse(in.get(HttpHeaderNames.RANGE), representation.remaining());
            int total = representation.remaining();
            response = switch (range) {
                case ByteRange.Whole whole -> body(HttpResponseStatus.OK, entry.contentType(), representation, head);
                case ByteRange.Partial(ByteRange r) -> {
                    FullHttpResponse partial = body(HttpResponseStatus.PARTIAL_CONTENT, entry.contentType(),
                            representation.slice((int) r.first(), (int) r.length()), false);
                    partial.headers().set(HttpHeaderNames.CONTENT_RANGE, r.contentRange(total));
                    yield partial;
                }
                case ByteRange.Unsatisfiable unsatisfiable -> {
                    FullHttpResponse none = text(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                            "Range not satisfiable\n", false);
                    none.headers().set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + total);
                    yield none;
                }
            };
            if (coding != ContentCoding.IDENTITY && response.status().code() != 416) {
                response.headers().set(HttpHeaderNames.CONTENT_ENCODING, coding.token());
            }
        }
        HttpHeaders headers = response.headers();
        if (response.status().code() != 416) {
            headers.set(HttpHeaderNames.ETAG, etag);
            headers.set(HttpHeaderNames.LAST_MODIFIED, lastModified);
            headers.set(HttpHeaderNames.CACHE_CONTROL, CachePolicy.forEntry(entry));
        }
        headers.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        if (codings.size() > 1) {
            headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        return response;
    }

    /**
     * RFC 9110 §13.2.2: If-None-Match decides when present (weak comparison: either coding's tag names the
     * same content); otherwise If-Modified-Since, against the bundle's Last-Modified.
     */
    private boolean notModified(HttpRequest request, BundleEntry entry) {
        String header = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        if (header != null) {
            for (String tag : header.split(",")) {
                String candidate = tag.strip();
                if (candidate.equals("*")) {
                    return true;
                }
                if (candidate.startsWith("W/")) {
                    candidate = candidate.substring(2);
                }
                if (candidate.equals(entry.etag()) || candidate.equals(entry.gzipEtag())
                        || candidate.equals(entry.zstdEtag())) {
                    return true;
                }
            }
            return false;
        }
        String since = request.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (since == null) {
            return false;
        }
        Date date = DateFormatter.parseHttpDate(since);
        return date != null && !config.lastModified().isAfter(Instant.ofEpochMilli(date.getTime()));
    }

    /**
     * RFC 9110 §13.1.5: a Range is honoured only if If-Range is absent or names the current representation
     * with a strong match. A date is not accepted as a strong validator here, so it means "send it all".
     */
    private static boolean ifRangeHolds(String ifRange, String etag) {
        return ifRange == null || ifRange.strip().equals(etag);
    }

    private static String requestLine(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return "-";
        }
        return request.method().name() + " " + request.uri() + " " + request.protocolVersion().text();
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text, boolean head) {
        FullHttpResponse response = body(status, ContentTypes.PLAIN_TEXT,
                ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), head);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    /** A response whose Content-Length is the body's; a HEAD response has the same headers and no content. */
    private static FullHttpResponse body(HttpResponseStatus status, String contentType, ByteBuffer body, boolean head) {
        int length = body.remaining();
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, length);
        return response;
    }
}
