package morgana.blog.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.v3.zstd.ZstdJavaDecompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SiteBundleTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SiteBundle sample() {
        return SiteBundle.of(List.of(
                BundleEntry.of("/index.html", ContentTypes.HTML, utf8("<h1>Home</h1>\n".repeat(50))),
                BundleEntry.of("/posts/hello/index.html", ContentTypes.HTML, utf8("<h1>Hello</h1>")),
                BundleEntry.of("/404.html", ContentTypes.HTML, utf8("<h1>Not found</h1>")),
                BundleEntry.of("/images/dot.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3})));
    }

    private static SiteBundle roundTrip(SiteBundle bundle) throws IOException {
        return SiteBundle.readFrom(new ByteArrayInputStream(bundle.toBytes()));
    }

    @Test
    void findResolvesTheRootAndDirectoriesToTheirIndex() {
        SiteBundle bundle = sample();

        assertThat(bundle.find("/")).map(BundleEntry::path).hasValue("/index.html");
        assertThat(bundle.find("/posts/hello/")).map(BundleEntry::path).hasValue("/posts/hello/index.html");
        assertThat(bundle.find("/posts/hello/index.html")).isPresent();
        assertThat(bundle.find("/posts/hello")).isEmpty();
        assertThat(bundle.find("posts/hello/")).isEmpty();
        assertThat(bundle.find("/nothing")).isEmpty();
    }

    @Test
    void notFoundPageIsThe404EntryOrABuiltInOne() {
        assertThat(new String(sample().notFoundPage().body(), StandardCharsets.UTF_8)).isEqualTo("<h1>Not found</h1>");
        SiteBundle without = SiteBundle.of(List.of(BundleEntry.of("/index.html", ContentTypes.HTML, utf8("x"))));
        assertThat(without.notFoundPage().contentType()).isEqualTo(ContentTypes.HTML);
        assertThat(new String(without.notFoundPage().body(), StandardCharsets.UTF_8)).contains("Not found");
    }

    @Test
    void etagIsTheQuotedSha256OfTheBody() {
        BundleEntry entry = BundleEntry.of("/a.txt", ContentTypes.PLAIN_TEXT, utf8("abc"));

        assertThat(entry.etag()).isEqualTo("\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"");
        assertThat(entry.gzipEtag()).isEqualTo("\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad-gzip\"");
        assertThatThrownBy(() -> new BundleEntry("/a.txt", ContentTypes.PLAIN_TEXT, utf8("abc"), null, null, "\"x\""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zstdVariantDecodesToTheBodyAndSurvivesTheBundleFile() throws IOException {
        String text = "<p>A post about TCP.</p>\n".repeat(1400);
        assertThat(text.length()).isGreaterThanOrEqualTo(BundleEntry.ZSTD_FROM);
        BundleEntry entry = BundleEntry.of("/index.html", ContentTypes.HTML, utf8(text));
        assertThat(entry.hasZstd()).isTrue();
        assertThat(entry.zstdEtag()).isEqualTo(entry.etag().replaceFirst("\"$", "-zstd\""));
        assertThat(entry.codings()).containsExactlyInAnyOrder(ContentCoding.IDENTITY, ContentCoding.GZIP, ContentCoding.ZSTD);
        byte[] zstd = entry.zstdBody();
        byte[] decoded = new byte[text.length()];
        int n = new ZstdJavaDecompressor().decompress(zstd, 0, zstd.length, decoded, 0, decoded.length);
        assertThat(new String(decoded, 0, n, StandardCharsets.UTF_8)).isEqualTo(text);

        SiteBundle bundle = SiteBundle.of(List.of(entry, BundleEntry.of("/a.png", "image/png", new byte[] {1, 2, 3})));
        SiteBundle read = SiteBundle.readFrom(new ByteArrayInputStream(bundle.toBytes()));
        assertThat(read.find("/").orElseThrow().zstdBody()).isEqualTo(zstd);
        assertThat(read.find("/a.png").orElseThrow().hasZstd()).as("not compressible").isFalse();
    }

    @Test
    void aPageBelowTheZstdSizeGetsOnlyAGzipVariant() {
        String text = "<p>A post about TCP.</p>\n".repeat(60);
        BundleEntry entry = BundleEntry.of("/index.html", ContentTypes.HTML, utf8(text));

        assertThat(entry.hasZstd()).isFalse();
        assertThat(entry.codings()).containsExactlyInAnyOrder(ContentCoding.IDENTITY, ContentCoding.GZIP);
    }

    @Test
    void aZstdVariantIsKeptOnlyWhenSmallerThanTheGzipOne() {
        byte[] four = new byte[4];
        byte[] five = new byte[5];

        assertThat(BundleEntry.smallerThan(four, five)).isSameAs(four);
        assertThat(BundleEntry.smallerThan(five, four)).isNull();
        assertThat(BundleEntry.smallerThan(four, new byte[4])).as("a tie: gzip, which every client takes").isNull();
        assertThat(BundleEntry.smallerThan(four, null)).as("no gzip variant").isSameAs(four);
        assertThat(BundleEntry.smallerThan(null, five)).isNull();
    }

    @Test
    void anEntryRefusesAZstdVariantThatIsNotAZstdFrame() {
        byte[] body = utf8("abc");
        assertThatThrownBy(() -> new BundleEntry("/a.txt", ContentTypes.PLAIN_TEXT, body, null, new byte[] {1, 2, 3, 4},
                BundleEntry.etagOf(body)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zstd variant of /a.txt is not a zstd frame");
    }

    @Test
    void gzipVariantIsKeptOnlyWhenItHelps() throws IOException {
        SiteBundle bundle = sample();
        BundleEntry index = bundle.find("/").orElseThrow();

        assertThat(index.hasGzip()).isTrue();
        assertThat(index.gzipBody().length).isLessThan(index.bodyLength());
        try (var gunzip = new GZIPInputStream(new ByteArrayInputStream(index.gzipBody()))) {
            assertThat(gunzip.readAllBytes()).isEqualTo(index.body());
        }
        assertThat(bundle.find("/posts/hello/").orElseThrow().hasGzip()).as("too small to gain").isFalse();
        assertThat(bundle.find("/images/dot.png").orElseThrow().gzipBody()).as("already compressed").isNull();
    }

    @Test
    void entriesAreImmutable() {
        byte[] body = utf8("original");
        BundleEntry entry = BundleEntry.of("/a.txt", ContentTypes.PLAIN_TEXT, body);
        body[0] = 'X';
        entry.body()[1] = 'X';

        assertThat(new String(entry.body(), StandardCharsets.UTF_8)).isEqualTo("original");
        assertThat(entry.bodyView().isReadOnly()).isTrue();
    }

    @Test
    void roundTripGivesAnEqualBundleWithTheSameHash() throws IOException {
        SiteBundle bundle = sample();
        SiteBundle read = roundTrip(bundle);

        assertThat(read).isEqualTo(bundle);
        assertThat(read.bundleHash()).isEqualTo(bundle.bundleHash()).hasSize(64);
        assertThat(read.toBytes()).isEqualTo(bundle.toBytes());
        assertThat(read.find("/").orElseThrow().etag()).isEqualTo(bundle.find("/").orElseThrow().etag());
    }

    @Test
    void roundTripsThroughAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("site.bundle");
        sample().writeTo(file);

        assertThat(SiteBundle.readFrom(file)).isEqualTo(sample());
        assertThat(Files.readAllBytes(file)).isEqualTo(sample().toBytes());
    }

    /** A file bundle is written in parts, one per core, each through its own buffer: the bytes are the stream's. */
    @Test
    void aLargeBundleWrittenInPartsIsTheSameAsTheStream(@TempDir Path dir) throws IOException {
        var random = new Random(3);
        var entries = new ArrayList<BundleEntry>();
        for (int i = 0; i < 300; i++) {
            byte[] body = new byte[i % 50 == 0 ? 700_000 : random.nextInt(9_000)];
            random.nextBytes(body);
            entries.add(BundleEntry.of("/p/" + i + "/index.html", i % 3 == 0 ? "image/png" : ContentTypes.HTML, body));
        }
        SiteBundle bundle = SiteBundle.of(entries);
        Path file = dir.resolve("site.bundle");

        bundle.writeTo(file);

        assertThat(Files.readAllBytes(file)).isEqualTo(bundle.toBytes());
        assertThat(SiteBundle.readFrom(file)).isEqualTo(bundle);
    }

    @Test
    void writingOverALongerFileLeavesOnlyTheNewBundle(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("site.bundle");
        byte[] longer = new byte[sample().toBytes().length * 3];
        Arrays.fill(longer, (byte) 0x5A);
        Files.write(file, longer);

        sample().writeTo(file);

        assertThat(Files.readAllBytes(file)).isEqualTo(sample().toBytes());
    }

    @Test
    void bytesDoNotDependOnTheOrderEntriesWereAdded() {
        List<BundleEntry> entries = new ArrayList<>(sample().entries());
        List<BundleEntry> reversed = new ArrayList<>(entries.reversed());

        assertThat(SiteBundle.of(reversed).toBytes()).isEqualTo(SiteBundle.of(entries).toBytes());
    }

    @Test
    void formatStartsWithMagicAndVersion() {
        byte[] bytes = sample().toBytes();

        assertThat(new String(bytes, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("MRGNSITE");
        assertThat(bytes[8] << 8 | bytes[9]).isEqualTo(SiteBundle.FORMAT_VERSION);
        assertThat(bytes[10] << 24 | bytes[11] << 16 | bytes[12] << 8 | bytes[13]).isEqualTo(4);
    }

    @Test
    void hashChangesWhenAnyBodyChanges() {
        SiteBundle changed = SiteBundle.of(List.of(
                BundleEntry.of("/index.html", ContentTypes.HTML, utf8("<h1>Home</h1>\n".repeat(50))),
                BundleEntry.of("/posts/hello/index.html", ContentTypes.HTML, utf8("<h1>Hello!</h1>")),
                BundleEntry.of("/404.html", ContentTypes.HTML, utf8("<h1>Not found</h1>")),
                BundleEntry.of("/images/dot.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3})));

        assertThat(changed.bundleHash()).isNotEqualTo(sample().bundleHash());
    }

    @Test
    void rejectsWrongMagicVersionTruncationAndCorruption() {
        byte[] good = sample().toBytes();

        byte[] magic = good.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> SiteBundle.readFrom(new ByteArrayInputStream(magic)))
                .isInstanceOf(BundleFormatException.class).hasMessageContaining("bad magic");

        byte[] version = good.clone();
        version[9] = 9;
        assertThatThrownBy(() -> SiteBundle.readFrom(new ByteArrayInputStream(version)))
                .hasMessageContaining("version 9 is not supported");

        byte[] truncated = Arrays.copyOf(good, good.length - 5);
        assertThatThrownBy(() -> SiteBundle.readFrom(new ByteArrayInputStream(truncated)))
                .hasMessageContaining("truncated");

        byte[] corrupt = good.clone();
        int at = indexOf(corrupt, utf8("<h1>Hello</h1>"));
        corrupt[at + 4] = 'J';
        assertThatThrownBy(() -> SiteBundle.readFrom(new ByteArrayInputStream(corrupt)))
                .isInstanceOf(BundleFormatException.class).hasMessageContaining("hash does not match");
    }

    @Test
    void rejectsAGzipVariantThatDoesNotMatchItsBody() {
        SiteBundle sample = sample();
        byte[] bytes = sample.toBytes();
        // The CRC-32 of the index's gzip variant sits 8 bytes before that variant's end.
        byte[] gzip = sample.find("/").orElseThrow().gzipBody();
        bytes[indexOf(bytes, gzip) + gzip.length - 8] ^= 1;

        assertThatThrownBy(() -> SiteBundle.readFrom(new ByteArrayInputStream(bytes)))
                .isInstanceOf(BundleFormatException.class)
                .hasMessage("gzip variant of /index.html does not match its body");
    }

    @Test
    void readsExactlyTheBundleAndLeavesTheRestOfTheStream() throws IOException {
        var out = new ByteArrayOutputStream();
        sample().writeTo(out);
        out.write(utf8("tail"));
        var in = new ByteArrayInputStream(out.toByteArray());

        assertThat(SiteBundle.readFrom(in)).isEqualTo(sample());
        assertThat(in.readAllBytes()).isEqualTo(utf8("tail"));
    }

    @Test
    void rejectsPathsThatAreNotNormalisedFiles() {
        for (String path : List.of("relative.html", "/dir/", "/a/../b", "/a//b", "/a\nb")) {
            assertThatThrownBy(() -> BundleEntry.of(path, ContentTypes.HTML, new byte[0]))
                    .as(path).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SiteBundle.of(List.of(
                BundleEntry.of("/a", ContentTypes.HTML, new byte[0]),
                BundleEntry.of("/a", ContentTypes.HTML, new byte[1])))).hasMessageContaining("two bundle entries for /a");
    }

    @Test
    void contentTypesComeFromTheExtension() {
        assertThat(ContentTypes.forPath("/a/b.HTML")).isEqualTo("text/html; charset=utf-8");
        assertThat(ContentTypes.forPath("/images/x.svg")).isEqualTo("image/svg+xml");
        assertThat(ContentTypes.forPath("/images/x.png")).isEqualTo("image/png");
        assertThat(ContentTypes.forPath("/LICENSE")).isEqualTo("application/octet-stream");
        assertThat(ContentTypes.forPath("/.hidden")).isEqualTo("application/octet-stream");
    }

    private static final long SEED = 0x4D6F7267616E61L; // "Morgana"
    private static final int TRIES = 300;
    private static final String SEGMENT_CHARS = "abcxyz-_.é0123456789";
    private static final List<String> TYPES = List.of(ContentTypes.HTML, ContentTypes.CSS, "image/png", "image/svg+xml");

    @ParameterizedTest
    @MethodSource("bundles")
    void anyBundleSurvivesWriteAndRead(SiteBundle bundle) throws IOException {
        SiteBundle read = roundTrip(bundle);

        assertThat(read).isEqualTo(bundle);
        assertThat(read.bundleHash()).isEqualTo(bundle.bundleHash());
        assertThat(read.toBytes()).isEqualTo(bundle.toBytes());
    }

    /**
     * Edge bundles (empty; one empty body; a file beside a directory of the same stem; the longest paths, bodies
     * and entry count; a body gzip shrinks), then seeded random ones.
     */
    static Stream<SiteBundle> bundles() {
        Random r = new Random(SEED);
        byte[] longestBytes = new byte[300];
        r.nextBytes(longestBytes);
        String longestPath = "/" + String.join("/", List.of("é".repeat(8), "-_.-_.-_", "99999999", "..a"));
        List<BundleEntry> twelve = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            twelve.add(BundleEntry.of("/" + i + "/f" + SEGMENT_CHARS.charAt(i), TYPES.get(i % TYPES.size()),
                    i % 2 == 0 ? new byte[i] : utf8("é<".repeat(i * 30))));
        }
        List<SiteBundle> edges = List.of(
                SiteBundle.of(List.of()),
                SiteBundle.of(List.of(BundleEntry.of("/a", ContentTypes.HTML, new byte[0]))),
                SiteBundle.of(List.of(BundleEntry.of("/a", ContentTypes.CSS, utf8("a")),
                        BundleEntry.of("/a/a", "image/png", new byte[] {0}))),
                SiteBundle.of(List.of(BundleEntry.of(longestPath, "image/svg+xml", longestBytes))),
                SiteBundle.of(List.of(BundleEntry.of("/x", ContentTypes.HTML, utf8("x".repeat(400).repeat(3))))),
                SiteBundle.of(twelve));
        return Stream.concat(edges.stream(), IntStream.range(0, TRIES).mapToObj(i -> randomBundle(r)));
    }

    /** Up to 12 entries with distinct paths of 1 to 4 segments, a content type, and a binary or text body. */
    private static SiteBundle randomBundle(Random r) {
        Map<String, BundleEntry> byPath = new LinkedHashMap<>();
        int size = r.nextInt(13);
        while (byPath.size() < size) {
            String path = randomPath(r);
            byPath.putIfAbsent(path, BundleEntry.of(path, TYPES.get(r.nextInt(TYPES.size())), randomBody(r)));
        }
        return SiteBundle.of(byPath.values());
    }

    private static String randomPath(Random r) {
        List<String> segments = new ArrayList<>();
        int count = 1 + r.nextInt(4);
        while (segments.size() < count) {
            String segment = randomString(r, SEGMENT_CHARS, 1 + r.nextInt(8));
            if (!segment.equals(".") && !segment.equals("..")) {
                segments.add(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    /** Half the time up to 300 random bytes; otherwise a text of up to 400 characters three times over. */
    private static byte[] randomBody(Random r) {
        if (r.nextBoolean()) {
            byte[] body = new byte[r.nextInt(301)];
            r.nextBytes(body);
            return body;
        }
        return utf8(randomText(r, r.nextInt(401)).repeat(3));
    }

    /** Characters from anywhere in the BMP, surrogates included, or from ASCII. */
    private static String randomText(Random r, int length) {
        var out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(r.nextBoolean() ? (char) r.nextInt(0x10000) : (char) r.nextInt(0x80));
        }
        return out.toString();
    }

    private static String randomString(Random r, String chars, int length) {
        var out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(chars.charAt(r.nextInt(chars.length())));
        }
        return out.toString();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
