package morgana.blog.site;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A post's date as an instant plus the zone it was written in, so that pages can show the author's calendar
 * date while feeds and ordering use the instant. Accepts what Morgana, Jekyll and Hugo authors write:
 * <ul>
 *   <li>{@code 2026-03-14} (midnight in the site's zone)</li>
 *   <li>{@code 2026-03-14T09:30:00Z}, {@code 2026-03-14T09:30:00+01:00} (RFC 3339)</li>
 *   <li>{@code 2026-03-14T09:30:00} or {@code 2026-03-14 09:30} (the site's zone)</li>
 *   <li>{@code 2026-03-14 09:30:00 +0100} (Jekyll's own format)</li>
 *   <li>{@code 2026-03-14T09:30:00+01:00[Europe/Paris]} (a named zone)</li>
 * </ul>
 */
public record PostDate(Instant instant, ZonedDateTime local) {

    private static final Pattern JEKYLL = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[ T](\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)\\s*([+-]\\d{2}:?\\d{2}|Z|UTC|GMT)?");
    private static final DateTimeFormatter OFFSET_NO_COLON = DateTimeFormatter.ofPattern("xx");

    public static final String EXPECTED = "YYYY-MM-DD or an ISO date-time such as 2026-03-14T09:30:00Z";

    public LocalDate date() {
        return local.toLocalDate();
    }

    /** Parses {@code text}; a date or time without offset is read in {@code zone}. Empty when it is none of the forms. */
    public static Optional<PostDate> parse(String text, ZoneId zone) {
        String s = text.strip();
        try {
            if (s.length() == 10) {
                return Optional.of(of(LocalDate.parse(s).atStartOfDay(zone)));
            }
            if (s.endsWith("]")) {
                return Optional.of(of(ZonedDateTime.parse(s)));
            }
            OffsetDateTime utc = utcSeconds(s);
            if (utc != null) {
                return Optional.of(of(utc.atZoneSameInstant(zone)));
            }
            try {
                return Optional.of(of(OffsetDateTime.parse(s).atZoneSameInstant(zone)));
            } catch (DateTimeParseException notRfc3339) {
                // one of the looser forms below
            }
            Matcher m = JEKYLL.matcher(s);
            if (!m.matches()) {
                return Optional.empty();
            }
            String time = m.group(2).length() == 4 ? "0" + m.group(2) : m.group(2);
            LocalDateTime dateTime = LocalDateTime.parse(m.group(1) + "T" + time);
            String offset = m.group(3);
            if (offset == null) {
                return Optional.of(of(dateTime.atZone(zone)));
            }
            ZoneId given = switch (offset) {
                case "Z", "UTC", "GMT" -> java.time.ZoneOffset.UTC;
                default -> java.time.ZoneOffset.from(OFFSET_NO_COLON.parse(offset.replace(":", "")));
            };
            return Optional.of(of(dateTime.atZone(given)));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code 2026-03-14T09:30:00Z}, the form most front matter has, read by hand: what {@link OffsetDateTime#parse}
     * gives for it (and the same exception for a date that does not exist), at a tenth of the cost. Null for any
     * other form.
     */
    private static OffsetDateTime utcSeconds(String s) {
        if (s.length() != 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != 'Z') {
            return null;
        }
        int[] fields = new int[6];
        int[] starts = {0, 5, 8, 11, 14, 17};
        for (int f = 0; f < fields.length; f++) {
            int width = f == 0 ? 4 : 2;
            for (int i = starts[f]; i < starts[f] + width; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    return null;
                }
                fields[f] = fields[f] * 10 + (c - '0');
            }
        }
        return OffsetDateTime.of(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], 0,
                java.time.ZoneOffset.UTC);
    }

    public static PostDate of(ZonedDateTime dateTime) {
        return new PostDate(dateTime.toInstant(), dateTime);
    }
}
