package morgana.blog.site;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small sites into a temporary directory, for tests of every package. */
public final class TestSite {

    public static final String CONFIG = """
            title: Test Blog
            description: Notes on <wires> & packets
            author: Ada
            base_url: "http://127.0.0.1:8080/"
            image:
              memory: 256M
              network:
                mode: dhcp
            """;

    private final Path root;

    private TestSite(Path root) {
        this.root = root;
    }

    /** A site in {@code root} with {@link #CONFIG} and no posts. */
    public static TestSite in(Path root) {
        return new TestSite(root).file("morgana.yaml", CONFIG);
    }

    /**
     * A site with three posts (one linking to another, one with a table and code) and a draft, plus a static
     * SVG image.
     */
    public static TestSite sample(Path root) {
        return in(root)
                .post("2026-03-01-first-light.md", """
                        ---
                        title: First light
                        date: 2026-03-01
                        summary: The first post.
                        tags: [meta]
                        ---
                        Hello from **Morgana**.
                        """)
                .post("2026-03-14-minnesota-goodbye.md", """
                        ---
                        title: The Minnesota goodbye
                        date: 2026-03-14
                        tags: [tcp, http]
                        ---
                        A server that never sent FIN. See [the first post](/posts/first-light/).

                        | flag | bit |
                        | ---- | --- |
                        | FIN  | 0   |

                        ```java
                        channel.close();
                        ```

                        ![diagram](/images/fin.svg)
                        """)
                .post("tables-and-tcp.md", """
                        ---
                        title: Tables & TCP <options>
                        date: 2026-03-10T08:00:00Z
                        ---
                        Options are very much TCP's concern.
                        """)
                .post("2026-03-20-unfinished.md", """
                        ---
                        title: Unfinished
                        date: 2026-03-20
                        draft: true
                        ---
                        Not yet.
                        """)
                .file("static/images/fin.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>\n");
    }

    public TestSite post(String fileName, String text) {
        return file("posts/" + fileName, text);
    }

    public TestSite file(String relativePath, String text) {
        return bytes(relativePath, text.getBytes(StandardCharsets.UTF_8));
    }

    public TestSite bytes(String relativePath, byte[] content) {
        Path file = root.resolve(relativePath);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Path root() {
        return root;
    }
}
