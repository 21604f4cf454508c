#!/usr/bin/python3
"""Hostile traffic against Morgana's stack on a TAP, for scripts/fuzz-live (which runs it inside its namespace).

Crafted conversations come from spoofed off-link sources (198.18.0.0/15, RFC 2544's benchmarking range) with
the TAP's host side as their gateway: the stack answers them through the gateway's MAC, and the namespace's
kernel, which owns none of those addresses and does not forward, drops the answers without a word. So the
kernel never sends an RST for a conversation it did not start, and needs no firewall rule to keep quiet.
This program reads the stack's answers off the TAP with an AF_PACKET socket.

After each batch, and after each flood, it checks that the stack still answers ping, the echo port and a real
HTTP GET (from the host side's own address, through the kernel's TCP), that its event loop answers and that
its heap after a full collection is under the bound. It writes key=value lines to the summary file.
"""

import argparse
import os
import random
import re
import socket
import subprocess
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import floods  # noqa: E402
import shapes  # noqa: E402
from wire import ACK, RST, SYN, Wire, parse_tcp, pid_alive  # noqa: E402

HTTP_PORT, ECHO_PORT = 80, 7


class Env:
    def __init__(self, args):
        self.iface, self.stack_ip, self.stack_mac = args.iface, args.stack_ip, args.stack_mac
        with open("/sys/class/net/%s/address" % args.iface) as f:
            self.host_mac = f.read().strip()
        self.stack_ip_bytes = socket.inet_aton(args.stack_ip)


