"""Raw Ethernet on the TAP's host side, for hostile.py: send frames as they are, read the stack's frames back.

Frames are built by scapy (crafted shapes) or by hand with struct (floods, where scapy is too slow to build
a hundred thousand SYNs); replies are parsed by hand, since only a few header fields matter.
"""

import os
import select
import socket
import struct
import time

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
PACKET_OUTGOING = 4

FIN, SYN, RST, PSH, ACK, URG = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20


def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(":"))


def ip_bytes(text):
    return socket.inet_aton(text)


def checksum(data):
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


class Segment:
    """The fields of one TCP segment the stack sent, parsed from its frame."""

    __slots__ = ("src", "dst", "sport", "dport", "seq", "ack", "flags", "payload")

    def __init__(self, src, dst, sport, dport, seq, ack, flags, payload):
        self.src, self.dst, self.sport, self.dport = src, dst, sport, dport
        self.seq, self.ack, self.flags, self.payload = seq, ack, flags, payload


def parse_tcp(frame):
    """A Segment for an unfragmented IPv4/TCP frame, else None."""
    if len(frame) < 54 or frame[12:14] != b"\x08\x00":
        return None
    ihl = (frame[14] & 0x0F) * 4
    if frame[23] != 6 or ihl < 20 or struct.unpack("!H", frame[20:22])[0] & 0x3FFF:
        return None
    total = struct.unpack("!H", frame[16:18])[0]
    tcp = frame[14 + ihl:14 + total]
    if len(tcp) < 20:
        return None
    sport, dport, seq, ack, offset, flags = struct.unpack("!HHIIBB", tcp[:14])
    return Segment(frame[26:30], frame[30:34], sport, dport, seq, ack, flags, tcp[(offset >> 4) * 4:])


class Wire:
    """One AF_PACKET socket on the interface: every frame the stack writes to the TAP is read here."""

    def __init__(self, iface):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 << 20)
        self.sock.bind((iface, 0))
        self.sent = 0

    def send(self, frame):
        while True:
            try:
                self.sock.send(frame)
                self.sent += 1
                return
            except BlockingIOError:
                time.sleep(0.001)
            except OSError as e:  # ENOBUFS: the TAP's queue is full; the stack is behind, wait for it
                if e.errno != 105:
                    raise
                time.sleep(0.002)

    def frames(self, timeout):
        """Yields the frames the stack sent (not ours, not the kernel's) until timeout seconds pass."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([self.sock], [], [], left)
            if not ready:
                return
            frame, address = self.sock.recvfrom(65535)
            if address[2] != PACKET_OUTGOING:
                yield frame

    def drain(self):
        """Reads and forgets whatever is queued."""
        self.sock.setblocking(False)
        try:
            while True:
                self.sock.recv(65535)
        except BlockingIOError:
            pass
        finally:
            self.sock.setblocking(True)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
