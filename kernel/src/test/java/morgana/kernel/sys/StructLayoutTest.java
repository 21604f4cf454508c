package morgana.kernel.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The byte layouts the kernel expects (x86_64, little-endian), checked byte by byte. */
class StructLayoutTest {

    @Test
    void ifreqForTunsetiffHasTheNameThenTheFlagsAtSixteen() {
        IfReq request = IfReq.named("mtap0").flags((short) (IfReq.IFF_TAP | IfReq.IFF_NO_PI));
        assertThat(hex(request.buffer())).isEqualTo(
                "6d74617030000000" + "0000000000000000" // "mtap0", NUL-padded to 16
                        + "0210" + "000000000000" + "0000000000000000" + "0000000000000000");
        assertThat(request.buffer().capacity()).isEqualTo(40);
        assertThat(request.name()).isEqualTo("mtap0");
        assertThat(request.flags()).isEqualTo((short) 0x1002);
    }

    @Test
    void ifreqNameTakesFifteenBytesLeavingRoomForTheNul() {
        assertThat(IfReq.named("abcdefghijklmno").name()).isEqualTo("abcdefghijklmno");
        assertThatThrownBy(() -> IfReq.named("abcdefghijklmnop")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IfReq.named("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IfReq.named("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IfReq.named("eth\u00e9")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ifreqHardwareAddressIsASockaddrWithFamilyEtherAndTheBytesInSaData() {
        IfReq request = IfReq.named("eth0").hardwareAddress(new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56});
        assertThat(hex(request.buffer()).substring(32, 32 + 16)).isEqualTo("0100" + "525400123456");
        assertThat(request.hardwareFamily()).isEqualTo(IfReq.ARPHRD_ETHER);
        assertThat(request.hardwareAddress()).containsExactly(0x52, 0x54, 0, 0x12, 0x34, 0x56);
    }

    @Test
    void ifreqMtuIsAnIntAtSixteen() {
        assertThat(hex(IfReq.named("eth0").intValue(1500).buffer()).substring(32, 40)).isEqualTo("dc050000");
    }

    @Test
    void ioctlNumbersAreTheKernels() {
        // _IOW('T', 202, int): direction 1 << 30, size 4 << 16, type 'T' << 8, number 202
        assertThat(IfReq.TUNSETIFF).isEqualTo((1L << 30) | (4L << 16) | ('T' << 8) | 202);
        assertThat(IfReq.SIOCGIFHWADDR).isEqualTo(0x8927);
    }

    @Test
    void sockaddrLlHasTheProtocolInNetworkOrderAndTheIndexInHostOrder() {
        ByteBuffer address = SockaddrLl.forBind(7, SockaddrLl.ETH_P_ALL);
        assertThat(hex(address)).isEqualTo("1100" + "0003" + "07000000" + "0000" + "00" + "00" + "0000000000000000");
        assertThat(SockaddrLl.protocol(address)).isEqualTo(SockaddrLl.ETH_P_ALL);
        assertThat(SockaddrLl.interfaceIndex(address)).isEqualTo(7);
    }

    @Test
    void sockaddrLlPacketTypeIsTheByteAtTen() {
        ByteBuffer address = SockaddrLl.forReceive();
        address.put(10, (byte) SockaddrLl.PACKET_OUTGOING);
        assertThat(SockaddrLl.packetType(address)).isEqualTo(4);
    }

    @Test
    void pollfdsAreEightBytesEachWithEventsPollin() {
        PollFds fds = PollFds.readable(3, 258);
        assertThat(hex(fds.buffer())).isEqualTo("03000000" + "0100" + "0000" + "02010000" + "0100" + "0000");
        assertThat(fds.count()).isEqualTo(2);
        assertThat(fds.fd(1)).isEqualTo(258);
        assertThat(fds.isReadable(0)).isFalse();
    }

    @Test
    void tpacketReq3CountsFramesAsIfEachHadItsSizeAndAsksForNoPrivateArea() {
        ByteBuffer request = TpacketV3.request(128 << 10, 16, 2048, 1);
        // block size, block count, frame size, frame count (16 * 64), retire timeout ms, sizeof_priv, features
        assertThat(hex(request)).isEqualTo("00000200" + "10000000" + "00080000" + "00040000" + "01000000"
                + "00000000" + "00000000");
        assertThatThrownBy(() -> TpacketV3.request(4096, 1, 3000, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTpacket3FramesAddressFollowsItsHeaderAlignedToSixteen() {
        assertThat(TpacketV3.FRAME_ADDRESS).isEqualTo(48);
        assertThat(TpacketV3.FRAME_PACKET_TYPE).isEqualTo(58);
        assertThat(TpacketV3.BLOCK_STATUS).isEqualTo(8);
    }

    private static String hex(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.capacity()];
        buffer.get(0, bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
