package morgana.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Fetches pages from a server that may still be starting. */
public final class HttpProbe {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private HttpProbe() {
    }

    public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Asks for {@code url} until it answers 200 or {@code patience} runs out; then fails with what
     * {@code diagnosis} says (a server's console, say).
     */
    public static HttpResponse<String> awaitOk(String url, Duration patience, Supplier<String> diagnosis)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(patience);
        String last = "no attempt";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = get(url);
                if (response.statusCode() == 200) {
                    return response;
                }
                last = "status " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(url + " gave no 200 within " + patience + " (last: " + last + ")\n" + diagnosis.get());
    }
}
