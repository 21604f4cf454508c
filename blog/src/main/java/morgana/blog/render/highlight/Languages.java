package morgana.blog.render.highlight;

import static morgana.blog.render.highlight.TokenKind.ANNOTATION;
import static morgana.blog.render.highlight.TokenKind.COMMENT;
import static morgana.blog.render.highlight.TokenKind.KEY;
import static morgana.blog.render.highlight.TokenKind.KEYWORD;
import static morgana.blog.render.highlight.TokenKind.LITERAL;
import static morgana.blog.render.highlight.TokenKind.NUMBER;
import static morgana.blog.render.highlight.TokenKind.STRING;
import static morgana.blog.render.highlight.TokenKind.TYPE;
import static morgana.blog.render.highlight.TokenKind.VARIABLE;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import morgana.blog.render.highlight.Lexer.Rule;

/**
 * The lexers Morgana ships, by the names authors put after a code fence (and Jekyll's {@code highlight} tag).
 * Small on purpose: comments, strings, numbers, keywords and types are what a reader's eye needs.
 */
public final class Languages {

    private static final String DOUBLE_QUOTED = "\"(?:[^\"\\\\\\n]|\\\\.)*\"";
    private static final String SINGLE_QUOTED = "'(?:[^'\\\\\\n]|\\\\.)*'";
    private static final String C_NUMBER = "\\b(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|\\d[\\d_]*(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)[lLfFdDuU]*\\b";

    private static final Lexer JAVA = new Lexer(List.of(
            new Rule(COMMENT, "//[^\\n]*|/\\*[\\s\\S]*?(?:\\*/|\\z)"),
            new Rule(STRING, "\"\"\"[\\s\\S]*?(?:\"\"\"|\\z)|" + DOUBLE_QUOTED + "|" + SINGLE_QUOTED),
            new Rule(ANNOTATION, "@[A-Za-z_][\\w.]*"),
            new Rule(NUMBER, C_NUMBER)),
            Set.of("abstract", "assert", "break", "case", "catch", "class", "const", "continue", "default", "do",
                    "else", "enum", "extends", "final", "finally", "for", "goto", "if", "implements", "import",
                    "instanceof", "interface", "native", "new", "package", "private", "protected", "public", "return",
                    "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient",
                    "try", "volatile", "while", "var", "record", "sealed", "permits", "non-sealed", "yield", "when"),
            Set.of("boolean", "byte", "char", "double", "float", "int", "long", "short", "void", "String", "Object",
                    "Integer", "Long", "List", "Map", "Set", "Optional"),
            Set.of("true", "false", "null"));

    private static final Lexer C = new Lexer(List.of(
            new Rule(COMMENT, "//[^\\n]*|/\\*[\\s\\S]*?(?:\\*/|\\z)"),
            new Rule(ANNOTATION, "^[ \\t]*#[ \\t]*[a-z]+"),
            new Rule(STRING, DOUBLE_QUOTED + "|" + SINGLE_QUOTED + "|<[\\w./]+\\.h>"),
            new Rule(NUMBER, C_NUMBER)),
            Set.of("auto", "break", "case", "const", "continue", "default", "do", "else", "enum", "extern", "for",
                    "goto", "if", "inline", "register", "restrict", "return", "sizeof", "static", "struct", "switch",
                    "typedef", "union", "volatile", "while", "_Static_assert", "_Alignof", "_Noreturn"),
            Set.of("char", "double", "float", "int", "long", "short", "signed", "unsigned", "void", "size_t",
                    "ssize_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int8_t", "int16_t", "int32_t",
                    "int64_t", "bool", "FILE"),
            Set.of("NULL", "true", "false"));

    private static final Lexer OCAML = new Lexer(List.of(
            new Rule(COMMENT, "\\(\\*[\\s\\S]*?(?:\\*\\)|\\z)"),
            new Rule(STRING, DOUBLE_QUOTED + "|'(?:[^'\\\\\\n]|\\\\[^\\n]{1,3})'"),
            new Rule(NUMBER, "\\b\\d[\\d_]*(?:\\.\\d*)?(?:[eE][+-]?\\d+)?[lLn]?\\b|\\b0[xX][0-9a-fA-F_]+\\b"),
            new Rule(TYPE, "\\b[A-Z][\\w']*")),
            Set.of("and", "as", "assert", "begin", "class", "constraint", "do", "done", "downto", "else", "end",
                    "exception", "external", "for", "fun", "function", "functor", "if", "in", "include", "inherit",
                    "lazy", "let", "match", "method", "module", "mutable", "new", "of", "open", "or", "private",
                    "rec", "sig", "struct", "then", "to", "try", "type", "val", "virtual", "when", "while", "with"),
            Set.of("int", "float", "string", "bool", "char", "unit", "list", "option", "array", "bytes", "int32",
                    "int64", "ref"),
            Set.of("true", "false"));

