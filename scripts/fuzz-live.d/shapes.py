"""The hostile shapes of hostile.py's conversations: the seed's TCP options and the other malformations.

A shape is a function (rng, flow) -> a list of frames, with three attributes:
  phase     "syn": options of the handshake's SYN; "est": frames sent once the flow is established
  expects   the DropReason the stack must count for it (None: the stack accepts or answers it)
  harmless  True when RFC 9293/7323/5961 say the connection must survive it; the conversation's echo probe
            must then come back, or the run fails ("a wrong answer")
"""

import struct

from scapy.all import IP, TCP, Ether, Raw, fragment
from wire import ACK, PSH, RST, SYN, URG

NOP = b"\x01"
MSS_1460 = b"\x02\x04\x05\xb4"
SACK_PERMITTED = b"\x04\x02"


def shape(phase, expects=None, harmless=True):
    def mark(function):
        function.phase, function.expects, function.harmless = phase, expects, harmless
        return function
    return mark


def pad(options):
    """Options padded with EOL to a whole number of 32-bit words."""
    return options + b"\x00" * (-len(options) % 4)


class Flow:
    """One crafted conversation from a spoofed source: what each side's next sequence number is."""

    def __init__(self, env, source, sport, dport, isn):
        self.env, self.source, self.sport, self.dport = env, source, sport, dport
        self.snd_nxt = (isn + 1) & 0xFFFFFFFF  # ours, after the SYN
        self.rcv_nxt = 0  # theirs, from the SYN-ACK
        self.data_sent = 0  # payload bytes put in segments so far, taken or not

    def segment(self, flags, seq=None, ack=None, options=b"", payload=b"", dataofs=None, window=65535,
                urgptr=0, chksum=None, ip=None):
        """A frame from the flow's source; options go in the header as they are (dataofs from their length)."""
        seq = self.snd_nxt if seq is None else seq & 0xFFFFFFFF
        ack = self.rcv_nxt if ack is None else ack & 0xFFFFFFFF
        if dataofs is None:
            dataofs = 5 + len(options) // 4
        tcp = TCP(sport=self.sport, dport=self.dport, seq=seq, ack=ack, flags=flags, dataofs=dataofs,
                  window=window, urgptr=urgptr)
        if chksum is not None:
            tcp.chksum = chksum
        packet = (ip or IP(src=self.source, dst=self.env.stack_ip)) / tcp
        if options or payload:
            packet = packet / Raw(options + payload)
        self.data_sent += len(payload)
        return Ether(src=self.env.host_mac, dst=self.env.stack_mac) / packet

    def data(self, rng, **fields):
        return self.segment(PSH | ACK, payload=bytes(rng.randrange(33, 127) for _ in range(rng.randrange(1, 17))),
                            **fields)


# ---- the handshake's SYN ----

@shape("syn")
def syn_plain(rng, flow):
    return MSS_1460 + SACK_PERMITTED + NOP + NOP


@shape("syn", expects="TCP_BAD_OPTION_LENGTH")
def syn_mss_length_0(rng, flow):
    return pad(b"\x02\x00" + MSS_1460)


@shape("syn", expects="TCP_BAD_OPTION_LENGTH")
def syn_mss_length_1(rng, flow):
    return pad(b"\x02\x01\x05\xb4")


@shape("syn", expects="TCP_BAD_OPTION_LENGTH")
def syn_option_past_header(rng, flow):
    # a length that runs past the header's end: MSS saying 10 bytes, or a kind with no room for its length
    return rng.choice([b"\x02\x0a\x05\xb4", b"\x01\x01\x01\x08", NOP * 3 + b"\x03", b"\x08\x28" + b"\0" * 6])


@shape("syn")
def syn_window_scale_over_14(rng, flow):
    return pad(MSS_1460 + b"\x03\x03" + bytes([rng.randrange(15, 256)]))


@shape("syn")
def syn_mss_under_88(rng, flow):
    return pad(b"\x02\x04" + struct.pack("!H", rng.randrange(0, 88)) + SACK_PERMITTED)


@shape("syn")
def syn_nop_flood(rng, flow):
    return NOP * 36 + MSS_1460


@shape("syn", expects="TCP_BAD_OPTION_LENGTH")
def syn_sack_permitted_bad_length(rng, flow):
    return pad(MSS_1460 + b"\x04" + bytes([rng.choice([3, 4, 6])]) + b"\0" * 4)


@shape("syn", harmless=False)
def syn_random_options(rng, flow):
    return bytes(rng.randrange(256) for _ in range(4 * rng.randrange(0, 11)))


# ---- frames on the established flow ----

@shape("est", expects="TCP_BAD_OPTION_LENGTH")
def mss_length_0(rng, flow):
    return [flow.data(rng, options=pad(b"\x02\x00"))]


@shape("est", expects="TCP_BAD_OPTION_LENGTH")
def mss_length_1(rng, flow):
    return [flow.data(rng, options=pad(b"\x02\x01"))]


@shape("est", expects="TCP_BAD_OPTION_LENGTH")
def option_past_header(rng, flow):
    return [flow.data(rng, options=rng.choice([b"\x08\x0a\x00\x00", NOP * 7 + b"\x05", b"\x13\x12" + b"\0" * 14]))]


@shape("est")
def nop_flood(rng, flow):
    return [flow.data(rng, options=NOP * 40)]


@shape("est", expects="TCP_BAD_SACK_OPTION")
def sack_odd_length(rng, flow):
    length = rng.choice([3, 4, 5, 7, 9, 11, 13, 17, 19, 27])
    return [flow.data(rng, options=pad(b"\x05" + bytes([length]) + b"\0" * (length - 2)))]


