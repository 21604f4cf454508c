package morgana.blog.site;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import morgana.blog.bundle.SiteBundle;

/**
 * The incremental rebuild of {@code scripts/bench build}, timed as {@code morgana serve --watch} lives it: one
 * {@link SiteBuilder} builds the site cold, then one post is edited and the site rebuilt, several times. Each
 * rebuild is timed to the new bundle in memory (what serve swaps in) and to the bundle file written (what
 * {@code morgana build} leaves). The edit must show on the post's page, or the run fails.
 *
 * <p>{@code java ... morgana.blog.site.RebuildTiming SITE POST-FILE POST-URL BUNDLE-FILE [EDITS]}; prints one
 * line: {@code cold-ms first-memory-ms first-file-ms median-memory-ms median-file-ms edits}. With
 * {@code -Dmorgana.progress=true} each build's phases and their times go to standard error.
 */
public final class RebuildTiming {

    private RebuildTiming() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: RebuildTiming SITE POST-FILE POST-URL BUNDLE-FILE [EDITS]");
            System.exit(2);
        }
        Path site = Path.of(args[0]);
        Path post = site.resolve(args[1]);
        String page = args[2].endsWith("/") ? args[2] + "index.html" : args[2];
        Path bundleFile = Path.of(args[3]);
        int edits = args.length > 4 ? Integer.parseInt(args[4]) : 5;

        var builder = new SiteBuilder(site, BuildOptions.publishing(Instant.now()));
        if (Boolean.getBoolean("morgana.progress")) {
            builder.onProgress(line -> System.err.println("progress: " + line));
        }
        long start = System.nanoTime();
        builder.build().bundle().writeTo(bundleFile);
        long coldMs = millisSince(start);

        List<Long> memory = new ArrayList<>();
        List<Long> file = new ArrayList<>();
        for (int edit = 1; edit <= edits; edit++) {
            String marker = "Edited for the benchmark, pass " + edit + ".";
            Files.writeString(post, "\n" + marker + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            start = System.nanoTime();
            SiteBundle bundle = builder.build().bundle();
            memory.add(millisSince(start));
            bundle.writeTo(bundleFile);
            file.add(millisSince(start));
            String html = new String(bundle.find(page).orElseThrow(
                    () -> new IllegalStateException("no " + page + " in the rebuilt bundle")).body(), StandardCharsets.UTF_8);
            if (!html.contains(marker)) {
                throw new IllegalStateException(page + " does not show edit " + edit + " after the rebuild");
            }
        }
        System.out.printf("%d %d %d %d %d %d%n", coldMs, memory.getFirst(), file.getFirst(), median(memory),
                median(file), edits);
    }


    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
