package morgana.blog.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import morgana.blog.server.BlogServerInitializer;
import morgana.blog.site.BuildOptions;
import morgana.blog.site.SiteBuilder;
import morgana.blog.site.TestSite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default theme's post page as a browser draws it: Debian's Chromium, headless, takes a screenshot of a
 * post served by the blog's own server on 127.0.0.1, once in light mode and once with the page told the
 * reader prefers dark. Both must be real pages (many colours, text on the background) and each background
 * must be the scheme's, so a theme whose dark mode breaks fails here. The PNGs are kept in
 * {@code target/theme-screenshots/} to look at.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ThemeScreenshotTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 800;
    private static final long CHROMIUM_SECONDS = 90;

    @TempDir
    static Path work;

    private static EventLoopGroup group;
    private static Channel server;
    private static String postUrl;

    @BeforeAll
    static void serveSite() throws Exception {
        Path site = work.resolve("site");
        TestSite.in(site).post("2026-03-14-who-sends-fin-first.md", """
                ---
                title: Who sends FIN first
                date: 2026-03-14
                tags: [tcp, http]
                categories: [networking]
                ---
                A server that closes first waits in TIME-WAIT; one that never closes leaves the client hanging.

                ## The close, step by step

                The side that sends the first FIN is the *active closer*. See [RFC 9293](https://www.rfc-editor.org/rfc/rfc9293).[^1]

                ```java
                // Shut the output first, then drop what the peer still sends.
                channel.shutdownOutput().addListener(f -> channel.close());
                int linger = 2;
                String state = "FIN_WAIT_1";
                ```

                | state      | who        |
                | ---------- | ---------- |
                | FIN_WAIT_1 | the closer |
                | CLOSE_WAIT | the peer   |

                ## What the logs said

                > Half a million connections in CLOSE_WAIT, and not one of them our fault.

                - [x] read the capture
                - [ ] write it up

                ### A footnote on timers

                Two minutes of TIME-WAIT is `2 * MSL`.

                [^1]: Section 3.6, "Closing a Connection".
                """);
        var built = new SiteBuilder(site, BuildOptions.publishing(Instant.parse("2026-04-01T00:00:00Z"))).build();
        assertThat(built.brokenLinks()).isEmpty();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new BlogServerInitializer(built.bundle()))
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        postUrl = "http://127.0.0.1:" + port + "/posts/who-sends-fin-first/";
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (server != null) {
            server.close().sync();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void lightModeDrawsDarkTextOnALightBackground() throws Exception {
        BufferedImage page = screenshot("light");

        assertIsARealPage(page);
        assertThat(luminance(background(page))).as("light background").isGreaterThan(0.85);
    }

    /**
     * Each flag alone turns {@code prefers-color-scheme} dark in Chromium 156 (checked one at a time): the
     * browser's own dark theme, and Blink's setting that the media query reads ({@code 0} is {@code kDark}).
     */
    @Test
    void darkModeDrawsLightTextOnADarkBackground() throws Exception {
        BufferedImage page = screenshot("dark", "--force-dark-mode", "--blink-settings=preferredColorScheme=0");

        assertIsARealPage(page);
        assertThat(luminance(background(page))).as("dark background").isLessThan(0.15);
    }

    private static BufferedImage screenshot(String name, String... extraFlags) throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (scripts/setup installs it)").isExecutable();
        Path png = work.resolve(name + ".png");
        Path profile = Files.createTempDirectory(work, "chromium-" + name + "-");
        Path log = work.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=" + WIDTH + "," + HEIGHT, "--screenshot=" + png));
        command.addAll(List.of(extraFlags));
        command.add(postUrl);
        Process chromium = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(chromium.waitFor(CHROMIUM_SECONDS, TimeUnit.SECONDS))
                    .as("chromium finished within %d s; its log: %s", CHROMIUM_SECONDS, log).isTrue();
        } finally {
            chromium.descendants().forEach(ProcessHandle::destroyForcibly);
            chromium.destroyForcibly();
        }
        assertThat(png).as("screenshot written; chromium said: %s", readQuietly(log)).isRegularFile();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("%s decodes as an image", png).isNotNull();
        keep(png);
        return image;
    }

    /** Not blank: antialiased text gives many colours, and a fair share of pixels differ from the background. */
    private static void assertIsARealPage(BufferedImage page) {
        assertThat(page.getWidth()).isEqualTo(WIDTH);
        assertThat(page.getHeight()).isEqualTo(HEIGHT);
        int background = background(page);
        var colours = new HashSet<Integer>();
        int ink = 0;
        for (int y = 0; y < page.getHeight(); y++) {
            for (int x = 0; x < page.getWidth(); x++) {
                int rgb = page.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (Math.abs(luminance(rgb) - luminance(background)) > 0.3) {
                    ink++;
                }
            }
        }
        assertThat(colours.size()).as("distinct colours").isGreaterThan(64);
        assertThat(ink).as("pixels that contrast with the background (text)").isGreaterThan(WIDTH * HEIGHT / 100);
    }

    /** The page's margin: the body is a centred column, so the left and right edges show only the background. */
    private static int background(BufferedImage page) {
        int left = page.getRGB(4, HEIGHT / 2) & 0xffffff;
        int right = page.getRGB(WIDTH - 5, HEIGHT - 5) & 0xffffff;
        assertThat(right).as("both margins the same colour").isEqualTo(left);
        return left;
    }

    /** Relative luminance, 0 (black) to 1 (white), near enough for telling light from dark. */
    private static double luminance(int rgb) {
        return (0.2126 * ((rgb >> 16) & 0xff) + 0.7152 * ((rgb >> 8) & 0xff) + 0.0722 * (rgb & 0xff)) / 255;
    }

    private static void keep(Path png) throws IOException {
        Path dir = Path.of("target", "theme-screenshots");
        Files.createDirectories(dir);
        Files.copy(png, dir.resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
