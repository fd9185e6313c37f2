#!/usr/bin/env python3
"""Boots build/linux/{Image,initrd.gz} on plain QEMU (no hypervisor) and
checks the guest side the Linux tests rely on:

  * the banner "AETHER-LINUX-READY nproc=2" with -smp 2;
  * a line typed into QEMU's stdin reaches the shell (typed-42);
  * aether-cntvct prints the counter; `sleep 2` between two readings is
    about 2 s of counter ticks;
  * `poweroff` and `exit` end QEMU by themselves; `reboot` restarts the
    machine (banner again) without -no-reboot and ends QEMU with it;
  * rdinit=/bin/aether-marker and init=/bin/aether-marker print
    "AETHER-MARKER cntvct=N" and power off; under
    -icount shift=0,align=off,sleep=off the figure is reported (and checked
    to repeat with dtb-randomness=off and a fixed -rtc clock=vm: exactly on
    cortex-a57, within 0.01% on -cpu max, whose RNDR feeds host randomness).

Every run is under a timeout; QEMU's console output goes to --log DIR.
Usage: tests/linux/native_check.py [--dir build/linux] [--cpu MODEL]...
"""
import argparse
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


class Fail(Exception):
    pass


class Guest:
    """One QEMU run with the console on stdin/stdout pipes."""

    def __init__(self, args, name, cpu, append, extra=(), logdir=None, timeout=120):
        self.name = name
        self.deadline = time.monotonic() + timeout
        cmd = [args.qemu, "-machine", "virt,gic-version=3", "-cpu", cpu, "-smp", "2",
               "-m", "512", "-nographic", "-nic", "none",
               "-kernel", os.path.join(args.dir, "Image"),
               "-initrd", os.path.join(args.dir, "initrd.gz"),
               "-append", append] + list(extra)
        self.cmd = cmd
        self.start = time.monotonic()
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, bufsize=0)
        self.buf = b""        # everything seen, ANSI escapes removed
        self.pos = 0          # expect() searches from here
        self.q = queue.Queue()
        self.log = open(os.path.join(logdir, name + ".log"), "wb") if logdir else None
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        while True:
            d = self.p.stdout.read1(4096) if hasattr(self.p.stdout, "read1") \
                else os.read(self.p.stdout.fileno(), 4096)
            self.q.put(d)
            if not d:
                return

    def _pump(self, t):
        try:
            d = self.q.get(timeout=max(0.0, t))
        except queue.Empty:
            return True
        if not d:
            return False
        if self.log:
            self.log.write(d)
            self.log.flush()
        self.buf += d
        return True

    def _left(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Fail("%s: timed out; output tail:\n%s" % (self.name, self.tail()))
        return left

    def tail(self, n=1500):
        return ANSI.sub(b"", self.buf[-n:]).decode("utf-8", "replace")

    def expect(self, pattern, timeout=60):
        """Waits for pattern (bytes regex) after the last match; returns the match."""
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        while True:
            text = ANSI.sub(b"", self.buf)
            m = rx.search(text, self.pos)
            if m:
                self.pos = m.end()
                return m
            left = min(end - time.monotonic(), self._left())
            if left <= 0:
                raise Fail("%s: no %r within %ds; output tail:\n%s"
                           % (self.name, pattern, timeout, self.tail()))
            if not self._pump(min(left, 0.5)) and self.p.poll() is not None:
                raise Fail("%s: QEMU exited (%s) before %r; output tail:\n%s"
                           % (self.name, self.p.returncode, pattern, self.tail()))

    def send(self, line):
        self.p.stdin.write(line.encode() + b"\n")
        self.p.stdin.flush()

    def wait_exit(self, timeout=30):
        end = time.monotonic() + timeout
        while self.p.poll() is None:
            left = end - time.monotonic()
            if left <= 0:
                raise Fail("%s: QEMU still running %ds after the request; tail:\n%s"
                           % (self.name, timeout, self.tail()))
            self._pump(min(left, 0.2))
        end = time.monotonic() + 2  # collect what QEMU wrote last
        while time.monotonic() < end and self._pump(0.1) and not self.q.empty():
            pass
        return self.p.returncode

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        if self.log:
            self.log.close()


def cntvct(g):
    g.send("aether-cntvct")
    m = g.expect(rb"cntvct=(\d+) cntfrq=(\d+)\s", 30)
    return int(m.group(1)), int(m.group(2))


def boot_to_shell(g, results, key):
    m = g.expect(rb"AETHER-LINUX-READY nproc=(\d+)\s", 240)
    t = time.monotonic() - g.start
    results[key] = t
    if m.group(1) != b"2":
        raise Fail("%s: banner says nproc=%s, want 2" % (g.name, m.group(1).decode()))
    return t


def check_shell(args, cpu, results):
    base = "console=ttyAMA0 quiet"
    # 1. banner, typed input, counter, poweroff
    g = Guest(args, "shell-" + cpu, cpu, base, logdir=args.log)
    try:
        t = boot_to_shell(g, results, "banner_s_" + cpu)
        print("  %-10s banner after %.2f s wall" % (cpu, t))
        g.send("echo typed-$((6*7))")
        g.expect(rb"typed-42", 30)
        print("  %-10s typed line reached the shell" % cpu)
        c0, f = cntvct(g)
        g.send("aether-cntvct; sleep 2; aether-cntvct")
        m1 = g.expect(rb"cntvct=(\d+) cntfrq=(\d+)\s", 30)
        m2 = g.expect(rb"cntvct=(\d+) cntfrq=(\d+)\s", 30)
        a, b = int(m1.group(1)), int(m2.group(1))
        if not (c0 < a < b) or f <= 0:
            raise Fail("counter readings not increasing: %d %d %d" % (c0, a, b))
        secs = (b - a) / f
        results["sleep2_s_" + cpu] = secs
        print("  %-10s cntfrq=%d, sleep 2 = %d ticks = %.3f s" % (cpu, f, b - a, secs))
        if not 1.95 <= secs <= 4.0:
            raise Fail("sleep 2 measured %.3f s of counter time" % secs)
        g.send("tty; echo jobs-$-")
        g.expect(rb"/dev/ttyAMA0", 30)
        m = g.expect(rb"jobs-(\w+)\s", 30)
        if b"m" not in m.group(1):
            raise Fail("no job control in the shell (flags %s)" % m.group(1).decode())
        t0 = time.monotonic()
        g.send("poweroff")
        rc = g.wait_exit(30)
        print("  %-10s poweroff: QEMU exited (status %d) after %.2f s"
              % (cpu, rc, time.monotonic() - t0))
    finally:
        g.kill()

    # 2. reboot without -no-reboot: the machine starts again; then `exit`
    g = Guest(args, "reboot-" + cpu, cpu, base, logdir=args.log, timeout=400)
    try:
        boot_to_shell(g, results, "banner2_s_" + cpu)
        g.send("reboot")
        boot_to_shell(g, results, "reboot_banner_s_" + cpu)
        print("  %-10s reboot: machine restarted, banner again" % cpu)
        g.send("echo second-$((5*5))")
        g.expect(rb"second-25", 30)
        g.send("exit")
        rc = g.wait_exit(30)
        print("  %-10s exit from the shell: QEMU exited (status %d)" % (cpu, rc))
    finally:
        g.kill()

    # 3. reboot with -no-reboot: QEMU exits; also through busybox init
    g = Guest(args, "noreboot-" + cpu, cpu, base, extra=["-no-reboot"], logdir=args.log)
    try:
        boot_to_shell(g, results, "banner3_s_" + cpu)
        g.send("/sbin/reboot")  # not the shell function: through busybox init
        rc = g.wait_exit(60)
        print("  %-10s /sbin/reboot (via init) with -no-reboot: QEMU exited (status %d)"
              % (cpu, rc))
    finally:
        g.kill()


# Under icount a run repeats exactly only when nothing host-dependent reaches
# the guest: QEMU's DTB carries a fresh rng-seed/kaslr-seed each boot unless
# dtb-randomness=off, and the PL031 RTC reads the host clock unless
# -rtc clock=vm with a fixed base.
DETERMINISTIC = ["-rtc", "base=2024-01-01T00:00:00,clock=vm"]


def run_marker(args, cpu, how, icount, randomness=True, dtb=None):
    extra = ["-no-reboot"]
    if icount:
        extra += ["-icount", "shift=0,align=off,sleep=off"] + DETERMINISTIC
    if not randomness:
        extra += ["-machine", "dtb-randomness=off"]
    if dtb:
        extra += ["-dtb", dtb]
    name = "marker-%s-%s%s%s%s" % (how, cpu, "-icount" if icount else "",
                                   "" if randomness else "-norandom", "-dtb" if dtb else "")
    g = Guest(args, name, cpu, "console=ttyAMA0 quiet %s=/bin/aether-marker" % how,
              extra=extra, logdir=args.log)
    try:
        m = g.expect(rb"AETHER-MARKER cntvct=(\d+)\s", 240)
        wall = time.monotonic() - g.start
        g.wait_exit(30)
        return int(m.group(1)), wall
    finally:
        g.kill()


def check_marker(args, cpu, results):
    for how in ("rdinit", "init"):
        n, wall = run_marker(args, cpu, how, False)
        print("  %-10s %s=/bin/aether-marker: cntvct=%d (%.3f s at 62.5 MHz), %.2f s wall"
              % (cpu, how, n, n / 62.5e6, wall))
    for randomness in (True, False):
        a, wall = run_marker(args, cpu, "rdinit", True, randomness)
        b, _ = run_marker(args, cpu, "rdinit", True, randomness)
        what = "QEMU's DTB" if randomness else "dtb-randomness=off"
        print("  %-10s rdinit=, icount, %s: cntvct=%d = %.4f s = %.4g instructions "
              "(%.2f s wall), %s"
              % (cpu, what, a, a / 62.5e6, a * 16, wall,
                 "repeats exactly" if a == b else "second run %d (%+.4f%%)"
                 % (b, 100.0 * (b - a) / a)))
        results["marker_icount_%s_%s" % (cpu, "seeded" if randomness else "noseed")] = a
        # Exact with dtb-randomness=off, except on CPUs with FEAT_RNG
        # (-cpu max): the kernel mixes RNDR's host randomness into its pool.
        if not randomness and abs(b - a) > a * 0.0005:
            raise Fail("icount marker moved by more than 0.05%% between runs: %d vs %d"
                       % (a, b))
    if args.dtb:
        # A DTB made elsewhere, e.g. the one tools/vmconfig writes for
        # configs/linux.cfg (QEMU still fills in /chosen's initrd and
        # bootargs): the native baseline for the same guest description.
        a, wall = run_marker(args, cpu, "rdinit", True, dtb=args.dtb)
        b, _ = run_marker(args, cpu, "rdinit", True, dtb=args.dtb)
        print("  %-10s rdinit=, icount, -dtb %s: cntvct=%d = %.4f s = %.4g instructions "
              "(%.2f s wall), %s" % (cpu, args.dtb, a, a / 62.5e6, a * 16, wall,
                                     "repeats exactly" if a == b else "second run %d" % b))
        results["marker_icount_%s_dtb" % cpu] = a


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dir", default="build/linux")
    ap.add_argument("--qemu", default="qemu-system-aarch64")
    ap.add_argument("--cpu", action="append",
                    help="QEMU -cpu value, repeatable (default: cortex-a57 and max)")
    ap.add_argument("--log", default=None, help="directory for console logs "
                    "(default DIR/native-logs)")
    ap.add_argument("--dtb", help="also time the marker with this DTB (-dtb), e.g. "
                    "the vm-linux.dtb that build/tools/vmconfig writes")
    ap.add_argument("--skip-shell", action="store_true")
    ap.add_argument("--skip-marker", action="store_true")
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    for f in ("Image", "initrd.gz"):
        if not os.path.isfile(os.path.join(args.dir, f)):
            print("native_check: %s/%s missing (make linux)" % (args.dir, f))
            return 2
    args.log = args.log or os.path.join(args.dir, "native-logs")
    os.makedirs(args.log, exist_ok=True)

    results = {}
    failed = 0
    for cpu in args.cpu or ["cortex-a57", "max"]:
        for what, fn, skip in (("shell checks", check_shell, args.skip_shell),
                               ("marker", check_marker, args.skip_marker)):
            if skip:
                continue
            print("%s, -cpu %s:" % (what, cpu))
            try:
                fn(args, cpu, results)
            except Fail as e:
                failed += 1
                print("FAIL: %s" % e)
    with open(os.path.join(args.log, "results.json"), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    print("native_check: %s (logs in %s)" % ("FAILED" if failed else "all passed", args.log))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
