package morgana.deploy.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class XlConfigTest {

    @Test
    void aSitesMacIsStableAndInXensOwnOui() {
        assertThat(XlConfig.macFor("blog")).isEqualTo(XlConfig.macFor("blog")).startsWith("00:16:3e:")
                .matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        assertThat(XlConfig.macFor("blog")).isNotEqualTo(XlConfig.macFor("notes"));
    }

    @Test
    void rendersAPvhDomainWithItsKernelRamdiskAndVif() {
        XlConfig config = new XlConfig("blog", "vmlinux", "initramfs.cpio.gz", "console=hvc0 -- @/a", 512, 2,
                "00:16:3e:01:02:03", "xenbr0");

        assertThat(config.render()).contains("type = \"pvh\"\n", "kernel = \"vmlinux\"\n",
                "ramdisk = \"initramfs.cpio.gz\"\n", "cmdline = \"console=hvc0 -- @/a\"\n", "memory = 512\n",
                "vcpus = 2\n", "vif = [ \"mac=00:16:3e:01:02:03,bridge=xenbr0\" ]\n");
    }

    @Test
    void aValueWithAQuoteCannotBeWritten() {
        assertThatThrownBy(() -> new XlConfig("blog", "vm\"linux", "i", "c", 512, 1, "00:16:3e:01:02:03", "xenbr0"))
                .isInstanceOf(ImageException.class).hasMessageContaining("quote");
    }
}
