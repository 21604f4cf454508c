package morgana.e2e.http;

import java.util.ArrayList;
import java.util.List;

/**
 * One hostile or awkward request, as raw bytes (ISO-8859-1), with what the server must answer: the status
 * of each response in order and whether it then closes the connection (with a FIN: read returns -1).
 *
 * @param head whether the request is HEAD, whose responses have no body whatever their Content-Length says
 */
record NastyRequest(String name, String raw, List<Integer> statuses, boolean closes, boolean head) {

    static NastyRequest open(String name, String raw, Integer... statuses) {
        return new NastyRequest(name, raw, List.of(statuses), false, raw.startsWith("HEAD"));
    }

    static NastyRequest closed(String name, String raw, Integer... statuses) {
        return new NastyRequest(name, raw, List.of(statuses), true, raw.startsWith("HEAD"));
    }

    private static final String H = "Host: blog\r\n";

    /** The corpus. {@code directory} is a path to a directory without its trailing slash (answered 301). */
    static List<NastyRequest> corpus(String directory) {
        var all = new ArrayList<NastyRequest>();
        // Requests a keep-alive connection survives.
        all.add(open("plain get", "GET / HTTP/1.1\r\n" + H + "\r\n", 200));
        all.add(open("head", "HEAD / HTTP/1.1\r\n" + H + "\r\n", 200));
        all.add(open("unknown path", "GET /no/such/page HTTP/1.1\r\n" + H + "\r\n", 404));
        all.add(open("post without body", "POST / HTTP/1.1\r\n" + H + "\r\n", 405));
        all.add(open("put with zero length", "PUT / HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n", 405));
        all.add(open("delete", "DELETE /index.html HTTP/1.1\r\n" + H + "\r\n", 405));
        all.add(open("options asterisk", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n", 405));
        all.add(open("lowercase method", "get / HTTP/1.1\r\n" + H + "\r\n", 405));
        all.add(open("long unknown method", "X".repeat(200) + " / HTTP/1.1\r\n" + H + "\r\n", 405));
        all.add(open("directory without slash", "GET " + directory + " HTTP/1.1\r\n" + H + "\r\n", 301));
        all.add(open("absolute form", "GET http://blog/ HTTP/1.1\r\n" + H + "\r\n", 200));
        all.add(open("absolute form other host", "GET http://other.example:8080/?q=1 HTTP/1.1\r\n" + H + "\r\n", 200));
        all.add(open("expect 100-continue without body", "GET / HTTP/1.1\r\n" + H + "Expect: 100-continue\r\n\r\n", 200));
        all.add(open("expectation ignored in http/1.0", "GET / HTTP/1.0\r\nConnection: keep-alive\r\nExpect: x\r\n\r\n", 200));
        all.add(open("unknown expectation", "GET / HTTP/1.1\r\n" + H + "Expect: the-unexpected\r\n\r\n", 417));
        all.add(open("range", "GET / HTTP/1.1\r\n" + H + "Range: bytes=0-9\r\n\r\n", 206));
        all.add(open("suffix range", "GET / HTTP/1.1\r\n" + H + "Range: bytes=-5\r\n\r\n", 206));
        all.add(open("unsatisfiable range", "GET / HTTP/1.1\r\n" + H + "Range: bytes=99999999-\r\n\r\n", 416));
        all.add(open("multiple ranges served whole", "GET / HTTP/1.1\r\n" + H + "Range: bytes=0-1,5-6\r\n\r\n", 200));
        all.add(open("garbage range served whole", "GET / HTTP/1.1\r\n" + H + "Range: pages=1-2\r\n\r\n", 200));
        all.add(open("if-none-match star", "GET / HTTP/1.1\r\n" + H + "If-None-Match: *\r\n\r\n", 304));
        all.add(open("if-modified-since future", "GET / HTTP/1.1\r\n" + H + "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT\r\n\r\n", 304));
        all.add(open("if-modified-since garbage", "GET / HTTP/1.1\r\n" + H + "If-Modified-Since: yesterday\r\n\r\n", 200));
        all.add(open("encoded tilde", "GET /%7Enobody HTTP/1.1\r\n" + H + "\r\n", 404));
        all.add(open("nul in query only", "GET /?a=%00 HTTP/1.1\r\n" + H + "\r\n", 200));
        all.add(open("http/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", 200));
        all.add(open("host with port", "GET / HTTP/1.1\r\nHost: blog:8080\r\n\r\n", 200));
        all.add(open("ipv6 literal host", "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", 200));
        all.add(open("empty lines before request", "\r\n\r\nGET / HTTP/1.1\r\n" + H + "\r\n", 200));
        all.add(open("zero content length", "GET / HTTP/1.1\r\n" + H + "Content-Length: 0\r\n\r\n", 200));
        all.add(open("three pipelined", ("GET / HTTP/1.1\r\n" + H + "\r\n").repeat(2) + "HEAD / HTTP/1.1\r\n" + H + "\r\n",
                200, 200, 200));
        all.add(open("accept-encoding nonsense", "GET / HTTP/1.1\r\n" + H + "Accept-Encoding: ;;;q=zz, ,\r\n\r\n", 200));

        // The server answers, then says goodbye.
        all.add(closed("connection close", "GET / HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n", 200));
        all.add(closed("http/1.0 default", "GET / HTTP/1.0\r\n\r\n", 200));
        all.add(closed("pipelined behind a close", "GET / HTTP/1.1\r\n" + H + "Connection: close\r\n\r\nGET / HTTP/1.1\r\n" + H + "\r\n", 200));
        all.add(closed("pipelined then malformed", "GET / HTTP/1.1\r\n" + H + "\r\nGET /%zz HTTP/1.1\r\n" + H + "\r\n", 200, 400));
        all.add(closed("no host", "GET / HTTP/1.1\r\n\r\n", 400));
        all.add(closed("two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400));
        all.add(closed("host with slash", "GET / HTTP/1.1\r\nHost: evil/../x\r\n\r\n", 400));
        all.add(closed("host with bad port", "GET / HTTP/1.1\r\nHost: blog:80x\r\n\r\n", 400));
        all.add(closed("content-length and chunked", "POST / HTTP/1.1\r\n" + H
                + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
        all.add(closed("chunked not last", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400));
        all.add(closed("unknown transfer coding", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip\r\n\r\n", 400));
        all.add(closed("chunked on http/1.0", "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400));
        all.add(closed("negative content length", "GET / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", 400));
        all.add(closed("non-numeric content length", "GET / HTTP/1.1\r\n" + H + "Content-Length: abc\r\n\r\n", 400));
        all.add(closed("two different content lengths", "GET / HTTP/1.1\r\n" + H + "Content-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400));
        all.add(closed("get with body", "GET / HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello", 413));
        all.add(closed("get with chunked body", "GET / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 413));
        all.add(closed("get with a large body", "GET / HTTP/1.1\r\n" + H + "Content-Length: 200000\r\n\r\n"
                + "x".repeat(200_000), 413));
        all.add(closed("post with body", "POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nhello", 405));
        all.add(closed("expect 100-continue with body", "GET / HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 10\r\n\r\n", 413));
        all.add(closed("encoded dot dot", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("raw dot dot", "GET /../../etc/passwd HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("dot dot inside", "GET /posts/../../x HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("single dot segment", "GET /./index.html HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("uppercase encoded dot dot slash", "GET /%2E%2E%2F HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("encoded nul", "GET /%00 HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("nul before extension", "GET /index.html%00.png HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("encoded newline", "GET /a%0d%0aSet-Cookie:x HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("overlong dot", "GET /%c0%ae%c0%ae/etc HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("overlong three-byte dot", "GET /%e0%80%ae%e0%80%ae/ HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("overlong slash", "GET /..%c0%af..%c0%afetc HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("invalid utf-8", "GET /%ff%fe HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("encoded surrogate", "GET /%ed%a0%80 HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("raw backslash", "GET /\\..\\windows HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("encoded backslash", "GET /%5c..%5cwindows HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("encoded slash", "GET /posts%2f..%2f HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("bad percent escape", "GET /%zz HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("truncated percent escape", "GET /% HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("fragment", "GET /#top HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("asterisk for get", "GET * HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("ftp scheme", "GET ftp://blog/ HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("empty authority", "GET http:///index.html HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("relative target", "GET index.html HTTP/1.1\r\n" + H + "\r\n", 400));
        all.add(closed("request line too long", "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n" + H + "\r\n", 414));
        all.add(closed("header too large", "GET / HTTP/1.1\r\n" + H + "X-Big: " + "b".repeat(10_000) + "\r\n\r\n", 431));
        all.add(closed("too many header fields", "GET / HTTP/1.1\r\n" + H + "X-F: 1\r\n".repeat(150) + "\r\n", 431));
        all.add(closed("http/2.0 version", "GET / HTTP/2.0\r\n" + H + "\r\n", 505));
        all.add(closed("bad version", "GET / HTTP/1.1x\r\n" + H + "\r\n", 400));
        all.add(closed("no version", "GET /\r\n" + H + "\r\n", 400));
        all.add(closed("header without colon", "GET / HTTP/1.1\r\n" + H + "NoColonHere\r\n\r\n", 400));
        all.add(closed("space before colon", "GET / HTTP/1.1\r\n" + H + "X-Smuggle : 1\r\n\r\n", 400));
        all.add(closed("transfer-encoding with space before colon", "GET / HTTP/1.1\r\n" + H
                + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n", 400));
        all.add(closed("control character in header value", "GET / HTTP/1.1\r\n" + H + "X-Nul: a\u0000b\r\n\r\n", 400));
        all.add(closed("tls client hello", "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000\u0000\u00a1\u0003\u0003" + "\u0000".repeat(32)
                + "\r\n\r\n", 400));
        return List.copyOf(all);
    }
}
