package morgana.deploy.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorTest {
    private static final String INTEL = "processor\t: 0\nflags\t\t: fpu vme de pse vmx sse2\n";
    private static final String NESTED_WITHOUT_VMX = "processor\t: 0\nflags\t\t: fpu vme sse2 hypervisor\n";
    /** A character device every process may open read-write; stands in for a working /dev/kvm. */
    private static final Path OPENABLE_DEVICE = Path.of("/dev/null");

    @Test
    void kvmNeedsAnOpenableDeviceAndAVirtualizationFlag() {
        assertThat(Accelerator.choose(null, OPENABLE_DEVICE, INTEL)).isEqualTo(Accelerator.KVM);
        assertThat(Accelerator.choose(null, OPENABLE_DEVICE, INTEL.replace("vmx", "svm"))).isEqualTo(Accelerator.KVM);
        assertThat(Accelerator.choose(null, OPENABLE_DEVICE, NESTED_WITHOUT_VMX)).isEqualTo(Accelerator.TCG);
        assertThat(Accelerator.choose(null, OPENABLE_DEVICE, "")).isEqualTo(Accelerator.TCG);
    }

    @Test
    void aMissingDeviceOrAFileInItsPlaceMeansTcg(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("kvm"), "");

        assertThat(Accelerator.choose(null, tmp.resolve("missing"), INTEL)).isEqualTo(Accelerator.TCG);
        assertThat(Accelerator.choose(null, file, INTEL)).isEqualTo(Accelerator.TCG);
        assertThat(Accelerator.choose(null, tmp, INTEL)).isEqualTo(Accelerator.TCG);
    }

    @Test
    void theFlagMustBeAWholeWordOfAFlagsLine() {
        assertThat(Accelerator.hasVirtualizationFlag("flags\t: vmxnet sse\n")).isFalse();
        assertThat(Accelerator.hasVirtualizationFlag("model name\t: svm vmx\nflags\t: sse\n")).isFalse();
        assertThat(Accelerator.hasVirtualizationFlag("flags\t: sse vmx\n")).isTrue();
    }

    @Test
    void morganaAccelOverridesTheProbe(@TempDir Path tmp) {
        assertThat(Accelerator.choose("tcg", OPENABLE_DEVICE, INTEL)).isEqualTo(Accelerator.TCG);
        assertThat(Accelerator.choose(" KVM ", tmp.resolve("missing"), "")).isEqualTo(Accelerator.KVM);
        assertThatThrownBy(() -> Accelerator.choose("hvf", OPENABLE_DEVICE, INTEL)).hasMessageContaining("kvm or tcg");
    }
}
