package morgana.e2e.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import morgana.deploy.image.BuiltImage;
import morgana.deploy.image.ImageTarget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** Same inputs, same bytes: every target's image, built twice into different directories, is identical. */
class ReproducibleImagesTest {

    static Stream<ImageTarget> targets() {
        return Stream.of(new ImageTarget.Qemu(), new ImageTarget.Xen(), new ImageTarget.Ec2());
    }

    @ParameterizedTest
    @MethodSource("targets")
    void buildingTwiceGivesTheSameBytes(ImageTarget target, @TempDir Path tmp) throws Exception {
        BuiltImage first = TargetBoots.build(target, tmp.resolve("first"));
        BuiltImage second = TargetBoots.build(target, tmp.resolve("second"));

        Map<String, String> one = digests(first);
        assertThat(one).isNotEmpty();
        assertThat(digests(second)).isEqualTo(one);
        assertThat(second.properties()).isEqualTo(first.properties());
        System.out.printf("%s image, built twice: %s%n", target.name(), one);
    }

    /** The sha256 of each file the target boots from. */
    private static Map<String, String> digests(BuiltImage image) throws Exception {
        List<Path> files = image.target().equals("ec2")
                ? List.of(image.disk())
                : image.target().equals("xen")
                        ? List.of(image.kernel(), image.initramfs(), image.dir().resolve("morgana.xl.cfg"),
                                image.dir().resolve(BuiltImage.CMDLINE))
                        : List.of(image.kernel(), image.initramfs(), image.dir().resolve(BuiltImage.CMDLINE));
        Map<String, String> digests = new TreeMap<>();
        for (Path file : files) {
            digests.put(file.getFileName().toString(), BuiltImage.sha256(file));
        }
        return digests;
    }
}
