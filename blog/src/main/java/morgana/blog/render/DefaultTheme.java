package morgana.blog.render;

import io.pebbletemplates.pebble.extension.escaper.SafeString;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The default theme's templates written out in Java: the same bytes as Pebble gives for them, made without
 * interpreting a template (a tenth of a large build's time went to Pebble walking its node tree, resolving
 * attributes by reflection and escaping through filters). The templates in {@code theme/} stay the definition
 * users read and override: a site with any template of its own is rendered by Pebble throughout, and a test
 * builds sites both ways and compares every page ({@code DefaultThemeTest}).
 *
 * <p>Each method follows its template line by line. What Pebble does that matters here: {@code {{ x }}} writes
 * nothing for null, a {@link SafeString} as it is and anything else escaped ({@link Html#escape}); a newline right
 * after a tag, {@code {% ... %}} or {@code {{ ... }}}, is dropped; {@code is empty} holds for null, blank text and
 * empty collections.
 */
final class DefaultTheme {

    private DefaultTheme() {}

    /**
     * Writes template {@code name} with {@code context} into {@code out}, or answers false (writing nothing) when
     * this is not a template, or not a set of values, that it renders: Pebble renders those.
     */
    static boolean render(String name, Map<String, Object> context, Utf8Writer out) {
        if (!(context.get("site") instanceof Map<?, ?> site) || !(context.get("page") instanceof Map<?, ?> page)) {
            return false;
        }
        switch (name) {
            case "post.html" -> {
                if (!(context.get("post") instanceof PostView post)) {
                    return false;
                }
                base(site, page, out, () -> post(post, out));
            }
            case "page.html" -> {
                if (!(context.get("post") instanceof PostView post)) {
                    return false;
                }
                base(site, page, out, () -> standalonePage(post, out));
            }
            case "index.html" -> {
                if (!(context.get("posts") instanceof List<?> posts && allPostViews(posts))
                        || !(context.get("pagination") instanceof Map<?, ?> pagination)) {
                    return false;
                }
                base(site, page, out, () -> index(site, pagination, posts, out));
            }
            case "taxonomy.html" -> {
                if (!(context.get("posts") instanceof List<?> posts && allPostViews(posts))
                        || !(context.get("term") instanceof Map<?, ?> term)) {
                    return false;
                }
                base(site, page, out, () -> taxonomy(term, posts, out));
            }
            case "terms.html" -> {
                if (!(context.get("terms") instanceof List<?> terms && allMaps(terms))) {
                    return false;
                }
                base(site, page, out, () -> terms(page, terms, out));
            }
            case "archive.html" -> {
                if (!(context.get("years") instanceof List<?> years && allMaps(years))) {
                    return false;
                }
                for (Object year : years) {
                    if (!(((Map<?, ?>) year).get("posts") instanceof List<?> posts && allPostViews(posts))) {
                        return false;
                    }
                }
                base(site, page, out, () -> archive(page, years, out));
            }
            case "404.html" -> base(site, page, out, () -> notFound(out));
            default -> {
                return false;
            }
        }
        return true;
    }

    /** base.html, with the content block filled by {@code content} (the head block is empty). */
    private static void base(Map<?, ?> site, Map<?, ?> page, Utf8Writer out, Runnable content) {
        out.append("<!doctype html>\n<html lang=\"");
        print(site.get("language"), out);
        out.append("\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<meta name=\"color-scheme\" content=\"light dark\">\n<title>");
        print(page.get("title"), out);
        out.append("</title>\n<meta name=\"description\" content=\"");
        print(page.get("description"), out);
        out.append("\">\n<link rel=\"canonical\" href=\"");
        print(page.get("canonicalUrl"), out);
        out.append("\">\n<link rel=\"stylesheet\" href=\"");
        print(site.get("stylesheet"), out);
        out.append("\">\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"");
        print(site.get("title"), out);
        out.append("\" href=\"");
        print(site.get("feedPath"), out);
        out.append("\">\n</head>\n<body>\n<a class=\"skip-link\" href=\"#content\">Skip to content</a>\n"
                + "<header class=\"site-header\">\n<a class=\"site-title\" href=\"/\">");
        print(site.get("title"), out);
        out.append("</a>\n<nav class=\"site-nav\" aria-label=\"Site\">\n<ul>\n"
                + "<li><a href=\"/archives/\">Archives</a></li>\n<li><a href=\"/tags/\">Tags</a></li>\n"
                + "<li><a href=\"");
        print(site.get("feedPath"), out);
        out.append("\">Feed</a></li>\n</ul>\n</nav>\n</header>\n<main id=\"content\">\n");
        content.run();
        out.append("</main>\n<footer class=\"site-footer\">\n<p>");
        if (isEmpty(site.get("author"))) {
            print(site.get("title"), out);
        } else {
            out.append("&copy; ");
            print(site.get("author"), out);
        }
        out.append(" · served by Morgana</p>\n</footer>\n");
        if (Boolean.TRUE.equals(site.get("liveReload"))) {
            out.append("<script src=\"/_morgana/reload.js\"></script>\n");
        }
        out.append("</body>\n</html>\n");
    }

    /** post.html's content block. */
    private static void post(PostView post, Utf8Writer out) {
        out.append("<article class=\"post\">\n<header>\n<h1>");
        print(post.title(), out);
        out.append("</h1>\n<p class=\"meta\"><time datetime=\"");
        print(post.isoDate(), out);
        out.append("\">");
        print(post.humanDate(), out);
        out.append("</time>");
        if (!isEmpty(post.updatedIso())) {
            out.append(" · updated <time datetime=\"");
            print(post.updatedIso(), out);
            out.append("\">");
            print(post.updatedHuman(), out);
            out.append("</time>");
        }
        out.append(" · ");
        print(post.readingMinutes(), out);
        out.append(" min read</p>\n");
        if (!isEmpty(post.categories())) {
            out.append("<p class=\"categories\">In ");
            for (int i = 0; i < post.categories().size(); i++) {
                PostView.TermLink c = post.categories().get(i);
                out.append("<a href=\"");
                print(c.url(), out);
                out.append("\">");
                print(c.name(), out);
                out.append("</a>");
                if (i + 1 < post.categories().size()) {
                    out.append(", ");
                }
            }
            out.append("</p>");
        }
        out.append("</header>\n");
        if (post.toc() != null && post.toc().size() > 2) {
            out.append("<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n");
            for (MarkdownRenderer.TocEntry h : post.toc()) {
                out.append("<li class=\"toc-");
                print(h.level(), out);
                out.append("\"><a href=\"#");
                print(h.id(), out);
                out.append("\">");
                print(h.text(), out);
                out.append("</a></li>\n");
            }
            out.append("</ol>\n</nav>\n");
        }
        out.append("<div class=\"post-body\">\n");
        print(post.content(), out);
        out.append("</div>\n<footer>\n");
        if (!isEmpty(post.tags())) {
            out.append("<ul class=\"tags\" aria-label=\"Tags\">");
            for (PostView.TermLink t : post.tags()) {
                out.append("<li><a href=\"");
                print(t.url(), out);
                out.append("\">");
                print(t.name(), out);
                out.append("</a></li>");
            }
            out.append("</ul>");
        }
        out.append("</footer>\n</article>\n<nav class=\"post-nav\" aria-label=\"More posts\">\n");
        if (post.newer() != null) {
            out.append("<a rel=\"next\" href=\"");
            print(post.newer().url(), out);
            out.append("\">&larr; ");
            print(post.newer().title(), out);
            out.append("</a>");
        }
        if (post.older() != null) {
            out.append("<a rel=\"prev\" href=\"");
            print(post.older().url(), out);
            out.append("\">");
            print(post.older().title(), out);
            out.append(" &rarr;</a>");
        }
        out.append("</nav>\n");
    }

    /** page.html's content block. */
    private static void standalonePage(PostView post, Utf8Writer out) {
        out.append("<article class=\"page\">\n<h1>");
        print(post.title(), out);
        out.append("</h1>\n<div class=\"post-body\">\n");
        print(post.content(), out);
        out.append("</div>\n</article>\n");
    }

    /** index.html's content block, with post-list.html included. */
    private static void index(Map<?, ?> site, Map<?, ?> pagination, List<?> posts, Utf8Writer out) {
        if (Integer.valueOf(1).equals(pagination.get("number")) && !isEmpty(site.get("description"))) {
            out.append("<p class=\"intro\">");
            print(site.get("description"), out);
            out.append("</p>\n");
        }
        postList(posts, out);
        if (pagination.get("total") instanceof Integer total && total > 1) {
            out.append("<nav class=\"pagination\" aria-label=\"Pagination\">\n");
            if (!isEmpty(pagination.get("previousUrl"))) {
                out.append("<a rel=\"prev\" href=\"");
                print(pagination.get("previousUrl"), out);
                out.append("\">&larr; Newer posts</a>");
            }
            out.append("<span>Page ");
            print(pagination.get("number"), out);
            out.append(" of ");
            print(pagination.get("total"), out);
            out.append("</span>\n");
            if (!isEmpty(pagination.get("nextUrl"))) {
                out.append("<a rel=\"next\" href=\"");
                print(pagination.get("nextUrl"), out);
                out.append("\">Older posts &rarr;</a>");
            }
            out.append("</nav>\n");
        }
    }

    /** post-list.html. */
    private static void postList(List<?> posts, Utf8Writer out) {
        out.append("<ol class=\"post-list\">\n");
        for (Object each : posts) {
            PostView item = (PostView) each;
            out.append("<li class=\"post-item\">\n<article>\n<h2><a href=\"");
            print(item.url(), out);
            out.append("\">");
            print(item.title(), out);
            out.append("</a></h2>\n<p class=\"meta\"><time datetime=\"");
            print(item.isoDate(), out);
            out.append("\">");
            print(item.humanDate(), out);
            out.append("</time> · ");
            print(item.readingMinutes(), out);
            out.append(" min read</p>\n<div class=\"summary\">");
            print(item.summary(), out);
            out.append("</div>\n</article>\n</li>\n");
        }
        if (posts.isEmpty()) {
            out.append("<li class=\"post-item\">No posts yet.</li>\n");
        }
        out.append("</ol>\n");
    }

    /** taxonomy.html's content block. */
    private static void taxonomy(Map<?, ?> term, List<?> posts, Utf8Writer out) {
        out.append("<h1>");
        print(term.get("kindLabel"), out);
        out.append(": ");
        print(term.get("name"), out);
        out.append("</h1>\n<p class=\"meta\">");
        print(term.get("count"), out);
        out.append(" post");
        if (!Integer.valueOf(1).equals(term.get("count"))) {
            out.append("s");
        }
        out.append(" · <a href=\"");
        print(term.get("indexUrl"), out);
        out.append("\">all ");
        print(term.get("kindPlural"), out);
        out.append("</a></p>\n<ul class=\"archive-list\">\n");
        for (Object each : posts) {
            listItem((PostView) each, ((PostView) each).humanDate(), out);
        }
        out.append("</ul>\n");
    }

    /** terms.html's content block. */
    private static void terms(Map<?, ?> page, List<?> terms, Utf8Writer out) {
        out.append("<h1>");
        print(page.get("heading"), out);
        out.append("</h1>\n<ul class=\"terms\">\n");
        for (Object each : terms) {
            Map<?, ?> t = (Map<?, ?>) each;
            out.append("<li><a href=\"");
            print(t.get("url"), out);
            out.append("\">");
            print(t.get("name"), out);
            out.append("</a> <span class=\"count\">(");
            print(t.get("count"), out);
            out.append(")</span></li>\n");
        }
        if (terms.isEmpty()) {
            out.append("<li>None yet.</li>\n");
        }
        out.append("</ul>\n");
    }

    /** archive.html's content block. */
    private static void archive(Map<?, ?> page, List<?> years, Utf8Writer out) {
        out.append("<h1>");
        print(page.get("heading"), out);
        out.append("</h1>\n");
        for (Object each : years) {
            Map<?, ?> year = (Map<?, ?>) each;
            out.append("<section class=\"archive-year\" aria-labelledby=\"y");
            print(year.get("year"), out);
            out.append("\">\n<h2 id=\"y");
            print(year.get("year"), out);
            out.append("\"><a href=\"");
            print(year.get("url"), out);
            out.append("\">");
            print(year.get("year"), out);
            out.append("</a></h2>\n<ul class=\"archive-list\">\n");
            for (Object post : (List<?>) year.get("posts")) {
                listItem((PostView) post, ((PostView) post).shortDate(), out);
            }
            out.append("</ul>\n</section>\n");
        }
        if (years.isEmpty()) {
            out.append("<p>No posts yet.</p>\n");
        }
    }

    /** A post in the lists of taxonomy.html and archive.html: its date shown as {@code date}, its linked title. */
    private static void listItem(PostView item, String date, Utf8Writer out) {
        out.append("<li><time datetime=\"");
        print(item.isoDate(), out);
        out.append("\">");
        print(date, out);
        out.append("</time> <a href=\"");
        print(item.url(), out);
        out.append("\">");
        print(item.title(), out);
        out.append("</a></li>\n");
    }

    /** 404.html's content block. */
    private static void notFound(Utf8Writer out) {
        out.append("<h1>Page not found</h1>\n<p>There is nothing at this address. The <a href=\"/\">front page</a>"
                + " lists every post, and the <a href=\"/archives/\">archives</a> list them by year.</p>\n");
    }

    /** {@code {{ value }}}: nothing for null, markup as it is, anything else as escaped text. */
    private static void print(Object value, Utf8Writer out) {
        if (value instanceof SafeString markup) {
            out.append(markup.toString());
        } else if (value != null) {
            out.append(Html.escape(value.toString()));
        }
    }

    private static void print(int value, Utf8Writer out) {
        out.append(Integer.toString(value));
    }

    /** Pebble's {@code is empty}: null, blank text, an empty collection or map. */
    private static boolean isEmpty(Object value) {
        return value == null
                || (value instanceof String text && text.trim().isEmpty())
                || (value instanceof Collection<?> collection && collection.isEmpty())
                || (value instanceof Map<?, ?> map && map.isEmpty());
    }

    private static boolean allPostViews(List<?> items) {
        for (Object item : items) {
            if (!(item instanceof PostView)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allMaps(List<?> items) {
        for (Object item : items) {
            if (!(item instanceof Map<?, ?>)) {
                return false;
            }
        }
        return true;
    }
}
