#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus (src/test/resources/<package>/<Class>Inputs/<method>/), the layout
Jazzer's JUnit regression mode reads, and the known-bug inputs. Run from fuzz/ after changing a shape; the
files are checked in, so the build does not need Python."""
import os, struct

R = "src/test/resources/morgana/fuzz"

def put(target, method, name, data):
    d = os.path.join(R, target + "Inputs", method) if method else os.path.join(R, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def tcp(options=b"", payload=b"", flags=0x02, offset=None, sport=40000, dport=80):
    if offset is None:
        offset = (20 + len(options) + 3) // 4
        options = options + b"\x00" * (offset * 4 - 20 - len(options))
    hdr = struct.pack("!HHIIBBHHH", sport, dport, 0x01020304, 0, (offset & 15) << 4, flags, 65535, 0, 0)
    return b"\x00" + hdr + options + payload   # first byte even: the target repairs the checksum

T, M = "wire/TcpHeaderFuzzTest", "segmentsWithAnyOptionsParseStrictlyAndRoundTrip"
mss = b"\x02\x04\x05\xb4"
shapes = {
    "syn-linux-options": mss + b"\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x01\x03\x03\x07",
    "mss-length-0": b"\x02\x00\x05\xb4",
    "mss-length-1": b"\x02\x01\x05\xb4",
    "option-length-past-header": b"\x02\x28\x05\xb4",
    "option-kind-without-length-byte": b"\x01\x01\x01\x08",
    "nop-flood": b"\x01" * 40,
    "sack-odd-length-3": b"\x01\x01\x05\x03\x00\x00\x00\x00",
    "sack-odd-length-11": b"\x01\x01\x05\x0b" + b"\x00" * 12,
    "sack-five-blocks": b"\x01\x01\x05\x2a" + b"\x00" * 36,
    "window-scale-15": b"\x01\x03\x03\x0f",
    "window-scale-255": b"\x01\x03\x03\xff",
    "mss-below-88": b"\x02\x04\x00\x01",
    "mss-zero": b"\x02\x04\x00\x00",
    "unknown-kind-length-2": b"\xfe\x02\x01\x01",
    "end-of-list-then-garbage": b"\x00\xff\xff\xff",
}
for name, opts in shapes.items():
    put(T, M, name, tcp(opts))
put(T, M, "timestamps-on-non-syn", tcp(b"\x01\x01\x08\x0a\x00\x00\x00\x05\x00\x00\x00\x09", b"hello", flags=0x18))
put(T, M, "data-offset-below-5", tcp(b"", flags=0x10, offset=4))
put(T, M, "data-offset-0", tcp(b"", flags=0x10, offset=0))
put(T, M, "data-offset-past-segment", tcp(b"", flags=0x10, offset=15))
put(T, M, "port-zero", tcp(b"", flags=0x02, sport=0))
put(T, M, "bad-checksum", b"\x01" + tcp(b"")[1:])
# Known bugs (see TcpHeaderFuzzTest's regression tests): valid options that overflow the emitted layout.
put("known-bugs", None, "tcp-options-overflow-emitted-layout",
    tcp(mss + b"\x04\x02" + b"\x05\x22" + bytes(range(32))))
put("known-bugs", None, "tcp-options-overflow-timestamps-sack3",
    tcp(b"\x08\x0a" + b"\x00\x00\x00\x05\x00\x00\x00\x00" + b"\x03\x03\x07" + b"\x05\x1a" + bytes(range(24)), flags=0x10))

def ipv4(proto, payload, src=b"\x0a\x00\x00\x09", dst=b"\x0a\x00\x00\x02", flags_off=0x4000, ihl=5, total=None):
    total = 20 + len(payload) if total is None else total
    return struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total, 0, flags_off, 64, proto, 0, src, dst) + payload

I, IM = "wire/Ipv4FuzzTest", "packetsAndFragmentsParseWithinTheirBytesAndRoundTrip"
put(I, IM, "whole-udp", b"\x00" + ipv4(17, b"\x00" * 12))
put(I, IM, "first-fragment", b"\x00" + ipv4(17, b"\x00" * 16, flags_off=0x2000))
put(I, IM, "last-fragment", b"\x00" + ipv4(17, b"\x00" * 8, flags_off=0x0002))
put(I, IM, "ihl-below-5", b"\x00" + ipv4(6, b"", ihl=4))
put(I, IM, "ihl-past-packet", b"\x00" + ipv4(6, b"", ihl=15))
put(I, IM, "total-length-past-frame", b"\x00" + ipv4(6, b"", total=1500))
put(I, IM, "options-and-padding", b"\x00" + ipv4(1, b"\x01\x01\x01\x00" + b"\x08\x00\x00\x00\x00\x00\x00\x00", ihl=6) + b"pad")

icmp_echo = struct.pack("!BBHHH", 8, 0, 0, 0x4d47, 1) + b"ping"
C, CM = "wire/IcmpFuzzTest", "messagesRoundTripAndErrorsQuoteAnIpv4Header"
put(C, CM, "echo-request", b"\x00" + icmp_echo)
put(C, CM, "port-unreachable", b"\x00" + struct.pack("!BBHI", 3, 3, 0, 0) + ipv4(17, b"\x00" * 8))
put(C, CM, "fragmentation-needed", b"\x00" + struct.pack("!BBHHH", 3, 4, 0, 0, 1400) + ipv4(6, b"\x00" * 8))
put(C, CM, "time-exceeded-short-quote", b"\x00" + struct.pack("!BBHI", 11, 0, 0, 0) + b"\x45\x00")

U, UM = "wire/UdpFuzzTest", "datagramsEndAtTheirLengthAndRoundTrip"
put(U, UM, "echo", b"\x00" + struct.pack("!HHHH", 40000, 7, 12, 0) + b"ping")
put(U, UM, "no-checksum", b"\x01" + struct.pack("!HHHH", 40000, 7, 12, 0) + b"ping")
put(U, UM, "length-past-payload", b"\x00" + struct.pack("!HHHH", 40000, 7, 200, 0) + b"ping")
put(U, UM, "length-below-header", b"\x00" + struct.pack("!HHHH", 40000, 7, 4, 0) + b"ping")

def dhcp_opt(code, body):
    return bytes([code, len(body)]) + body
D, DM = "wire/DhcpFuzzTest", "messagesWithAnyOptionsParseStrictlyAndRoundTrip"
offer = (dhcp_opt(53, b"\x02") + dhcp_opt(54, b"\x0a\x00\x00\x01") + dhcp_opt(1, b"\xff\xff\xff\x00")
         + dhcp_opt(3, b"\x0a\x00\x00\x01") + dhcp_opt(6, b"\x0a\x00\x00\x01\x08\x08\x08\x08")
         + dhcp_opt(51, b"\x00\x00\x0e\x10") + dhcp_opt(12, b"morgana") + b"\xff")
put(D, DM, "offer", b"\x00" + offer)
put(D, DM, "ack-with-pads", b"\x00" + b"\x00\x00" + dhcp_opt(53, b"\x05") + dhcp_opt(58, b"\x00\x00\x07\x08") + b"\xff")
put(D, DM, "option-past-end", b"\x00" + dhcp_opt(53, b"\x02") + b"\x03\x08\x0a")
put(D, DM, "no-message-type", b"\x00" + dhcp_opt(54, b"\x0a\x00\x00\x01") + b"\xff")
put(D, DM, "router-length-5", b"\x00" + dhcp_opt(53, b"\x02") + dhcp_opt(3, b"\x0a\x00\x00\x01\x00") + b"\xff")
put(D, DM, "truncated-fixed-part", b"\x01" + b"\x02\x01\x06\x00" * 10)

E = "wire/EthernetFuzzTest"
put(E, "anyFourteenBytesAreAHeaderThatEmitsBackUnchanged", "ipv4", b"\xff" * 6 + b"\x52\x54\x00\x00\x00\x09\x08\x00" + b"\x45")
put(E, "anyFourteenBytesAreAHeaderThatEmitsBackUnchanged", "short", b"\xff" * 13)
A, AM = "wire/ArpFuzzTest", "checkedViewsReadSafelyAndParsedPacketsRoundTrip"
arp_req = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + b"\x52\x54\x00\x00\x00\x09\x0a\x00\x00\x09" + b"\x00" * 6 + b"\x0a\x00\x00\x02"
put(A, AM, "request", arp_req)
put(A, AM, "reply", struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + arp_req[8:])
put(A, AM, "lengths-past-packet", struct.pack("!HHBBH", 1, 0x0800, 255, 255, 1) + b"\x00" * 20)
put(A, AM, "operation-3", struct.pack("!HHBBH", 1, 0x0800, 6, 4, 3) + arp_req[8:])

# The whole stack: frames of [flags, length16, bytes]; flags 0x07 repairs checksums and addresses the stack.
STACK_MAC, PEER_MAC = b"\x52\x54\x00\x00\x00\x02", b"\x52\x54\x00\x00\x00\x09"
def frame(payload, etype=0x0800, flags=0x07):
    f = STACK_MAC + PEER_MAC + struct.pack("!H", etype) + payload
    return bytes([flags]) + struct.pack("!H", len(f)) + f
W, WM = "iface/WholeStackFuzzTest", "arbitraryFramesAreDroppedOrHandledAndTheStackStillAnswers"
syn = tcp(shapes["syn-linux-options"])[1:]
put(W, WM, "syn-to-listener", frame(ipv4(6, syn)))
put(W, WM, "tcp-option-shapes", b"".join(frame(ipv4(6, tcp(o)[1:])) for o in shapes.values()))
put(W, WM, "fragments-overlapping", frame(ipv4(17, b"\x00" * 16, flags_off=0x2000)) + frame(ipv4(17, b"\x00" * 16, flags_off=0x2001)))
put(W, WM, "fragments-never-completed", frame(ipv4(17, b"\x00" * 16, flags_off=0x2000), flags=0x17))
put(W, WM, "udp-to-closed-port", frame(ipv4(17, struct.pack("!HHHH", 40000, 9, 8, 0))))
put(W, WM, "udp-echo-port", frame(ipv4(17, struct.pack("!HHHH", 40000, 7, 12, 0) + b"ping")))
put(W, WM, "vlan-and-runt", frame(b"\x00" * 30, etype=0x8100) + b"\x00\x00\x05abcde")
put(W, WM, "arp-request-from-multicast", frame(struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + b"\x01\x00\x5e\x00\x00\x01\x0a\x00\x00\x09" + b"\x00" * 6 + b"\x0a\x00\x00\x02", etype=0x0806))
put(W, WM, "unknown-protocol", frame(ipv4(99, b"xyz")))
put(W, WM, "known-bug-shape-mss-sackok-sack4", frame(ipv4(6, tcp(mss + b"\x01\x01\x01\x03\x03\x07" + b"\x01\x01\x01\x01" + b"\x01\x01\x01\x01")[1:])))

# TCP listener scripts: flags, options, modes, [seq/ack/values], window16, ..., advance, app move.
L, LM = "tcp/TcpListenerFuzzTest", "arbitrarySegmentSequencesLeaveTheListenerSoundAndBounded"
def step(flags, options=0, modes=0, extra=b"", window=65535, advance=0, move=0):
    return bytes([flags, options, modes]) + extra + struct.pack("!H", window) + bytes([advance, move])
handshake = step(0x02, 0x0f, 0, extra=b"", window=65535) 
# options 0x0f need: mss(2) ws(1) ts(8) after the window: rebuild explicitly
def syn_step(opts=0x0f, mss_v=1460, ws=7, advance=0):
    vals = b""
    if opts & 1: vals += struct.pack("!H", mss_v)
    if opts & 2: vals += bytes([ws])
    if opts & 8: vals += struct.pack("!II", 1, 0)
    return bytes([0x02, opts, 0]) + struct.pack("!H", 65535) + vals + bytes([advance, 0])
ack = bytes([0x10, 0, 0]) + struct.pack("!H", 65535) + bytes([0, 0])
data = bytes([0x18, 1 << 5, 0]) + struct.pack("!H", 65535) + b"G" * 64 + bytes([1, 0x10])
fin = bytes([0x11, 0, 0]) + struct.pack("!H", 65535) + bytes([1, 0x30])
put(L, LM, "handshake-data-fin", syn_step() + ack + data + fin)
put(L, LM, "handshake-no-options", syn_step(0) + ack + data)
put(L, LM, "window-scale-15-and-mss-1", syn_step(0x03, 1, 15) + ack + data)
put(L, LM, "syn-without-timestamps-then-timestamps", syn_step(0x01) + ack + bytes([0x18, 8 | (1 << 5), 0]) + struct.pack("!H", 65535) + struct.pack("!II", 5, 0) + b"x" * 64 + bytes([1, 0]))
put(L, LM, "rst-out-of-window", syn_step() + ack + bytes([0x04, 0, 1]) + struct.pack("!h", 3000) + struct.pack("!H", 0) + bytes([0, 0]))
put(L, LM, "syn-flood-two-ports", (syn_step() + bytes([0x02, 0, 0x13]) + struct.pack("!I", 7) + struct.pack("!I", 0) + struct.pack("!H", 1024) + bytes([0, 0])) * 6)
put(L, LM, "sack-blocks-past-window", syn_step(0x05) + ack + bytes([0x10, 16, 0]) + struct.pack("!H", 65535) + bytes([3]) + b"\x7f\xff\x00\x10" * 4 + bytes([1, 0]))

# Blog: front matter, Markdown, morgana.yaml.
B = "blog/FrontMatterFuzzTest"; BM = "postsParseOrFailNamingFileAndLine"
put(B, BM, "yaml", b"---\ntitle: Hello\ndate: 2026-01-01\ntags: [a, b]\n---\nBody *text*.\n")
put(B, BM, "toml", b"+++\ntitle = \"Hello\"\ndate = 2026-01-01T10:00:00Z\n+++\nBody\n")
put(B, BM, "never-closed", b"---\ntitle: x\n")
# Known bug (FrontMatterFuzzTest, SiteConfigFuzzTest): a recursive alias overflows the stack in MarkedYaml.
put("known-bugs", None, "yaml-recursive-alias-post", b"---\na: &a [*a]\ntitle: *a\ndate: 2026-01-01\n---\n")
put("known-bugs", None, "yaml-recursive-alias-config", b"title: &t [*t]\nbase_url: http://x/\n")
put(B, BM, "bad-date", b"---\ntitle: x\ndate: 2026-13-45\naliases: [\"../x\"]\n---\n")
put(B, BM, "bom-crlf", b"\xef\xbb\xbf---\r\ntitle: x\r\ndate: 2026-01-01\r\n...\r\nbody")
K = "blog/MarkdownFuzzTest"; KM = "anyTextRendersWithLinksInsideTheBodyAndUniqueAnchors"
put(K, KM, "headings-links", b"## A\n\n## A\n\n[x](http://e/) ![i](/i.png){width=3}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
put(K, KM, "footnotes-code", b"Text[^1].\n\n[^1]: note\n\n```java\nclass X {}\n```\n<!-- more -->\n- [ ] task\n~~del~~\n")
put(K, KM, "nesting", b">" * 200 + b" x\n" + b"*" * 300 + b"\n" + b"[" * 500)
S = "blog/SiteConfigFuzzTest"; SM = "configsLoadOrFailNamingFileAndLine"
put(S, SM, "minimal", b"title: My blog\nbase_url: http://127.0.0.1:8080/\n")
put(S, SM, "full", b"title: T\ndescription: d\nauthor: a\nbase_url: https://x.example/blog\npermalink: /:year/:slug/\npaginate: 5\ntimezone: Europe/Paris\n")
put(S, SM, "bad-paginate", b"title: T\nbase_url: http://x/\npaginate: -1\n")
put(S, SM, "bad-timezone", b"title: T\nbase_url: http://x/\ntimezone: Mars/Olympus\n")
put(S, SM, "not-a-mapping", b"- a\n- b\n")
put(S, SM, "tabs-and-merge", b"<<: {title: x}\n\tbase_url: y\n")
