package morgana.blog.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
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
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Locale;
import java.util.Optional;
import morgana.blog.bundle.BundleEntry;
import morgana.blog.bundle.ContentTypes;
import morgana.blog.bundle.SiteBundle;

/**
 * Answers each request from the bundle. One per connection; requests are answered in order. Request
 * bodies are ignored (released by {@link SimpleChannelInboundHandler}), since only GET and HEAD are served.
 *
 * <p>Connection handling (RFC 9112 §9.3, §9.6): HTTP/1.1 keeps the connection open unless the request says
 * {@code Connection: close}; HTTP/1.0 closes unless it says {@code keep-alive}. When the answer is to close,
 * the response carries {@code Connection: close} and the channel is closed once it is written, which sends
 * the FIN; requests pipelined behind it are dropped. A request the codec cannot parse gets 400 and a close.
 */
final class SiteRequestHandler extends SimpleChannelInboundHandler<HttpObject> {

    /** Answers the bundle hash: what deploy compares with the bundle it built. */
    static final String HEALTH_PATH = "/.well-known/morgana/health";
    static final String ALLOW = "GET, HEAD";

    private static final String NO_CACHE = "no-cache";
    private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("x-content-type-options");

    private final SiteBundle bundle;
    private final Clock clock;
    private final byte[] health;
    private boolean closing;

    SiteRequestHandler(SiteBundle bundle, Clock clock) {
        this.bundle = bundle;
        this.clock = clock;
        this.health = bundle.bundleHash().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (!(msg instanceof HttpRequest request) || closing) {
            return; // body chunks, or requests pipelined behind a close
        }
        boolean keepAlive;
        FullHttpResponse response;
        if (request.decoderResult().isFailure()) {
            keepAlive = false;
            response = text(HttpResponseStatus.BAD_REQUEST, "Bad request\n", false);
        } else {
            keepAlive = HttpUtil.isKeepAlive(request);
            response = respond(request);
        }
        response.headers().set(HttpHeaderNames.DATE, DateFormatter.format(Date.from(clock.instant())));
        HttpUtil.setKeepAlive(response.headers(), request.protocolVersion(), keepAlive);
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            closing = true;
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Nothing useful can be said to a peer whose connection broke; close it, and so send FIN or RST.
        ctx.close();
    }

    private FullHttpResponse respond(HttpRequest request) {
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (!head && !request.method().equals(HttpMethod.GET)) {
            FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed\n", false);
            response.headers().set(HttpHeaderNames.ALLOW, ALLOW);
            return response;
        }
        Optional<RequestTarget> target = RequestTarget.parse(request.uri());
        if (target.isEmpty()) {
            return text(HttpResponseStatus.BAD_REQUEST, "Bad request\n", head);
        }
        String path = target.get().path();
        if (path.equals(HEALTH_PATH)) {
            FullHttpResponse response = body(HttpResponseStatus.OK, ContentTypes.PLAIN_TEXT, ByteBuffer.wrap(health), head);
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            return response;
        }
        Optional<BundleEntry> entry = bundle.find(path);
        if (entry.isPresent()) {
            return entry(request, entry.get(), HttpResponseStatus.OK, head);
        }
        if (!path.endsWith("/") && bundle.find(path + "/").isPresent()) {
            FullHttpResponse response = text(HttpResponseStatus.MOVED_PERMANENTLY, "Moved\n", head);
            response.headers().set(HttpHeaderNames.LOCATION, target.get().rawPath() + "/");
            return response;
        }
        return entry(request, bundle.notFoundPage(), HttpResponseStatus.NOT_FOUND, head);
    }

    private static FullHttpResponse entry(HttpRequest request, BundleEntry entry, HttpResponseStatus status,
                                          boolean head) {
        boolean gzip = entry.hasGzip() && acceptsGzip(request.headers().get(HttpHeaderNames.ACCEPT_ENCODING));
        String etag = gzip ? entry.gzipEtag() : entry.etag();
        FullHttpResponse response;
        if (status.equals(HttpResponseStatus.OK) && notModified(request, entry)) {
            // RFC 9110 §15.4.5: a 304 carries the validators and Vary, and no content.
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                    Unpooled.EMPTY_BUFFER);
        } else {
            response = body(status, entry.contentType(), gzip ? entry.gzipView() : entry.bodyView(), head);
            if (gzip) {
                response.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            }
        }
        HttpHeaders headers = response.headers();
        if (status.equals(HttpResponseStatus.OK)) {
            headers.set(HttpHeaderNames.ETAG, etag);
            headers.set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE);
        }
        if (entry.hasGzip()) {
            headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
        }
        return response;
    }

    /**
     * RFC 9110 §13.1.2: If-None-Match uses the weak comparison; either coding's tag names the same content,
     * so both count as a match.
     */
    private static boolean notModified(HttpRequest request, BundleEntry entry) {
        String header = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        if (header == null) {
            return false;
        }
        for (String tag : header.split(",")) {
            String candidate = tag.strip();
            if (candidate.equals("*")) {
                return true;
            }
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (candidate.equals(entry.etag()) || candidate.equals(entry.gzipEtag())) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9110 §12.5.3: gzip is acceptable when listed (or covered by {@code *}) with a non-zero weight. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean star = null;
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            boolean accepted = weight(parts) > 0;
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return accepted;
            }
            if (coding.equals("*")) {
                star = accepted;
            }
        }
        return Boolean.TRUE.equals(star);
    }

    private static double weight(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].strip();
            if (parameter.length() > 2 && (parameter.startsWith("q=") || parameter.startsWith("Q="))) {
                try {
                    return Double.parseDouble(parameter.substring(2).strip());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text, boolean head) {
        return body(status, ContentTypes.PLAIN_TEXT, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), head);
    }

    /** A response whose Content-Length is the body's; a HEAD response has the same headers and no content. */
    private static FullHttpResponse body(HttpResponseStatus status, String contentType, ByteBuffer body, boolean head) {
        int length = body.remaining();
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, length)
                .set(X_CONTENT_TYPE_OPTIONS, "nosniff");
        return response;
    }

    /**
     * The path a request-target names (RFC 9112 §3.2): origin-form {@code /a/b?q}, or absolute-form
     * {@code http://host/a/b?q}; percent-decoded, without query. Anything else is a bad request.
     */
    record RequestTarget(String rawPath, String path) {
        static Optional<RequestTarget> parse(String uri) {
            String rest = uri;
            int scheme = uri.indexOf("://");
            if (scheme > 0 && !uri.startsWith("/")) {
                int slash = uri.indexOf('/', scheme + 3);
                rest = slash < 0 ? "/" : uri.substring(slash);
            }
            if (!rest.startsWith("/")) {
                return Optional.empty();
            }
            int end = rest.length();
            for (char c : new char[] {'?', '#'}) {
                int at = rest.indexOf(c);
                if (at >= 0 && at < end) {
                    end = at;
                }
            }
            String rawPath = rest.substring(0, end);
            try {
                String path = new QueryStringDecoder(rawPath, StandardCharsets.UTF_8, true).path();
                return Optional.of(new RequestTarget(rawPath, path));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }
}
