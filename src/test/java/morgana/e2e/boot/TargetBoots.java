package morgana.e2e.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageTarget;
import morgana.deploy.image.KernelPackage;
import morgana.deploy.image.SiteImages;
import morgana.deploy.qemu.QemuBoot;
import morgana.deploy.qemu.RunningVm;
import morgana.e2e.ExampleBlog;
import morgana.e2e.HttpProbe;

/** Builds the example blog for a target and boots it under qemu, the way each boot test does. */
final class TargetBoots {

    /** Bounds one boot: the first 200 comes after 10 to 15 s under TCG; this leaves room for a loaded CI host. */
    static final Duration BOOT_PATIENCE = Duration.ofSeconds(60);

    private TargetBoots() {
    }

    static BuiltImage build(ImageTarget target, Path outDir) throws Exception {
        return SiteImages.build(ExampleBlog.site(), Optional.of(target), new SiteImages.Request(outDir,
                Optional.empty(), SiteImages.defaultGuestLib(), KernelPackage.defaultCacheDir()));
    }

    /**
     * Boots {@code image}, fetches {@code /} and the newest post through the port forward, and returns the
     * seconds from qemu's start to the first 200. Every failure message carries the guest's console; qemu is
     * killed whatever happens.
     */
    static double bootAndServe(BuiltImage image, Path consoleLog) throws Exception {
        int port = freePort();
        long start = System.nanoTime();
        try (RunningVm vm = QemuBoot.start(image.dir(), port, consoleLog)) {
            HttpResponse<String> index = HttpProbe.awaitOk(vm.url(), BOOT_PATIENCE,
                    () -> "guest console (" + image.target() + "):\n" + vm.console());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(index.body()).as("/ of the %s image\n%s", image.target(), vm.console())
                    .contains(ExampleBlog.siteTitle());
            ExampleBlog.Post post = ExampleBlog.publishedPosts().getLast();
            HttpResponse<String> page = HttpProbe.get("http://127.0.0.1:" + port + post.path());
            assertThat(page.statusCode()).as("%s on the %s image\n%s", post.path(), image.target(), vm.console())
                    .isEqualTo(200);
            assertThat(page.body()).contains("<h1>" + post.title() + "</h1>");
            System.out.printf("%s image: first HTTP 200 after %.1f s%n", image.target(), seconds);
            return seconds;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
