package morgana.netstack.tcp;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import morgana.netstack.wire.Ipv4Address;

/**
 * Initial sequence numbers per RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
 * where M is a 4-microsecond timer (here: the time passed in) and F is SHA-256 keyed with the secret.
 */
final class IsnGenerator {

    private final long secret;
    private final MessageDigest sha256;

    IsnGenerator(long secret) {
        this.secret = secret;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    int next(Instant now, Ipv4Address localIp, int localPort, Ipv4Address remoteIp, int remotePort) {
        ByteBuffer input = ByteBuffer.allocate(8 + 4 + 2 + 4 + 2 + 8);
        input.putLong(secret).putInt(localIp.bits()).putShort((short) localPort).putInt(remoteIp.bits())
                .putShort((short) remotePort).putLong(secret);
        byte[] digest = sha256.digest(input.array());
        int f = ByteBuffer.wrap(digest).getInt();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        return (int) (micros / 4) + f;
    }
}
