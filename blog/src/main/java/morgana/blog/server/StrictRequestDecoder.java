package morgana.blog.server;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, minus its one leniency that matters for request smuggling: a request with both
 * {@code Transfer-Encoding: chunked} and {@code Content-Length} is a failed decode (so 400 and a close),
 * not a request whose Content-Length is silently dropped (RFC 9112 §6.1: a server MAY reject it, and
 * since two parsers on the path may disagree on the body's end, a server that serves no bodies should).
 */
final class StrictRequestDecoder extends HttpRequestDecoder {

    /** Why the decode failed; the response is 400. */
    static final class ConflictingFramingException extends IllegalArgumentException {
        ConflictingFramingException() {
            super("Transfer-Encoding and Content-Length in one request");
        }
    }

    StrictRequestDecoder(HttpServerConfig config) {
        super(new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxRequestLineLength())
                .setMaxHeaderSize(config.maxHeaderBytes())
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true));
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new ConflictingFramingException();
    }
}
