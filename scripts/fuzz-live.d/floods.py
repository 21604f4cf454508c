"""The floods of hostile.py, each bounded by its count (frames or connections) and paced at --rate frames a second:

  syn   SYNs from spoofed sources to the HTTP port while a real client GETs pages through the kernel's TCP, each
        on a new connection (so each needs a handshake through the full backlog, i.e. a SYN cookie): at least
        99% must succeed, and the stack's connection table must stay bounded
  idle  keep-alive connections that ask for one page and go quiet (IdleClients, over the kernel's TCP): the
        HTTP idle timeout must close every one of them
  frag  IPv4 fragments that never complete, overlap, or run past 65535: reassembly stays within its limits
  arp   ARP requests from random neighbours, requests for other hosts, unsolicited replies, malformed ARP:
        the stack keeps answering ping meanwhile and its ARP cache stays bounded

Frames are built with struct, not scapy: scapy builds a few thousand frames a second, a flood needs more.
"""

import http.client
import struct
import subprocess
import threading
import time

from wire import SYN, checksum, ip_bytes, mac_bytes

DEFAULT_COUNTS = {"syn": 20000, "idle": 1000, "frag": 5000, "arp": 5000}
MAX_REASSEMBLIES = 16  # Ipv4Reassembler.DEFAULT_MAX_DATAGRAMS
MAX_ARP_ENTRIES = 256  # ArpCache.DEFAULT_CAPACITY
BACKLOG = 128  # TcpConfig.defaults().backlog(), per listener


def run(kind, args, env, wire, report, checks, rng):
    floods = {"syn": syn_flood, "idle": idle_flood, "frag": fragment_flood, "arp": arp_storm}
    if kind not in floods:
        report.fail("no flood called %r (there are %s)" % (kind, ", ".join(floods)))
        return
    count = args.count if args.count is not None else DEFAULT_COUNTS[kind]
    report.values["%s_flood.count" % kind] = count
    started = time.monotonic()
    with Sampler(checks.target) as sampler:
        floods[kind](count, args, env, wire, report, rng, sampler)
    report.values["%s_flood.seconds" % kind] = "%.1f" % (time.monotonic() - started)
    for key, value in sampler.peaks.items():
        report.values["%s_flood.peak_%s" % (kind, key)] = value
    print("%s flood: %d, peaks %s" % (kind, count, sampler.peaks), flush=True)
    checks.run("after the %s flood" % kind)


class Sampler:
    """Reads the target's stats lines while a flood runs and keeps the peaks of its table sizes."""

    KEYS = ("tcpConnections", "reassemblies", "arpCache", "heapMiB")

    def __init__(self, target):
        self.target, self.peaks, self.stop = target, {}, threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.sample()
        self.stop.set()
        self.thread.join()

    def loop(self):
        while not self.stop.wait(0.3):
            self.sample()

    def sample(self):
        stats = self.target.latest() or {}
        for key in self.KEYS:
            if key in stats:
                self.peaks[key] = max(self.peaks.get(key, 0), float(stats[key]))


class Pacer:
    def __init__(self, rate):
        self.rate, self.start = rate, time.monotonic()

    def wait(self, sent):
        if self.rate > 0:
            ahead = sent / self.rate - (time.monotonic() - self.start)
            if ahead > 0.002:
                time.sleep(ahead)


def ethernet(env, ethertype):
    return mac_bytes(env.stack_mac) + mac_bytes(env.host_mac) + struct.pack("!H", ethertype)


def ipv4(source, destination, protocol, payload_length, ident=0, flags_fragment=0, ttl=64):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_length, ident, flags_fragment, ttl, protocol, 0,
                         source, destination)
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:]


def spoofed(rng):
    return bytes([198, 18 + rng.randrange(2), rng.randrange(256), rng.randrange(1, 255)])


# ---- SYN flood ----

def syn_frame(env, rng, port):
    source, destination = spoofed(rng), env.stack_ip_bytes
    tcp = struct.pack("!HHIIBBHHH", rng.randrange(1024, 65536), port, rng.getrandbits(32), 0, 6 << 4, SYN, 64240,
                      0, 0) + b"\x02\x04\x05\xb4"
    pseudo = source + destination + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    return ethernet(env, 0x0800) + ipv4(source, destination, 6, len(tcp), rng.randrange(65536)) + tcp


