package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PostViewTest {

    @Test
    void datesReadAsTheEnglishPatternsWriteThem() {
        var human = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);
        var shortDate = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
        for (int year : new int[] {-5, 0, 1, 9, 99, 999, 1999, 2024, 2026, 9999, 10000}) {
            for (LocalDate date = LocalDate.of(year, 1, 1); date.getYear() == year; date = date.plusDays(1)) {
                assertThat(PostView.human(date)).isEqualTo(human.format(date));
                assertThat(PostView.shortDate(date)).isEqualTo(shortDate.format(date));
            }
        }
    }
}
