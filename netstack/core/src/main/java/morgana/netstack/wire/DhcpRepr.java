package morgana.netstack.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A DHCP message (RFC 2131 §2) with the options a client uses (RFC 2132). Other options are skipped on parse and
 * never emitted; option overload (RFC 2132 §9.3) is not supported, so options in sname/file are ignored.
 * Emitted messages are padded to {@link DhcpPacket#MIN_LEN} bytes.
 *
 * @param op                   {@link DhcpPacket#OP_REQUEST} from clients, {@link DhcpPacket#OP_REPLY} from servers
 * @param clientIp             ciaddr: the client's address while it has one (BOUND, RENEWING, REBINDING)
 * @param yourIp               yiaddr: the address the server offers or confirms
 * @param serverIp             siaddr: the next server (BOOTP), not the DHCP server's identifier
 * @param relayIp              giaddr
 * @param leaseSeconds         option 51, unsigned 32 bits (0xFFFFFFFF means infinite, RFC 2131 §3.3)
 * @param renewalSeconds       option 58, T1
 * @param rebindingSeconds     option 59, T2
 * @param parameterRequestList option 55, option codes
 * @param maxMessageSize       option 57
 * @param hostname             option 12, as ISO-8859-1 text
 */
public record DhcpRepr(int op, DhcpMessageType messageType, int xid, int secs, boolean broadcast,
                       Ipv4Address clientIp, Ipv4Address yourIp, Ipv4Address serverIp, Ipv4Address relayIp,
                       MacAddress clientMac, Optional<Ipv4Address> serverIdentifier, Optional<Ipv4Address> requestedIp,
                       Optional<Ipv4Address> subnetMask, List<Ipv4Address> routers, List<Ipv4Address> dnsServers,
                       OptionalLong leaseSeconds, OptionalLong renewalSeconds, OptionalLong rebindingSeconds,
                       List<Integer> parameterRequestList, OptionalInt maxMessageSize, Optional<String> hostname) {

    public static final int SERVER_PORT = 67;
    public static final int CLIENT_PORT = 68;

    static final int OPT_PAD = 0;
    static final int OPT_SUBNET_MASK = 1;
    static final int OPT_ROUTER = 3;
    static final int OPT_DNS = 6;
    static final int OPT_HOSTNAME = 12;
    static final int OPT_REQUESTED_IP = 50;
    static final int OPT_LEASE_TIME = 51;
    static final int OPT_MESSAGE_TYPE = 53;
    static final int OPT_SERVER_ID = 54;
    static final int OPT_PARAMETER_REQUEST = 55;
    static final int OPT_MAX_MESSAGE_SIZE = 57;
    static final int OPT_RENEWAL_TIME = 58;
    static final int OPT_REBINDING_TIME = 59;
    static final int OPT_END = 255;

    public DhcpRepr {
        if (op != DhcpPacket.OP_REQUEST && op != DhcpPacket.OP_REPLY) {
            throw new IllegalArgumentException("op is 1 (request) or 2 (reply), not " + op);
        }
        if (secs < 0 || secs > 0xFFFF) {
            throw new IllegalArgumentException("secs is 16 bits: " + secs);
        }
        routers = List.copyOf(routers);
        dnsServers = List.copyOf(dnsServers);
        parameterRequestList = List.copyOf(parameterRequestList);
        if (routers.size() > 63 || dnsServers.size() > 63 || parameterRequestList.size() > 255) {
            throw new IllegalArgumentException("an option holds at most 255 bytes");
        }
        for (int code : parameterRequestList) {
            if (code < 0 || code > 255) {
                throw new IllegalArgumentException("an option code is one byte: " + code);
            }
        }
        for (OptionalLong seconds : List.of(leaseSeconds, renewalSeconds, rebindingSeconds)) {
            if (seconds.isPresent() && (seconds.getAsLong() < 0 || seconds.getAsLong() > 0xFFFF_FFFFL)) {
                throw new IllegalArgumentException("a DHCP time is 32 bits unsigned: " + seconds.getAsLong());
            }
        }
        if (maxMessageSize.isPresent() && (maxMessageSize.getAsInt() < 576 || maxMessageSize.getAsInt() > 0xFFFF)) {
            throw new IllegalArgumentException("a maximum message size is 576 to 65535 (RFC 2132 §9.10)");
        }
        if (hostname.isPresent()) {
            byte[] name = hostname.get().getBytes(StandardCharsets.ISO_8859_1);
            if (name.length < 1 || name.length > 255 || !hostname.get().equals(new String(name, StandardCharsets.ISO_8859_1))) {
                throw new IllegalArgumentException("a host name is 1 to 255 ISO-8859-1 characters");
            }
        }
    }

    /** A client message with no options beyond those given, all addresses 0.0.0.0 but ciaddr. */
    public static DhcpRepr clientMessage(DhcpMessageType type, int xid, int secs, MacAddress mac, Ipv4Address clientIp,
                                         Optional<Ipv4Address> requestedIp, Optional<Ipv4Address> serverIdentifier,
                                         List<Integer> parameterRequestList) {
        return new DhcpRepr(DhcpPacket.OP_REQUEST, type, xid, secs, clientIp.equals(Ipv4Address.ANY),
                clientIp, Ipv4Address.ANY, Ipv4Address.ANY, Ipv4Address.ANY, mac, serverIdentifier, requestedIp,
                Optional.empty(), List.of(), List.of(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(),
                parameterRequestList, OptionalInt.of(1500), Optional.empty());
    }

    /**
     * Checks the cookie, an Ethernet chaddr, the option encoding (RFC 2132 §2: pad and end are one byte, every
     * other option has a length byte and must fit) and the lengths of the options kept, and requires a message
     * type (RFC 2131 §3: every DHCP message has one; plain BOOTP is not supported).
     */
    public static DhcpRepr parse(DhcpPacket p) throws WireFormatException {
        if (p.magicCookie() != DhcpPacket.MAGIC_COOKIE || p.hardwareType() != 1 || p.hardwareLength() != 6
                || (p.op() != DhcpPacket.OP_REQUEST && p.op() != DhcpPacket.OP_REPLY)) {
            throw new WireFormatException(WireError.DHCP_MALFORMED);
        }
        DhcpMessageType type = null;
        Optional<Ipv4Address> serverId = Optional.empty();
        Optional<Ipv4Address> requested = Optional.empty();
        Optional<Ipv4Address> mask = Optional.empty();
        List<Ipv4Address> routers = List.of();
        List<Ipv4Address> dns = List.of();
        OptionalLong lease = OptionalLong.empty();
        OptionalLong renewal = OptionalLong.empty();
        OptionalLong rebinding = OptionalLong.empty();
        List<Integer> prl = List.of();
        OptionalInt maxSize = OptionalInt.empty();
        Optional<String> hostname = Optional.empty();
        ByteBuffer o = p.options();
        int i = 0;
        while (i < o.limit()) {
            int code = o.get(i) & 0xFF;
            if (code == OPT_END) {
                break;
            }
            if (code == OPT_PAD) {
                i++;
                continue;
            }
            if (i + 1 >= o.limit()) {
                throw new WireFormatException(WireError.DHCP_MALFORMED);
            }
            int len = o.get(i + 1) & 0xFF;
            int at = i + 2;
            if (at + len > o.limit()) {
                throw new WireFormatException(WireError.DHCP_MALFORMED);
            }
            switch (code) {
                case OPT_MESSAGE_TYPE -> {
                    requireLength(len == 1);
                    type = DhcpMessageType.of(o.get(at) & 0xFF);
                    if (type == null) {
                        throw new WireFormatException(WireError.DHCP_MALFORMED);
                    }
                }
                case OPT_SUBNET_MASK -> mask = Optional.of(address(o, at, len));
                case OPT_SERVER_ID -> serverId = Optional.of(address(o, at, len));
                case OPT_REQUESTED_IP -> requested = Optional.of(address(o, at, len));
                case OPT_ROUTER -> routers = addresses(o, at, len);
                case OPT_DNS -> dns = addresses(o, at, len);
                case OPT_LEASE_TIME -> lease = OptionalLong.of(seconds(o, at, len));
                case OPT_RENEWAL_TIME -> renewal = OptionalLong.of(seconds(o, at, len));
                case OPT_REBINDING_TIME -> rebinding = OptionalLong.of(seconds(o, at, len));
                case OPT_PARAMETER_REQUEST -> {
                    requireLength(len >= 1);
                    List<Integer> codes = new ArrayList<>();
                    for (int k = 0; k < len; k++) {
                        codes.add(o.get(at + k) & 0xFF);
                    }
                    prl = codes;
                }
                case OPT_MAX_MESSAGE_SIZE -> {
                    requireLength(len == 2);
                    int size = o.getShort(at) & 0xFFFF;
                    requireLength(size >= 576);
                    maxSize = OptionalInt.of(size);
                }
                case OPT_HOSTNAME -> {
                    requireLength(len >= 1);
                    byte[] name = new byte[len];
                    o.get(at, name);
                    hostname = Optional.of(new String(name, StandardCharsets.ISO_8859_1));
                }
                default -> { } // RFC 2132 §2: options a client does not know are skipped
            }
            i = at + len;
        }
        if (type == null) {
            throw new WireFormatException(WireError.DHCP_MALFORMED);
        }
        return new DhcpRepr(p.op(), type, p.xid(), p.secs(), p.broadcast(), p.clientIp(), p.yourIp(), p.serverIp(),
                p.relayIp(), p.clientMac(), serverId, requested, mask, routers, dns, lease, renewal, rebinding, prl,
                maxSize, hostname);
    }

    private static void requireLength(boolean ok) throws WireFormatException {
        if (!ok) {
            throw new WireFormatException(WireError.DHCP_MALFORMED);
        }
    }

    private static Ipv4Address address(ByteBuffer o, int at, int len) throws WireFormatException {
        requireLength(len == 4);
        return new Ipv4Address(o.getInt(at));
    }

    private static List<Ipv4Address> addresses(ByteBuffer o, int at, int len) throws WireFormatException {
        requireLength(len >= 4 && len % 4 == 0);
        List<Ipv4Address> out = new ArrayList<>();
        for (int k = 0; k < len; k += 4) {
            out.add(new Ipv4Address(o.getInt(at + k)));
        }
        return out;
    }

    private static long seconds(ByteBuffer o, int at, int len) throws WireFormatException {
        requireLength(len == 4);
        return o.getInt(at) & 0xFFFF_FFFFL;
    }

    private int optionsLength() {
        int len = 3; // message type
        len += serverIdentifier.isPresent() ? 6 : 0;
        len += requestedIp.isPresent() ? 6 : 0;
        len += subnetMask.isPresent() ? 6 : 0;
        len += routers.isEmpty() ? 0 : 2 + 4 * routers.size();
        len += dnsServers.isEmpty() ? 0 : 2 + 4 * dnsServers.size();
        len += leaseSeconds.isPresent() ? 6 : 0;
        len += renewalSeconds.isPresent() ? 6 : 0;
        len += rebindingSeconds.isPresent() ? 6 : 0;
        len += parameterRequestList.isEmpty() ? 0 : 2 + parameterRequestList.size();
        len += maxMessageSize.isPresent() ? 4 : 0;
        len += hostname.map(h -> 2 + h.length()).orElse(0);
        return len + 1; // end
    }

    public int bufferLen() {
        return Math.max(DhcpPacket.MIN_LEN, DhcpPacket.OPTIONS_OFFSET + optionsLength());
    }

    /** Writes exactly {@link #bufferLen} bytes: the fixed part, cookie, options, end and zero padding. */
    public void emit(DhcpPacket p) {
        p.writeFixed(op, xid, secs, broadcast, clientIp, yourIp, serverIp, relayIp, clientMac);
        int at = DhcpPacket.OPTIONS_OFFSET;
        p.put(at++, OPT_MESSAGE_TYPE);
        p.put(at++, 1);
        p.put(at++, messageType.code());
        at = putAddress(p, at, OPT_SERVER_ID, serverIdentifier);
        at = putAddress(p, at, OPT_REQUESTED_IP, requestedIp);
        at = putAddress(p, at, OPT_SUBNET_MASK, subnetMask);
        at = putAddresses(p, at, OPT_ROUTER, routers);
        at = putAddresses(p, at, OPT_DNS, dnsServers);
        at = putSeconds(p, at, OPT_LEASE_TIME, leaseSeconds);
        at = putSeconds(p, at, OPT_RENEWAL_TIME, renewalSeconds);
        at = putSeconds(p, at, OPT_REBINDING_TIME, rebindingSeconds);
        if (!parameterRequestList.isEmpty()) {
            p.put(at++, OPT_PARAMETER_REQUEST);
            p.put(at++, parameterRequestList.size());
            for (int code : parameterRequestList) {
                p.put(at++, code);
            }
        }
        if (maxMessageSize.isPresent()) {
            p.put(at++, OPT_MAX_MESSAGE_SIZE);
            p.put(at++, 2);
            p.put(at++, maxMessageSize.getAsInt() >>> 8);
            p.put(at++, maxMessageSize.getAsInt());
        }
        if (hostname.isPresent()) {
            byte[] name = hostname.get().getBytes(StandardCharsets.ISO_8859_1);
            p.put(at++, OPT_HOSTNAME);
            p.put(at++, name.length);
            for (byte b : name) {
                p.put(at++, b);
            }
        }
        p.put(at++, OPT_END);
        while (at < bufferLen()) {
            p.put(at++, OPT_PAD);
        }
    }

    private static int putAddress(DhcpPacket p, int at, int code, Optional<Ipv4Address> address) {
        if (address.isEmpty()) {
            return at;
        }
        p.put(at, code);
        p.put(at + 1, 4);
        p.putInt(at + 2, address.get().bits());
        return at + 6;
    }

    private static int putAddresses(DhcpPacket p, int at, int code, List<Ipv4Address> addresses) {
        if (addresses.isEmpty()) {
            return at;
        }
        p.put(at, code);
        p.put(at + 1, 4 * addresses.size());
        for (int k = 0; k < addresses.size(); k++) {
            p.putInt(at + 2 + 4 * k, addresses.get(k).bits());
        }
        return at + 2 + 4 * addresses.size();
    }

    private static int putSeconds(DhcpPacket p, int at, int code, OptionalLong seconds) {
        if (seconds.isEmpty()) {
            return at;
        }
        p.put(at, code);
        p.put(at + 1, 4);
        p.putInt(at + 2, (int) seconds.getAsLong());
        return at + 6;
    }
}
