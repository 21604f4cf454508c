package morgana.blog.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PostDateTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** The hand-read UTC form must give what the JDK's RFC 3339 parser gives, in the site's zone. */
    @Test
    void utcTimesAreReadAsTheJdkReadsThem() {
        var random = new Random(9);
        for (int i = 0; i < 2000; i++) {
            String text = "%04d-%02d-%02dT%02d:%02d:%02dZ".formatted(1970 + random.nextInt(100), 1 + random.nextInt(12),
                    1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60));
            PostDate date = PostDate.parse(text, PARIS).orElseThrow();
            assertThat(date.local()).as(text).isEqualTo(OffsetDateTime.parse(text).atZoneSameInstant(PARIS));
            assertThat(date.instant()).isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
    }

    @Test
    void datesThatDoNotExistAreNoDates() {
        assertThat(PostDate.parse("2026-02-30T10:00:00Z", PARIS)).isEmpty();
        assertThat(PostDate.parse("2026-13-01T10:00:00Z", PARIS)).isEmpty();
        assertThat(PostDate.parse("2026-03-01T24:00:00Z", PARIS)).isEmpty();
        assertThat(PostDate.parse("2026-03-01T10:60:00Z", PARIS)).isEmpty();
    }

    @Test
    void theOtherFormsStillParse() {
        assertThat(PostDate.parse("2026-03-14", PARIS).orElseThrow().local().toString()).isEqualTo("2026-03-14T00:00+01:00[Europe/Paris]");
        assertThat(PostDate.parse("2026-03-14t09:30:00z", PARIS).orElseThrow().instant().toString()).isEqualTo("2026-03-14T09:30:00Z");
        assertThat(PostDate.parse("2026-03-14T09:30:00.5Z", PARIS).orElseThrow().instant().toString()).isEqualTo("2026-03-14T09:30:00.500Z");
        assertThat(PostDate.parse("2026-03-14 09:30:00 +0100", PARIS).orElseThrow().instant().toString()).isEqualTo("2026-03-14T08:30:00Z");
        assertThat(PostDate.parse("2026-03-14T09:30:00+02:00", PARIS).orElseThrow().instant().toString()).isEqualTo("2026-03-14T07:30:00Z");
    }
}
