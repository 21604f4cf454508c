package morgana.blog;

import java.util.Random;

/** Random text for the tests that compare a fast loop with the rule it replaces (a regex, the JDK's encoder ...). */
public final class RandomText {

    private RandomText() {}

    /** Up to {@code maxLength - 1} characters, each drawn from {@code alphabet}. */
    public static String of(Random random, String alphabet, int maxLength) {
        var text = new StringBuilder();
        for (int i = random.nextInt(maxLength); i > 0; i--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
