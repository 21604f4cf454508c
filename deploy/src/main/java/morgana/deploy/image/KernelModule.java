package morgana.deploy.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tukaani.xz.XZInputStream;

/**
 * One loadable kernel module file. {@code finit_module} in the guest takes an uncompressed ELF object
 * (our kernel has no in-kernel decompression configured for us to rely on), so {@link #bytes()}
 * decompresses {@code .ko.xz} here at build time.
 */
public record KernelModule(String name, Path file) {

    /** The name the module has in the image: {@code <name>.ko}. */
    public String imageFileName() {
        return name + ".ko";
    }

    public byte[] bytes() throws IOException {
        String fileName = file.getFileName().toString();
        if (fileName.endsWith(".ko")) {
            return Files.readAllBytes(file);
        }
        if (fileName.endsWith(".ko.xz")) {
            try (InputStream in = new XZInputStream(Files.newInputStream(file))) {
                return in.readAllBytes();
            }
        }
        if (fileName.endsWith(".ko.zst")) {
            throw new ImageException(file + " is zstd-compressed, which Morgana cannot unpack yet;"
                    + " decompress the modules with `zstd -d` first or use a kernel whose modules are .ko or .ko.xz");
        }
        throw new ImageException(file + " is not a kernel module Morgana can read (.ko or .ko.xz)");
    }
}