class Target:
    """The child JVM, seen through the stats lines it prints (see HostileTrafficTarget)."""

    LINE = re.compile(r"^stats seq=(\d+) (.*?)(?: http=(.*))?$")

    def __init__(self, log, pid):
        self.log, self.pid = log, pid

    def alive(self):
        return pid_alive(self.pid)

    def _lines(self):
        with open(self.log, errors="replace") as f:
            return f.read().splitlines()

    def latest(self):
        for line in reversed(self._lines()):
            m = self.LINE.match(line)
            if m:
                return self._parse(m)
        return None

    def next_stats(self, after_seq, timeout):
        """The first stats line numbered after after_seq, or None once timeout seconds pass."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = self.latest()
            if s and s["seq"] > after_seq:
                return s
            if not self.alive():
                return None
            time.sleep(0.2)
        return None

    def internal_error(self):
        return any(line.startswith("internal-error") for line in self._lines())

    @staticmethod
    def _parse(m):
        s = {"seq": int(m.group(1)), "http": m.group(3) or ""}
        for word in m.group(2).split():
            key, _, value = word.partition("=")
            s[key] = value
        s["drops"] = {} if s.get("drops", "-") == "-" else {
            k: int(v) for k, v in (d.split(":") for d in s["drops"].split(","))}
        return s


class Report:
    def __init__(self, path):
        self.path = path
        self.counts = Counter()
        self.failures = []
        self.values = {}
        self.heap_max = 0.0

    def fail(self, what):
        print("FAIL " + what, flush=True)
        self.failures.append(what)

    def write(self, target):
        final = target.latest() or {"drops": {}}
        with open(self.path, "w") as f:
            for key, value in sorted(self.counts.items()):
                f.write("%s=%d\n" % (key, value))
            for key, value in sorted(self.values.items()):
                f.write("%s=%s\n" % (key, value))
            f.write("heap_max_mib=%.1f\n" % self.heap_max)
            for reason, count in sorted(final["drops"].items()):
                f.write("drop.%s=%d\n" % (reason, count))
            for key in ("framesIn", "framesOut", "tcpConnections", "reassemblies", "arpCache", "internalErrors"):
                if key in final:
                    f.write("final.%s=%s\n" % (key, final[key]))
            f.write("failures=%d\n" % len(self.failures))
            for i, what in enumerate(self.failures):
                f.write("failure.%d=%s\n" % (i, what.replace("\n", " ")))


class Checks:
    """The post-conditions after each batch and flood: liveness through the kernel's own TCP, and the heap."""

    def __init__(self, env, target, report, heap_bound):
        self.env, self.target, self.report, self.heap_bound = env, target, report, heap_bound
        self.stats_seq = 0

    def run(self, label):
        r = self.report
        if not self.target.alive():
            r.counts["crashes"] += 1
            r.fail("%s: the stack's JVM is gone" % label)
            return False
        ok = self.ping(label) & self.echo(label) & self.get(label)
        stats = self.target.next_stats(self.stats_seq, 15)
        if stats is None:
            r.counts["hangs"] += 1
            r.fail("%s: no stats line from the stack within 15 s" % label)
            return False
        self.stats_seq = stats["seq"]
        if stats.get("loop") != "ok":
            r.counts["hangs"] += 1
            r.fail("%s: the stack's event loop does not answer" % label)
            ok = False
        heap = float(stats.get("heapMiB", "0"))
        r.heap_max = max(r.heap_max, heap)
        if heap > self.heap_bound:
            r.counts["memory_failures"] += 1
            r.fail("%s: heap %.1f MiB after a full GC, over the bound of %d MiB" % (label, heap, self.heap_bound))
            ok = False
        if int(stats.get("internalErrors", "0")) > 0 or self.target.internal_error():
            r.counts["crashes"] += 1
            r.fail("%s: the stack counted INTERNAL_ERROR (an exception on a frame); see the target's log" % label)
            ok = False
        print("%s: %s heap %.1f MiB, tcp connections %s, arp %s, reassemblies %s" % (
            label, "alive" if ok else "FAILED", heap, stats.get("tcpConnections"), stats.get("arpCache"),
            stats.get("reassemblies")), flush=True)
        return ok

    def ping(self, label):
        for attempt in range(3):
            done = subprocess.run(["ping", "-n", "-q", "-c", "1", "-W", "2", self.env.stack_ip],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if done.returncode == 0:
                self.report.counts["liveness.ping_ok"] += 1
                return True
        self.report.counts["liveness.ping_failed"] += 1
        self.report.fail("%s: no echo reply to 3 pings" % label)
        return False

    def echo(self, label):
        message = ("liveness %s %d\n" % (label, time.time_ns())).encode()
        try:
            with socket.create_connection((self.env.stack_ip, ECHO_PORT), timeout=5) as s:
                s.sendall(message)
                got = b""
                while len(got) < len(message):
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    got += chunk
            if got == message:
                self.report.counts["liveness.echo_ok"] += 1
                return True
            self.report.fail("%s: the echo port sent back %r for %r" % (label, got, message))
        except OSError as e:
            self.report.fail("%s: the echo port: %s" % (label, e))
        self.report.counts["liveness.echo_failed"] += 1
        return False

    def get(self, label):
        done = subprocess.run(["curl", "-sS", "--fail", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}",
                               "http://%s/" % self.env.stack_ip], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout == "200":
            self.report.counts["liveness.http_ok"] += 1
            return True
        self.report.counts["liveness.http_failed"] += 1
        self.report.fail("%s: curl GET / gave %s %s" % (label, done.stdout, done.stderr.strip()))
        return False


class Fuzzer:
    """Completed handshakes carrying hostile shapes, each ended by an echo probe and a reset."""

    def __init__(self, env, wire, report, rng):
        self.env, self.wire, self.report, self.rng = env, wire, report, rng
        self.conversations = 0

    def spoofed_source(self):
        return "198.%d.%d.%d" % (18 + self.rng.randrange(2), self.rng.randrange(256), self.rng.randrange(1, 255))

    def send(self, frames):
        for frame in frames:
            self.wire.send(bytes(frame))
            self.report.counts["segments_sent"] += 1

    def replies(self, flow, timeout):
        """The stack's segments to this flow, for up to timeout seconds."""
        source = socket.inet_aton(flow.source)
        for frame in self.wire.frames(timeout):
            s = parse_tcp(frame)
            if s and s.dst == source and s.dport == flow.sport and s.src == self.env.stack_ip_bytes:
                yield s

    def conversation(self):
        rng, counts = self.rng, self.report.counts
        self.conversations += 1
        n = self.conversations
        syn_shape = rng.choice(shapes.SYN_SHAPES) if rng.random() < 0.5 else shapes.syn_plain
        est_shapes = [rng.choice(shapes.EST_SHAPES) for _ in range(rng.randrange(1, 5))]
        flow = shapes.Flow(self.env, self.spoofed_source(), rng.randrange(1024, 65536),
                           rng.choice([ECHO_PORT, ECHO_PORT, HTTP_PORT]), rng.getrandbits(32))
        counts["shape." + syn_shape.__name__] += 1
        syn = flow.segment(SYN, seq=flow.snd_nxt - 1, ack=0, options=syn_shape(rng, flow))
        must_answer = syn_shape.harmless and not syn_shape.expects
        wait = 1.0 if must_answer else 0.25  # a refused SYN costs the full wait: keep it short
        synack = None
        for attempt in range(2 if must_answer else 1):  # once more, as TCP would, if the TAP lost it
            self.send([syn])
            synack = next((s for s in self.replies(flow, wait) if s.flags & (SYN | ACK) == SYN | ACK), None)
            if synack is not None:
                break
        if syn_shape.expects:
            if synack is not None:
                self.report.fail("conversation %d: a SYN with %s was answered: %s expected" % (
                    n, syn_shape.__name__, syn_shape.expects))
            return
        if synack is None:
            counts["handshakes_unanswered"] += 1
            if syn_shape.harmless:
                self.report.fail("conversation %d: no SYN-ACK to a SYN with %s" % (n, syn_shape.__name__))
            return
        counts["handshakes_completed"] += 1
        flow.rcv_nxt = (synack.seq + 1) & 0xFFFFFFFF
        self.send([flow.segment(ACK)])
        for shape in est_shapes:
            counts["shape." + shape.__name__] += 1
            before = flow.data_sent
            self.send(shape(rng, flow))
            if shape.harmless and not shape.expects:  # its data was taken: the next byte is further on
                flow.snd_nxt = (flow.snd_nxt + flow.data_sent - before) & 0xFFFFFFFF
        verdict = self.probe(flow, b"probe-%d" % n)
        counts["probe_" + verdict] += 1
        if verdict != "echoed" and syn_shape.harmless and all(s.harmless for s in est_shapes):
            self.report.counts["wrong_answers"] += 1
            self.report.fail("conversation %d to port %d (%s then %s): the probe was %s" % (
                n, flow.dport, syn_shape.__name__, ",".join(s.__name__ for s in est_shapes), verdict))
        self.send([flow.segment(RST | ACK)])

    def probe(self, flow, data):
        """Sends data at our next sequence number; echoed (port 7) or answered (port 80), reset, or lost."""
        if flow.dport == HTTP_PORT:
            data = b"GET / HTTP/1.1\r\nHost: fuzz\r\nX-Probe: " + data + b"\r\n\r\n"
        last_ack = None
        for attempt in range(2):
            self.send([flow.segment(0x18, payload=data)])
            received = b""
            for s in self.replies(flow, 0.4):
                if s.flags & RST:
                    return "reset"
                if s.flags & ACK:
                    last_ack = s.ack
                if s.payload:
                    received += s.payload
                    flow.rcv_nxt = (s.seq + len(s.payload)) & 0xFFFFFFFF
                if (flow.dport == ECHO_PORT and data in received) or (
                        flow.dport == HTTP_PORT and received.startswith(b"HTTP/1.1 ")):
                    flow.snd_nxt = (flow.snd_nxt + len(data)) & 0xFFFFFFFF
                    return "echoed"
            if last_ack is None or last_ack == flow.snd_nxt:
                break
            flow.snd_nxt = last_ack  # earlier fuzz data was taken: send the probe where the stack expects it
        return "lost"

    def syn_burst(self, size):
        """SYNs from many sources that never complete: the backlog fills, and later SYNs get cookies."""
        frames = []
        for _ in range(size):
            flow = shapes.Flow(self.env, self.spoofed_source(), self.rng.randrange(1024, 65536),
                               self.rng.choice([ECHO_PORT, HTTP_PORT]), self.rng.getrandbits(32))
            frames.append(flow.segment(SYN, seq=flow.snd_nxt - 1, ack=0, options=shapes.MSS_1460))
        self.send(frames)
        self.report.counts["syn_burst_segments"] += size


def fuzz(args, env, wire, report, checks, rng):
    fuzzer = Fuzzer(env, wire, report, rng)
    deadline = time.monotonic() + args.seconds
    batch = 0
    while report.counts["segments_sent"] < args.segments and time.monotonic() < deadline:
        batch += 1
        goal = min(args.segments, report.counts["segments_sent"] + args.batch)
        fuzzer.syn_burst(args.syn_burst)
        while report.counts["segments_sent"] < goal and time.monotonic() < deadline:
            fuzzer.conversation()
        wire.drain()
        report.counts["batches"] += 1
        print("batch %d: %d segments sent, %d conversations" % (
            batch, report.counts["segments_sent"], fuzzer.conversations), flush=True)
        if not checks.run("batch %d" % batch):
            report.counts["batches_failed"] += 1
    report.counts["conversations"] = fuzzer.conversations
    # Each malformed category sent must show in its drop counter.
    final = checks.target.latest() or {"drops": {}}
    expected = Counter()
    for shape in shapes.SYN_SHAPES + shapes.EST_SHAPES:
        if shape.expects and report.counts["shape." + shape.__name__]:
            expected[shape.expects] += report.counts["shape." + shape.__name__]
    for reason, sent in sorted(expected.items()):
        report.values["expected_drop.%s" % reason] = sent
        if final["drops"].get(reason, 0) == 0:
            report.fail("sent %d segments that must count %s, and the counter is 0" % (sent, reason))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--iface", required=True)
    p.add_argument("--stack-ip", required=True)
    p.add_argument("--stack-mac", required=True)
    p.add_argument("--target-log", required=True)
    p.add_argument("--target-pid", type=int, required=True)
    p.add_argument("--summary", required=True)
    p.add_argument("--segments", type=int, default=3000)
    p.add_argument("--seconds", type=float, default=90)
    p.add_argument("--batch", type=int, default=600, help="segments between liveness checks")
    p.add_argument("--syn-burst", type=int, default=48, help="half-open SYNs at the start of each batch")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--heap-bound-mib", type=int, default=128)
    p.add_argument("--flood", default="", help="comma-separated: syn,idle,frag,arp")
    p.add_argument("--count", type=int, default=None, help="the floods' size (default: per flood, see floods.py)")
    p.add_argument("--rate", type=int, default=10000, help="frames per second of the floods (0: as fast as can be)")
    p.add_argument("--idle-command", default="", help="the command that opens the idle connections (IdleClients)")
    p.add_argument("--idle-timeout-ms", type=int, default=5000)
    args = p.parse_args()

    seed = args.seed if args.seed is not None else random.randrange(1 << 32)
    rng = random.Random(seed)
    env = Env(args)
    target = Target(args.target_log, args.target_pid)
    report = Report(args.summary)
    report.values["seed"] = seed
    wire = Wire(args.iface)
    checks = Checks(env, target, report, args.heap_bound_mib)
    started = time.monotonic()
    try:
        if not checks.run("before"):
            report.fail("the stack did not pass the checks before any hostile traffic")
        elif args.segments > 0:
            fuzz(args, env, wire, report, checks, rng)
        for kind in [k for k in args.flood.split(",") if k]:
            if not target.alive():
                break
            floods.run(kind, args, env, wire, report, checks, rng)
    except Exception as e:  # a bug here must not pass for a healthy stack
        report.fail("hostile.py: %r" % e)
        raise
    finally:
        report.values["seconds"] = "%.1f" % (time.monotonic() - started)
        report.counts["crashes"] += 0
        report.counts["hangs"] += 0
        report.write(target)
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