@shape("est")
def sack_blocks_outside_the_window(rng, flow):
    blocks = b"".join(struct.pack("!II", rng.getrandbits(32), rng.getrandbits(32)) for _ in range(4))
    return [flow.segment(ACK, options=NOP + NOP + b"\x05\x22" + blocks)]


@shape("est")
def timestamps_not_negotiated(rng, flow):
    stamp = b"\x08\x0a" + struct.pack("!II", rng.getrandbits(32), rng.getrandbits(32))
    return [flow.data(rng, options=NOP + NOP + stamp)]


@shape("est", expects="TCP_BAD_DATA_OFFSET")
def data_offset_under_5(rng, flow):
    return [flow.data(rng, dataofs=rng.randrange(0, 5))]


@shape("est", expects="TCP_BAD_DATA_OFFSET")
def data_offset_past_segment(rng, flow):
    return [flow.segment(ACK, dataofs=rng.randrange(6, 16))]


@shape("est", expects="TCP_BAD_CHECKSUM")
def bad_checksum(rng, flow):
    return [flow.data(rng, chksum=rng.randrange(1, 0xFFFF))]


@shape("est", harmless=False)
def random_flags(rng, flow):
    offset = rng.choice([0, 0, 1, -1, rng.randrange(1, 65535)])
    return [flow.segment(rng.randrange(256), seq=flow.snd_nxt + offset, ack=flow.rcv_nxt + rng.randrange(-2, 3),
                         payload=bytes(rng.randrange(256) for _ in range(rng.choice([0, 0, 1, 8]))),
                         urgptr=rng.randrange(65536))]


@shape("est", expects="TCP_OUT_OF_WINDOW")
def sequence_out_of_window(rng, flow):
    seq = flow.snd_nxt + rng.choice([1 << 30, -(1 << 30), rng.randrange(1 << 20, 1 << 31), -rng.randrange(1 << 20, 1 << 31)])
    return [flow.data(rng, seq=seq)]


@shape("est", expects="TCP_UNACCEPTABLE_ACK")
def ack_of_unsent_data(rng, flow):
    return [flow.data(rng, ack=flow.rcv_nxt + rng.randrange(1 << 20, 1 << 30))]


@shape("est", expects="TCP_CHALLENGED")
def reset_in_window_not_exact(rng, flow):
    return [flow.segment(RST | ACK, seq=flow.snd_nxt + rng.randrange(1, 30000))]


@shape("est", expects="TCP_CHALLENGED")
def in_window_syn_while_established(rng, flow):
    return [flow.segment(SYN, seq=flow.snd_nxt + rng.randrange(0, 30000), options=MSS_1460)]


@shape("est")
def urgent_pointer(rng, flow):
    return [flow.segment(URG | PSH | ACK, payload=b"urgent", urgptr=rng.randrange(65536))]


@shape("est", harmless=False)
def random_options(rng, flow):
    options = bytes(rng.randrange(256) for _ in range(4 * rng.randrange(1, 11)))
    return [flow.data(rng, options=options)]


@shape("est")
def fragmented_segment(rng, flow):
    """A valid data segment cut into 8-byte IPv4 fragments (the first holds only the ports), sent shuffled."""
    whole = flow.segment(PSH | ACK, payload=b"fragmented-" + bytes(rng.randrange(97, 123) for _ in range(24)))
    pieces = fragment(whole[IP], fragsize=8)
    rng.shuffle(pieces)
    return [Ether(src=flow.env.host_mac, dst=flow.env.stack_mac) / p for p in pieces]


@shape("est", expects="IPV4_FRAGMENT_OVERLAP")
def overlapping_fragments(rng, flow):
    """Teardrop's shape: the second fragment starts inside the first, with other bytes."""
    whole = flow.segment(PSH | ACK, payload=b"overlap-" + b"A" * 32)[IP]
    body = bytes(whole[TCP])
    ident = rng.randrange(65536)
    first = IP(src=flow.source, dst=flow.env.stack_ip, id=ident, flags="MF", frag=0, proto=6) / Raw(body[:32])
    second = IP(src=flow.source, dst=flow.env.stack_ip, id=ident, frag=2, proto=6) / Raw(b"B" * (len(body) - 16))
    return [Ether(src=flow.env.host_mac, dst=flow.env.stack_mac) / p for p in (first, second)]


@shape("est", expects="IPV4_FRAGMENT_TOO_LONG")
def fragment_past_65535(rng, flow):
    """The ping of death: a last fragment at offset 65528 whose datagram would end past 65535."""
    packet = IP(src=flow.source, dst=flow.env.stack_ip, id=rng.randrange(65536), frag=8191, proto=6) / Raw(b"D" * 16)
    return [Ether(src=flow.env.host_mac, dst=flow.env.stack_mac) / packet]


@shape("est", expects="IPV4_BAD_HEADER_LENGTH")
def ip_header_length_under_5(rng, flow):
    return [flow.data(rng, ip=IP(src=flow.source, dst=flow.env.stack_ip, ihl=rng.randrange(0, 5)))]


@shape("est", expects="IPV4_BAD_CHECKSUM")
def ip_bad_checksum(rng, flow):
    return [flow.data(rng, ip=IP(src=flow.source, dst=flow.env.stack_ip, chksum=rng.randrange(1, 0xFFFF)))]


SYN_SHAPES = [s for s in list(globals().values()) if getattr(s, "phase", None) == "syn"]
EST_SHAPES = [s for s in list(globals().values()) if getattr(s, "phase", None) == "est"]
