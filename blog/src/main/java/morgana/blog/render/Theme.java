package morgana.blog.render;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.loader.DelegatingLoader;
import io.pebbletemplates.pebble.loader.FileLoader;
import io.pebbletemplates.pebble.loader.Loader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import morgana.blog.site.SiteException;

/**
 * The templates pages are rendered with: Pebble (Twig/Jinja syntax, which Jekyll's Liquid and Hugo users read
 * at sight), with auto-escaping on, so a title like {@code Tables & <options>} can never become markup; only
 * values the code marks as {@link io.pebbletemplates.pebble.extension.escaper.SafeString} (rendered Markdown)
 * are inserted as they are. A site overrides any template, or the stylesheet, by putting a file of the same
 * name in its {@code layouts/} (or {@code templates/}) folder; the rest come from the default theme. While a site
 * overrides none of the default templates, they are rendered by {@link DefaultTheme}, their Java equivalent.
 * Templates are parsed once and shared by every rendering thread.
 */
public final class Theme {

    static final String RESOURCE_DIR = "morgana/blog/theme/";
    public static final String STYLESHEET = "style.css";
    /**
     * The default theme's templates, which {@link DefaultTheme} renders in Java: a site that has its own of any of
     * them is rendered by Pebble throughout.
     */
    public static final List<String> DEFAULT_TEMPLATES = List.of("404.html", "archive.html", "base.html", "index.html",
            "page.html", "post-list.html", "post.html", "taxonomy.html", "terms.html");
    /** Each rendering thread's writer, its array grown to the largest page it wrote. */
    private static final ThreadLocal<Utf8Writer> WRITERS = ThreadLocal.withInitial(() -> new Utf8Writer(16 << 10));

    private final List<Path> overrideDirs;
    /**
     * Made when a page first needs Pebble (not at all while {@link DefaultTheme} renders every page: making it
     * was ten milliseconds at the start of every build).
     */
    private PebbleEngine engine;
    private final Map<String, Boolean> existence = new ConcurrentHashMap<>();
    /** Whether the default theme's pages come from {@link DefaultTheme}: when the site overrides none of them. */
    private final boolean compiled;

    private Theme(List<Path> overrideDirs) {
        this.overrideDirs = List.copyOf(overrideDirs);
        this.compiled = DEFAULT_TEMPLATES.stream().allMatch(name -> overrideOf(name) == null);
    }

    private synchronized PebbleEngine engine() {
        if (engine == null) {
            engine = newEngine(overrideDirs);
        }
        return engine;
    }

    private static PebbleEngine newEngine(List<Path> overrideDirs) {
        var loaders = new ArrayList<Loader<?>>();
        for (Path dir : overrideDirs) {
            var files = new FileLoader();
            files.setPrefix(dir.toAbsolutePath().toString());
            loaders.add(files);
        }
        var classpath = new ClasspathLoader(Theme.class.getClassLoader());
        classpath.setPrefix(RESOURCE_DIR);
        loaders.add(classpath);
        return new PebbleEngine.Builder()
                .loader(new DelegatingLoader(loaders))
                .autoEscaping(true)
                .addEscapingStrategy("html", Html::escape) // the same text as Pebble's, faster where nothing changes
                .strictVariables(false) // an override may ask for post.params.x that only some posts set
                .build();
    }

    /** Whether this theme's default templates are rendered by {@link DefaultTheme} (the site overrides none of them). */
    public boolean rendersDefaultTemplatesInJava() {
        return compiled;
    }

    /** The default theme alone. */
    public static Theme defaultTheme() {
        return new Theme(List.of());
    }

    /** The default theme with the templates found in these folders (the first that has a name wins). */
    public static Theme withOverrides(List<Path> dirs) {
        return new Theme(dirs.stream().filter(Files::isDirectory).toList());
    }

    /** Whether a template of this name exists, in an override folder or in the default theme. */
    public boolean has(String name) {
        return existence.computeIfAbsent(name, n -> overrideOf(n) != null
                || Theme.class.getClassLoader().getResource(RESOURCE_DIR + n) != null);
    }

    /**
     * Renders template {@code name} with {@code context}, as the UTF-8 bytes a page is served as: written so
     * as the template runs, into an array this thread keeps for the next page.
     *
     * @throws SiteException naming the template file and line when it cannot be parsed or evaluated
     */
    public byte[] renderUtf8(String name, Map<String, Object> context) throws SiteException {
        Utf8Writer out = WRITERS.get();
        out.reset();
        if (compiled && DefaultTheme.render(name, context, out)) {
            return out.toByteArray();
        }
        out.reset();
        try {
            engine().getTemplate(name).evaluate(out, context);
            return out.toByteArray();
        } catch (PebbleException e) {
            Path file = overrideOf(e.getFileName() == null ? name : e.getFileName());
            Path shown = file != null ? file : Path.of("(default theme) " + (e.getFileName() == null ? name : e.getFileName()));
            int line = e.getLineNumber() == null ? 0 : e.getLineNumber();
            throw new SiteException(shown, line, "template error: " + e.getPebbleMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of the theme as bytes (the stylesheet): the site's override when there is one. */
    public byte[] asset(String name) {
        Path file = overrideOf(name);
        try {
            if (file != null) {
                return Files.readAllBytes(file);
            }
            try (InputStream in = Theme.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("theme resource missing: " + name);
                }
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String assetText(String name) {
        return new String(asset(name), StandardCharsets.UTF_8);
    }

    private Path overrideOf(String name) {
        for (Path dir : overrideDirs) {
            Path file = dir.resolve(name).normalize();
            if (file.startsWith(dir) && Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }
}
