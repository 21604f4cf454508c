package morgana.e2e.http;

import java.util.List;

/**
 * Runs the {@link NastyRequest} corpus against a server and prints one line per request:
 * {@code RESULT <index> <pass|FAIL> <expected> / <actual>  <name>}, then {@code DONE <passed>/<total>}.
 * A main so that it can run inside a network namespace ({@code ip netns exec}) where a direct-mode server
 * is reachable and the test's JVM is not. Arguments: host, port, a directory path without its slash.
 */
public final class CorpusClient {

    public static void main(String[] args) throws Exception {
        List<NastyRequest> corpus = NastyRequest.corpus(args[2]);
        int passed = 0;
        for (int i = 0; i < corpus.size(); i++) {
            NastyRequest request = corpus.get(i);
            String actual;
            boolean ok;
            try {
                RawExchange.Outcome outcome = RawExchange.send(args[0], Integer.parseInt(args[1]), request);
                actual = outcome.summary();
                ok = outcome.statuses().equals(request.statuses())
                        && outcome.end() == (request.closes() ? RawExchange.End.CLOSED : RawExchange.End.OPEN);
                if (!ok) {
                    actual += " (" + outcome.firstLine() + ")";
                }
            } catch (Exception e) {
                actual = e.toString();
                ok = false;
            }
            passed += ok ? 1 : 0;
            String expected = request.statuses() + (request.closes() ? " closed" : " open");
            System.out.println("RESULT " + i + " " + (ok ? "pass" : "FAIL") + " " + expected + " / " + actual + "  " + request.name());
        }
        System.out.println("DONE " + passed + "/" + corpus.size());
    }
}