class RealClient(threading.Thread):
    """GETs / in a loop, a new connection each, through the kernel's TCP; counts what succeeded."""

    def __init__(self, host):
        super().__init__(daemon=True)
        self.host, self.stop, self.ok, self.failed, self.errors, self.slowest = host, threading.Event(), 0, 0, [], 0.0

    def run(self):
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection(self.host, 80, timeout=10)
                connection.request("GET", "/", headers={"Connection": "close"})
                response = connection.getresponse()
                body = response.read()
                connection.close()
                if response.status == 200 and body:
                    self.ok += 1
                else:
                    self.failed += 1
                    self.errors.append("status %d" % response.status)
            except OSError as e:
                self.failed += 1
                self.errors.append(repr(e))
            self.slowest = max(self.slowest, time.monotonic() - started)


def syn_flood(count, args, env, wire, report, rng, sampler):
    before = float((sampler.target.latest() or {}).get("tcpConnections", 0))
    client = RealClient(env.stack_ip)
    client.start()
    pacer = Pacer(args.rate)
    for i in range(count):
        wire.send(syn_frame(env, rng, 80))
        pacer.wait(i + 1)
    time.sleep(0.5)
    while client.ok + client.failed < 50 and client.is_alive():  # too short a flood: still ask 50 times
        time.sleep(0.1)
    client.stop.set()
    client.join(15)
    report.counts["segments_sent"] += count
    total = client.ok + client.failed
    rate = client.ok / total if total else 0.0
    report.values["syn_flood.gets"] = total
    report.values["syn_flood.gets_ok"] = client.ok
    report.values["syn_flood.get_success"] = "%.4f" % rate
    report.values["syn_flood.slowest_get_s"] = "%.2f" % client.slowest
    if rate < 0.99:
        report.fail("SYN flood: %d of %d GETs succeeded (%.1f%%, under 99%%): %s" % (
            client.ok, total, 100 * rate, "; ".join(client.errors[:5])))
    # What the flood may add: a full backlog of half-open connections, and the real client's, each in
    # TIME_WAIT for a while after it closed; 20 000 spoofed SYNs must not make 20 000 connections.
    bound = before + BACKLOG + total + 64
    report.values["syn_flood.tcp_connections_bound"] = int(bound)
    if sampler.peaks.get("tcpConnections", 0) > bound:
        report.fail("SYN flood: the stack tracked %d connections at once (bound %d)" % (
            sampler.peaks["tcpConnections"], bound))


# ---- idle connections ----