    private static final Lexer PYTHON = new Lexer(List.of(
            new Rule(COMMENT, "#[^\\n]*"),
            new Rule(STRING, "[rbfuRBFU]{0,2}(?:\"\"\"[\\s\\S]*?(?:\"\"\"|\\z)|'''[\\s\\S]*?(?:'''|\\z)|"
                    + DOUBLE_QUOTED + "|" + SINGLE_QUOTED + ")"),
            new Rule(ANNOTATION, "@[A-Za-z_][\\w.]*"),
            new Rule(NUMBER, "\\b(?:0[xXoObB][0-9a-fA-F_]+|\\d[\\d_]*(?:\\.\\d+)?(?:[eE][+-]?\\d+)?j?)\\b")),
            Set.of("and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
                    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
                    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match",
                    "case"),
            Set.of("int", "float", "str", "bytes", "bool", "list", "dict", "set", "tuple", "object", "print",
                    "len", "range", "self"),
            Set.of("True", "False", "None"));

    private static final Lexer SHELL = new Lexer(List.of(
            new Rule(COMMENT, "(?<![\\w$])#[^\\n]*"),
            new Rule(STRING, DOUBLE_QUOTED + "|'[^']*'?"),
            new Rule(VARIABLE, "\\$(?:\\{[^}\\n]*\\}?|[A-Za-z_]\\w*|[0-9@#?$!*-])"),
            new Rule(NUMBER, "\\b\\d+\\b"),
            new Rule(KEY, "(?<=\\s)--?[A-Za-z][\\w-]*")),
            Set.of("if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in",
                    "function", "select", "return", "exit", "export", "local", "readonly", "set", "unset", "source",
                    "shift", "trap", "cd", "echo", "exec", "eval", "sudo"),
            Set.of(),
            Set.of("true", "false"));

    private static final Lexer JSON = new Lexer(List.of(
            new Rule(KEY, DOUBLE_QUOTED + "(?=\\s*:)"),
            new Rule(STRING, DOUBLE_QUOTED),
            new Rule(NUMBER, "-?\\b\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?\\b")),
            Set.of(), Set.of(), Set.of("true", "false", "null"));

    private static final Lexer YAML = new Lexer(List.of(
            new Rule(COMMENT, "(?<![^\\s])#[^\\n]*"),
            new Rule(KEYWORD, "^(?:---|\\.\\.\\.)[ \\t]*$"),
            new Rule(KEY, "(?:^|(?<=[\\s{,-]))[\\w./-][\\w ./-]*?(?=:(?:\\s|$))|" + DOUBLE_QUOTED + "(?=\\s*:)"),
            new Rule(STRING, DOUBLE_QUOTED + "|'(?:[^'\\n]|'')*'"),
            new Rule(ANNOTATION, "[&*][\\w-]+|![\\w!/.-]*"),
            new Rule(NUMBER, "(?<=[\\s:\\[,-])[-+]?\\d[\\d_]*(?:\\.\\d+)?(?:[eE][+-]?\\d+)?(?=\\s*(?:$|[,\\]}#]))")),
            Set.of(), Set.of(), Set.of("true", "false", "null", "yes", "no", "on", "off", "~"));

    private static final Map<String, Lexer> BY_NAME = Map.ofEntries(
            Map.entry("java", JAVA),
            Map.entry("c", C), Map.entry("h", C),
            Map.entry("ocaml", OCAML), Map.entry("ml", OCAML), Map.entry("mli", OCAML),
            Map.entry("python", PYTHON), Map.entry("py", PYTHON), Map.entry("python3", PYTHON),
            Map.entry("shell", SHELL), Map.entry("sh", SHELL), Map.entry("bash", SHELL), Map.entry("zsh", SHELL),
            Map.entry("console", SHELL), Map.entry("shell-session", SHELL),
            Map.entry("json", JSON), Map.entry("jsonc", JSON),
            Map.entry("yaml", YAML), Map.entry("yml", YAML));

    private Languages() {}

    /** The lexer for a fence's info string ({@code java}, {@code sh}, {@code yml} ...), if Morgana has one. */
    public static Optional<Lexer> forName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.strip().toLowerCase(Locale.ROOT)));
    }
}
