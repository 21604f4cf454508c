package morgana.blog.render.highlight;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A one-state regular-expression lexer in the manner of Pygments' {@code RegexLexer}: at each position the
 * first rule that matches wins; words are then looked up in the keyword and type sets. Always makes progress
 * (an unmatched character is plain text), so any input ends in linear passes, never a hang.
 */
public final class Lexer {

    /** A rule: text matching {@code regex} is of kind {@code kind}. */
    public record Rule(TokenKind kind, String regex) {}

    /** A piece of the input and what it is. */
    public record Token(TokenKind kind, String text) {}

    private final Pattern combined;
    private final List<TokenKind> kinds;
    private final Set<String> keywords;
    private final Set<String> types;
    private final Set<String> literals;

    public Lexer(List<Rule> rules, Set<String> keywords, Set<String> types, Set<String> literals) {
        var regex = new StringBuilder();
        var kinds = new ArrayList<TokenKind>();
        for (Rule rule : rules) {
            if (!regex.isEmpty()) {
                regex.append('|');
            }
            regex.append('(').append(rule.regex()).append(')');
            kinds.add(rule.kind());
        }
        // Words last: identifiers are classified by the sets below.
        regex.append("|([\\p{L}_$][\\p{L}\\p{N}_$']*)");
        this.combined = Pattern.compile(regex.toString(), Pattern.MULTILINE);
        this.kinds = List.copyOf(kinds);
        this.keywords = Set.copyOf(keywords);
        this.types = Set.copyOf(types);
        this.literals = Set.copyOf(literals);
    }

    /** Splits {@code source} into tokens whose texts, joined, are {@code source} again. */
    public List<Token> tokens(String source) {
        var tokens = new ArrayList<Token>();
        Matcher m = combined.matcher(source);
        int plainStart = 0;
        int at = 0;
        while (at < source.length()) {
            if (!m.find(at)) {
                break;
            }
            if (m.end() == m.start()) { // an empty match would never progress
                at = m.start() + 1;
                continue;
            }
            TokenKind kind = kindOf(m);
            if (kind != TokenKind.PLAIN) {
                if (m.start() > plainStart) {
                    tokens.add(new Token(TokenKind.PLAIN, source.substring(plainStart, m.start())));
                }
                tokens.add(new Token(kind, m.group()));
                plainStart = m.end();
            }
            at = m.end();
        }
        if (plainStart < source.length()) {
            tokens.add(new Token(TokenKind.PLAIN, source.substring(plainStart)));
        }
        return tokens;
    }

    private TokenKind kindOf(Matcher m) {
        for (int i = 0; i < kinds.size(); i++) {
            if (m.group(i + 1) != null) {
                return kinds.get(i);
            }
        }
        String word = m.group();
        if (keywords.contains(word)) {
            return TokenKind.KEYWORD;
        }
        if (literals.contains(word)) {
            return TokenKind.LITERAL;
        }
        if (types.contains(word)) {
            return TokenKind.TYPE;
        }
        return TokenKind.PLAIN;
    }
}
