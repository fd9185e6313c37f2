"""Developer aid (bench/run.py --profile NAME): a few iterations of one
micro-benchmark under QEMU -singlestep -d exec,nochain, and the EL2
instructions of each exit by function (symbols from the image)."""
import bisect
import os
import re
import subprocess
import sys

from bench import common
from bench.common import log, make, qemu


def shared(name):
    """The vCPU-switch benchmarks want both vCPUs on one CPU."""
    return name.startswith("switch")


def build(name):
    cfg = os.path.join(common.OUT, "prof", "b-prof.cfg")
    os.makedirs(os.path.dirname(cfg), exist_ok=True)
    with open(cfg, "w") as f:
        f.write("node {\n\tcpus = %d\n}\nvm bench {\n\timage = build/guests/bench.bin\n"
                "\tmemory = 16M\n\tvcpus = 2\n\tcpus = %s\n"
                "\tbootargs = \"bench.iters=40 bench.only=%s\"\n}\n"
                % (1 if shared(name) else 2, "0" if shared(name) else "0 1", name))
    ok, out = make("image", "CONFIG=b-prof-" + name, "CONFIG_FILE=" + cfg)
    if not ok:
        sys.exit("profile: build failed:\n" + out)
    return os.path.join(common.BUILD, "img", "b-prof-" + name)


def text_symbols(elf):
    syms = []
    nm = subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], capture_output=True,
                        text=True).stdout
    for line in nm.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "tTwW":
            syms.append((int(p[0], 16), p[2]))
    # LTO leaves weak markers at small addresses outside the image (named
    # like "trap_dabt.c.a672fb31"); they would make guest PCs look like EL2.
    base = min(a for a, n in syms if n == "el2_vectors") & ~0xfffff
    return [s for s in syms if s[0] >= base]


def exit_segments(trace, syms):
    """(cpu, [vector offset, PCs]) of every run of EL2 code that starts at a
    lower-EL vector and stays inside the image."""
    lo, hi = syms[0][0], syms[-1][0] + 0x1000
    vbar = dict((n, a) for a, n in syms)["el2_vectors"]
    segs, cur = [], {}
    rx = re.compile(r"Trace (\d+): \S+ \[[0-9a-f]+/([0-9a-f]+)/")
    with open(trace, errors="replace") as f:
        for line in f:
            m = rx.match(line)
            if not m:
                continue
            cpu, pc = int(m.group(1)), int(m.group(2), 16)
            if cpu in cur:
                if lo <= pc < hi:
                    cur[cpu][1].append(pc)
                else:
                    segs.append((cpu, cur.pop(cpu)))
            elif vbar + 0x400 <= pc < vbar + 0x800:
                cur[cpu] = [pc - vbar, [pc]]
    return segs


def print_top(segs, syms):
    addrs = [a for a, _ in syms]
    seen, freq = {}, {}
    for cpu, (vec, pcs) in segs:
        key = (cpu, vec, len(pcs))
        seen[key] = pcs
        freq[key] = freq.get(key, 0) + 1
    for key in sorted(freq, key=lambda k: -freq[k])[:6]:
        cpu, vec, n = key
        fn, calls = {}, {}
        for pc in seen[key]:
            a, s = syms[bisect.bisect_right(addrs, pc) - 1]
            fn[s] = fn.get(s, 0) + 1
            calls[s] = calls.get(s, 0) + (pc == a)
        print("cpu %d, vector 0x%x (%s): %d EL2 instructions, seen %d times" % (
            cpu, vec, "sync" if vec in (0x400, 0x600) else "irq", n, freq[key]))
        for s, c in sorted(fn.items(), key=lambda kv: -kv[1])[:16]:
            print("  %6d  %s (entered %d times)" % (c, s, calls[s]))


def profile(name):
    img = build(name)
    trace = os.path.join(common.OUT, "prof", name + ".trace")
    cmd = qemu.qemu_cmd(os.path.join(img, "aether.bin"), smp=1 if shared(name) else 2, mem=256,
                        icount=True, extra=["-singlestep", "-d", "exec,nochain", "-D", trace])
    log("profile: running %s (a large trace; a minute or two)" % name)
    r = qemu.run(cmd, timeout=900)
    print("\n".join(l for l in r.output.splitlines() if "BENCH" in l))
    syms = text_symbols(os.path.join(img, "aether.elf"))
    segs = exit_segments(trace, syms)
    os.remove(trace)
    print_top(segs, syms)
