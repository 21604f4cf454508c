package morgana.blog.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import morgana.blog.site.Permalink;

/**
 * A way of grouping posts by the names authors give them: tags ({@code /tags/<slug>/}) and categories
 * ({@code /categories/<slug>/}). Names that slugify alike ({@code TCP}, {@code tcp}) are one term, shown as
 * first written.
 */
public record Taxonomy(String label, String plural, String basePath) {

    public static final Taxonomy TAGS = new Taxonomy("Tag", "tags", "/tags/");
    public static final Taxonomy CATEGORIES = new Taxonomy("Category", "categories", "/categories/");

    /** A term and its posts, newest first. */
    public record Term(String name, String url, List<RenderedPost> posts) {}

    public String urlOf(String name) {
        return basePath + Permalink.slugify(name) + "/";
    }

    /** The terms of {@code posts} (given newest first), by name. */
    public List<Term> terms(List<RenderedPost> posts, Function<RenderedPost, List<String>> namesOf) {
        var byUrl = new LinkedHashMap<String, Term>();
        var urls = new java.util.HashMap<String, String>(); // slugifying is the costly part, and names repeat
        for (RenderedPost post : posts) {
            for (String name : namesOf.apply(post)) {
                String url = urls.computeIfAbsent(name, this::urlOf);
                Term term = byUrl.computeIfAbsent(url, u -> new Term(name, u, new ArrayList<>()));
                if (term.posts().isEmpty() || term.posts().getLast() != post) {
                    term.posts().add(post);
                }
            }
        }
        var terms = new ArrayList<>(byUrl.values());
        terms.sort(Comparator.comparing((Term t) -> t.name().toLowerCase(java.util.Locale.ROOT)).thenComparing(Term::url));
        return terms;
    }

    Map<String, Object> view(Term term) {
        return Map.of("name", term.name(), "url", term.url(), "count", term.posts().size(), "kindLabel", label,
                "kindPlural", plural, "indexUrl", basePath);
    }
}