def idle_flood(count, args, env, wire, report, rng, sampler):
    if not args.idle_command:
        report.fail("idle flood: no --idle-command to open the connections with")
        return
    wait_s = max(30, count // 100 + args.idle_timeout_ms // 1000 * 3)
    command = args.idle_command.split() + [env.stack_ip, "80", str(count), str(wait_s), "summary"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=wait_s + 120)
    line = next((l for l in done.stdout.splitlines() if l.startswith("idle summary")), None)
    if done.returncode != 0 or line is None:
        report.fail("idle flood: IdleClients failed (%d): %s %s" % (done.returncode, done.stdout[-500:],
                                                                   done.stderr[-1000:]))
        return
    fields = dict(w.split("=") for w in line.split()[2:])
    for key, value in fields.items():
        report.values["idle_flood.%s" % key] = value
    if int(fields["closed"]) != count:
        report.fail("idle flood: the server closed %s of %d idle connections (%s still open)" % (
            fields["closed"], count, fields["stillOpen"]))
    if int(fields["maxMs"]) > args.idle_timeout_ms + 5000:
        report.fail("idle flood: a connection was closed %s ms after going idle (idle timeout %d ms)" % (
            fields["maxMs"], args.idle_timeout_ms))


# ---- fragments ----

def fragment_frames(env, rng):
    """One hostile shape's fragments: never completed, overlapping, past 65535, or tiny."""
    source, destination, ident = spoofed(rng), env.stack_ip_bytes, rng.randrange(65536)
    eth = ethernet(env, 0x0800)
    shape = rng.random()
    if shape < 0.6:  # a first fragment whose rest never comes: it holds a slot until the timeout
        body = bytes(rng.getrandbits(8) for _ in range(8)) * 64
        return [eth + ipv4(source, destination, 17, len(body), ident, 0x2000) + body]
    if shape < 0.8:  # teardrop: the second starts inside the first
        first, second = b"A" * 64, b"B" * 40
        return [eth + ipv4(source, destination, 17, len(first), ident, 0x2000) + first,
                eth + ipv4(source, destination, 17, len(second), ident, 48 // 8) + second]
    if shape < 0.9:  # ping of death: a last fragment ending past 65535
        return [eth + ipv4(source, destination, 1, 16, ident, 8191) + b"D" * 16]
    middle = b"M" * 8  # a middle fragment alone, at a random offset
    return [eth + ipv4(source, destination, 6, 8, ident, 0x2000 | rng.randrange(1, 8000)) + middle]


def fragment_flood(count, args, env, wire, report, rng, sampler):
    pacer = Pacer(args.rate)
    sent = 0
    while sent < count:
        for frame in fragment_frames(env, rng):
            wire.send(frame)
            sent += 1
        pacer.wait(sent)
    report.counts["segments_sent"] += sent
    time.sleep(1.5)  # a stats line after the last fragment
    sampler.sample()
    if sampler.peaks.get("reassemblies", 0) > MAX_REASSEMBLIES:
        report.fail("fragment flood: %d datagrams in reassembly at once (limit %d)" % (
            sampler.peaks["reassemblies"], MAX_REASSEMBLIES))
    drops = (sampler.target.latest() or {}).get("drops", {})
    for reason in ("IPV4_REASSEMBLY_FULL", "IPV4_FRAGMENT_OVERLAP", "IPV4_FRAGMENT_TOO_LONG"):
        if drops.get(reason, 0) == 0:
            report.fail("fragment flood: %s is 0 after %d hostile fragments" % (reason, sent))


# ---- ARP ----

def arp_frame(env, rng):
    mac = bytes([0x02]) + bytes(rng.getrandbits(8) for _ in range(5))
    sender = bytes([10, 77, rng.randrange(1, 255), rng.randrange(1, 255)])
    shape = rng.random()
    if shape < 0.5:  # who-has the stack, from a new neighbour: learned (the cache must stay bounded)
        op, target_mac, target_ip = 1, b"\0" * 6, env.stack_ip_bytes
    elif shape < 0.75:  # who-has someone else
        op, target_mac, target_ip = 1, b"\0" * 6, bytes([10, 77, rng.randrange(1, 255), rng.randrange(1, 255)])
    elif shape < 0.95:  # an unsolicited reply to the stack
        op, target_mac, target_ip = 2, mac_bytes(env.stack_mac), env.stack_ip_bytes
    else:  # malformed: truncated, or not Ethernet/IPv4
        arp = struct.pack("!HHBBH", rng.choice([1, 6, 0xFFFF]), 0x0800, rng.choice([6, 0, 16]), 4, 1)
        return (b"\xff" * 6 + mac + b"\x08\x06" + arp + mac)[: rng.randrange(14, 40)]
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, mac, sender, target_mac, target_ip)
    destination = b"\xff" * 6 if op == 1 else mac_bytes(env.stack_mac)
    return destination + mac + b"\x08\x06" + arp


class Pinger(threading.Thread):
    def __init__(self, host):
        super().__init__(daemon=True)
        self.host, self.stop, self.ok, self.failed = host, threading.Event(), 0, 0

    def run(self):
        while not self.stop.is_set():
            done = subprocess.run(["ping", "-n", "-q", "-c", "1", "-W", "1", self.host], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
            if done.returncode == 0:
                self.ok += 1
            else:
                self.failed += 1
            self.stop.wait(0.1)


def arp_storm(count, args, env, wire, report, rng, sampler):
    pinger = Pinger(env.stack_ip)
    pinger.start()
    pacer = Pacer(args.rate)
    for i in range(count):
        wire.send(arp_frame(env, rng))
        pacer.wait(i + 1)
    time.sleep(1.5)
    pinger.stop.set()
    pinger.join(5)
    sampler.sample()
    report.counts["segments_sent"] += count
    total = pinger.ok + pinger.failed
    report.values["arp_storm.pings"] = total
    report.values["arp_storm.pings_ok"] = pinger.ok
    if total == 0 or pinger.ok < 0.9 * total:
        report.fail("ARP storm: %d of %d pings answered during the storm (under 90%%)" % (pinger.ok, total))
    if sampler.peaks.get("arpCache", 0) > MAX_ARP_ENTRIES:
        report.fail("ARP storm: %d entries in the ARP cache (bound %d)" % (sampler.peaks["arpCache"], MAX_ARP_ENTRIES))
