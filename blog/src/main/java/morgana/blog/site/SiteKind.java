package morgana.blog.site;

import java.util.List;

/** The generator a site directory was laid out for; Morgana reads all three as they are. */
public enum SiteKind {
    /** {@code morgana.yaml}, {@code posts/}, {@code pages/}, {@code static/}, {@code layouts/}. */
    MORGANA(List.of(SiteConfig.FILE_NAME), List.of("posts"), List.of("pages"), List.of("static")),
    /** Jekyll/Octopress: {@code _config.yml}, {@code _posts/} (Octopress: {@code source/_posts/}). */
    JEKYLL(List.of("_config.yml", "_config.yaml"), List.of("_posts", "source/_posts"), List.of(),
            List.of("assets", "images", "img", "css", "js", "source/images", "source/assets")),
    /** Hugo: {@code hugo.toml} (or {@code config.toml}, YAML forms), {@code content/posts/}, {@code static/}. */
    HUGO(List.of("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.yml", "config.yml"),
            List.of("content/posts", "content/post", "content/blog"), List.of("content"), List.of("static"));

    private final List<String> configFiles;
    private final List<String> postDirs;
    private final List<String> pageDirs;
    private final List<String> staticDirs;

    SiteKind(List<String> configFiles, List<String> postDirs, List<String> pageDirs, List<String> staticDirs) {
        this.configFiles = configFiles;
        this.postDirs = postDirs;
        this.pageDirs = pageDirs;
        this.staticDirs = staticDirs;
    }

    public List<String> configFiles() {
        return configFiles;
    }

    /** Folders whose Markdown files are posts. */
    public List<String> postDirs() {
        return postDirs;
    }

    /** Folders whose Markdown files (directly inside, not in post folders) are stand-alone pages. */
    public List<String> pageDirs() {
        return pageDirs;
    }

    /** Folders copied as they are to the site's root (Jekyll: kept under their own name). */
    public List<String> staticDirs() {
        return staticDirs;
    }
}
