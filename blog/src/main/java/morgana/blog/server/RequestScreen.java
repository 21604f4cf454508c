package morgana.blog.server;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a request may be served at all, before the bundle is looked at. Rules in this order; the
 * first that applies refuses the request, and the connection is closed after the refusal unless noted:
 * <ol>
 *   <li>the decode: too long a request line 414, too large a header section 431, anything else 400
 *       (Content-Length and Transfer-Encoding together included, see {@link StrictRequestDecoder});</li>
 *   <li>an HTTP major version other than 1: 505;</li>
 *   <li>more header fields than allowed: 431;</li>
 *   <li>{@code Host} (RFC 9112 §3.2): absent in HTTP/1.1, repeated, or invalid: 400;</li>
 *   <li>framing (RFC 9112 §6.1): a Transfer-Encoding whose last coding is not chunked, one next to a
 *       Content-Length, or one on HTTP/1.0: 400;</li>
 *   <li>an {@code Expect} other than {@code 100-continue} (HTTP/1.1 only, RFC 9110 §10.1.1): 417, kept open
 *       when there is no body;</li>
 *   <li>a method other than GET and HEAD: 405, kept open when there is no body;</li>
 *   <li>a request body: 413 (bodies are never read, and no {@code 100 Continue} is ever sent);</li>
 *   <li>a request-target that {@link RequestTarget} refuses: 400.</li>
 * </ol>
 */
final class RequestScreen {

    /** What the screen says about a request. */
    sealed interface Verdict permits Refused, Admitted {}

    /** Answer {@code status} with {@code reason} as text, and close afterwards if {@code close}. */
    record Refused(HttpResponseStatus status, String reason, boolean close) implements Verdict {}

    /** Serve {@code target}. */
    record Admitted(RequestTarget target) implements Verdict {}

    private RequestScreen() {}

    static Verdict screen(HttpRequest request, HttpServerConfig config) {
        if (request.decoderResult().isFailure()) {
            return switch (request.decoderResult().cause()) {
                case TooLongHttpLineException e -> refuse(HttpResponseStatus.REQUEST_URI_TOO_LONG, "Request line too long");
                case TooLongHttpHeaderException e ->
                        refuse(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Header fields too large");
                default -> badRequest();
            };
        }
        HttpHeaders headers = request.headers();
        if (request.protocolVersion().majorVersion() != 1) {
            return refuse(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP/1.1 only");
        }
        if (headers.size() > config.maxHeaderCount()) {
            return refuse(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many header fields");
        }
        boolean http11 = request.protocolVersion().minorVersion() >= 1;
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 || (http11 && hosts.isEmpty()) || (hosts.size() == 1 && !HostField.isValid(hosts.getFirst()))) {
            return badRequest();
        }
        List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!codings.isEmpty() && (!http11 || !lastCodingIsChunked(codings) || headers.contains(HttpHeaderNames.CONTENT_LENGTH))) {
            return badRequest();
        }
        boolean hasBody = !codings.isEmpty() || HttpUtil.getContentLength(request, 0L) > 0;
        String expect = http11 ? headers.get(HttpHeaderNames.EXPECT) : null;
        if (expect != null && !expect.strip().equalsIgnoreCase("100-continue")) {
            return new Refused(HttpResponseStatus.EXPECTATION_FAILED, "Expectation failed", hasBody);
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            return new Refused(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed", hasBody);
        }
        if (hasBody) {
            return refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "Request bodies are not accepted");
        }
        Optional<RequestTarget> target = RequestTarget.parse(request.uri());
        return target.<Verdict>map(Admitted::new).orElseGet(RequestScreen::badRequest);
    }

    private static boolean lastCodingIsChunked(List<String> fieldLines) {
        String[] codings = String.join(",", fieldLines).split(",");
        return codings.length > 0 && codings[codings.length - 1].strip().toLowerCase(Locale.ROOT).equals("chunked");
    }

    private static Refused refuse(HttpResponseStatus status, String reason) {
        return new Refused(status, reason, true);
    }

    private static Refused badRequest() {
        return refuse(HttpResponseStatus.BAD_REQUEST, "Bad request");
    }
}
