#!/usr/bin/env python3
"""The benchmark suite behind `make bench` (issue 6).

Every figure is counted, not timed: QEMU runs with
-icount shift=0,align=off,sleep=off, where one guest instruction is one
nanosecond of virtual time and PMCCNTR_EL0 advances one per instruction.
Wall-clock figures are given as ratios only.

  1. Micro-benchmarks: tests/guests/bench.c in tests/configs/b-micro.cfg
     (2 vCPUs on 2 CPUs), 10,000 iterations each.
  2. Macro: Debian's arm64 kernel + the test initramfs to the userspace
     marker (rdinit=/bin/aether-marker), natively (plain QEMU at EL1 with
     the VM's own device tree), under this hypervisor and under Xen 4.17
     (Debian's xen-hypervisor-4.17-arm64, private apt state); a syscall and
     timer workload (bench/workload.c); wall-clock over 5 alternating runs.
  3. Size of the EL2 image and the EL2 memory reserved at run time.

Writes <build>/bench/results.md and results.json and prints the table.
A benchmark never fails on a number: the exit status is 0 unless nothing
could be measured at all.

Usage: bench/run.py [--build build] [--only micro,macro,size] [--runs 5]
                    [--no-xen] [--profile NAME]
"""
import argparse
import bisect
import gzip
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402

ICOUNT = "shift=0,align=off,sleep=off"
DEADLINE = float("inf")
NATIVE_MACHINE = "virt,gic-version=3"
MARKER_ARGS = "console=ttyAMA0 quiet rdinit=/bin/aether-marker"
WORK_ARGS = "console=ttyAMA0 quiet rdinit=/bin/aether-bench"
GUEST_MEM = 512           # MiB, every Linux guest (native, Aether VM, Xen dom0)
HOST_MEM = 1024           # MiB QEMU gives the hypervisors
XEN_PKG = "xen-hypervisor-4.17-arm64"
TICK_NS = 16              # CNTFRQ 62.5 MHz under QEMU: one tick is 16 instructions

TARGETS = {
    "hvc": ("EL2 instructions", 60),
    "mmio_read": ("EL2 instructions", 100),
    "mmio_write": ("EL2 instructions", 100),
    "timer_spin": ("EL2 instructions", 80),
    "boot_ratio": ("virtual time vs native", 1.01),
    "text": ("bytes", 64 * 1024),
}

ICOUNT_NOTE = ("icount counts instructions, not time: hardware charges hundreds of "
               "cycles for every exception entry and return, and more for the cache "
               "and TLB effects of a world switch, none of which appears here. Read "
               "every figure next to its exit counts and apply your own per-exit cost.")


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def make(*args, timeout=1800):
    cmd = ["make", "-s", "--no-print-directory", "BUILD=" + BUILD] + list(args)
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False, "make %s: timed out" % " ".join(args)
    return p.returncode == 0, (p.stdout + p.stderr)[-3000:]


def build_image(config):
    ok, out = make("image", "CONFIG=" + config)
    path = os.path.join(BUILD, "img", config, "aether.bin")
    return (path if ok and os.path.exists(path) else None), out


def qemu_version():
    try:
        out = subprocess.run(["qemu-system-aarch64", "--version"], capture_output=True,
                             text=True).stdout
        return out.splitlines()[0].strip()
    except OSError:
        return "unknown"


def run_qemu(cmd, timeout, logname, stop_on=None):
    """One bounded QEMU run; its console output is kept in logs/.  No run
    starts or lasts past the overall budget (--budget)."""
    left = DEADLINE - time.monotonic()
    if left < 15:
        res = qemu.Result("", -1, True, 0.0)
        res.skipped = True
        return res
    res = qemu.run(cmd, timeout=min(timeout, left), stop_on=stop_on)
    res.skipped = False
    path = os.path.join(OUT, "logs", logname + ".log")
    with open(path, "w") as f:
        f.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\n")
        f.write(res.output)
        if res.timed_out:
            f.write("\n[bench: timed out after %d s]\n" % timeout)
    return res


def fmt(v, nd=1):
    if v is None:
        return "-"
    if isinstance(v, float):
        return ("%%.%df" % nd) % v
    return str(v)


def verdict(key, value):
    if value is None or key not in TARGETS:
        return None
    return "meets" if value <= TARGETS[key][1] else "misses"


# ====================================================================== micro
def parse_bench_lines(text):
    out = []
    for line in text.splitlines():
        m = re.search(r"BENCH (\w+)((?: [\w]+=\S+)*)\s*$", line)
        if m:
            kv = dict(x.split("=", 1) for x in m.group(2).split())
            for k, v in kv.items():
                try:
                    kv[k] = int(v)
                except ValueError:
                    pass
            out.append((m.group(1), kv))
    return out


def exits_of(kv, iters):
    return {k[2:]: kv[k] / iters for k in kv if k.startswith("x_") and k != "x_iters"}


def exits_str(ex):
    """Exits per iteration; below 0.01 is the measuring code's own noise."""
    ex = {k: v for k, v in (ex or {}).items() if abs(v) >= 0.01}
    if not ex:
        return "none"
    return ", ".join("%s %s" % (k, fmt(v, 2).rstrip("0").rstrip(".")) for k, v in ex.items())


MICRO_LABELS = {
    "hvc": "null hypercall (HVC SMCCC_VERSION) round trip",
    "mmio_read": "emulated MMIO read (vPL011 FR)",
    "mmio_write": "emulated MMIO write (vPL011 IMSC, same value)",
    "abort": "Stage-2 fault on unmapped IPA -> injected abort (guest handler skips)",
    "timer_spin": "virtual timer: expiry -> guest handler (guest running)",
    "timer_wfi": "virtual timer: expiry -> guest handler (guest in WFI)",
    "sgi_ping": "SGI vCPU0 -> vCPU1 (pCPU0 -> pCPU1): write -> receiver handler",
    "sgi_pong": "SGI vCPU1 -> vCPU0 (pCPU1 -> pCPU0): write -> receiver handler",
    "cpu_on": "PSCI CPU_ON -> new vCPU's first instruction",
    "switch": "vCPU switch on a shared pCPU: SGI write to the sibling -> its handler",
}


def micro_switch(errors):
    """Both vCPUs on one physical CPU (tests/configs/b-switch.cfg): the
    hypervisor switches vCPUs at the exit of an SGI to the sibling."""
    image, out = build_image("b-switch")
    if not image:
        return {"na": "n/a (b-switch does not build: CPU sharing missing?)"}
    log("micro: vCPU switch on a shared CPU (b-switch, 1 CPU)")
    r = run_qemu(qemu.qemu_cmd(image, smp=1, mem=256, icount=True), 120, "micro-switch")
    for kind, kv in parse_bench_lines(r.output):
        if kind == "switch" and kv.get("ab_n"):
            n = kv["ab_n"] + kv["ba_n"]
            return {"iters": kv["iters"], "total": (kv["ab_sum"] + kv["ba_sum"]) / n,
                    "min": min(kv["ab_min"], kv["ba_min"]),
                    "max": max(kv["ab_max"], kv["ba_max"]),
                    "exits": exits_of(kv, 2 * kv["iters"]),
                    "negative": kv["ab_bad"] + kv["ba_bad"]}
    errors.extend(l.strip() for l in r.output.splitlines() if "BENCH-ERROR" in l)
    return {"na": "n/a (no result; see build/bench/logs/micro-switch.log)"}


def micro(res):
    log("micro: building the bench guest and tests/configs/b-micro.cfg")
    image, out = build_image("b-micro")
    if not image:
        res["micro"] = {"error": "build failed: " + out[-800:]}
        return
    log("micro: running (QEMU -icount, 2 CPUs, timeout 300 s)")
    r = run_qemu(qemu.qemu_cmd(image, smp=2, mem=256, icount=True), 300, "micro")
    lines = parse_bench_lines(r.output)
    errors = [l.strip() for l in r.output.splitlines() if "BENCH-ERROR" in l]
    if r.skipped:
        errors.append("skipped: the time budget of make bench was used up")
    elif r.timed_out:
        errors.append("QEMU timed out after 300 s")
    m = {"rows": {}, "errors": errors, "info": {}, "boot": {}}
    for kind, kv in lines:
        name = kv.get("name")
        if kind == "info":
            m["info"].update(kv)
        elif kind == "loop":
            n = kv["iters"]
            m["rows"][name] = {
                "iters": n,
                "total": (kv["cyc"] - kv["cyc0"]) / n,
                "el2": (kv["el2"] - kv["el20"]) / n,
                "exits": exits_of(kv, n),
            }
        elif kind == "lat":
            n = kv["lat_n"] or 1
            m["rows"][name] = {
                "iters": kv["iters"],
                "total": kv["lat_sum"] / n, "min": kv["lat_min"], "max": kv["lat_max"],
                "el2": kv["el2_sum"] / (kv["el2_n"] or 1),
                "exits": exits_of(kv, kv["iters"]),
                "negative": kv["lat_bad"],
            }
        elif kind == "sgi":
            n = kv["iters"]
            ex = exits_of(kv, n)
            for d in ("ping", "pong"):
                m["rows"]["sgi_" + d] = {
                    "iters": n, "total": kv[d + "_sum"] / (kv[d + "_n"] or 1),
                    "min": kv[d + "_min"], "max": kv[d + "_max"],
                    "el2_cpu0": kv["el2_cpu0"] / n, "el2_cpu1": kv["el2_cpu1"] / n,
                    "exits": ex, "negative": kv[d + "_bad"],
                }
        elif kind == "cpu_on":
            n = kv["lat_n"] or 1
            m["rows"]["cpu_on"] = {
                "iters": kv["iters"], "total": kv["lat_sum"] / n,
                "min": kv["lat_min"], "max": kv["lat_max"],
                "el2": kv["el2_sum"] / (kv["el2_n"] or 1),
                "exits": exits_of(kv, kv["iters"]), "failed": kv["failed"],
            }
    m["rows"]["switch"] = micro_switch(m["errors"])
    b = re.search(r"RAM (\d+) MiB in \d+ range\(s\), (\d+) KiB free", r.output)
    s2 = re.search(r"Stage-2 tables (\d+) page\(s\)", r.output)
    vmem = re.search(r"vm bench: VMID \d+, (\d+) MiB RAM", r.output)
    if b and vmem:
        m["boot"] = {"ram_kib": int(b.group(1)) * 1024, "free_kib": int(b.group(2)),
                     "vm_kib": int(vmem.group(1)) * 1024,
                     "s2_pages_used": int(s2.group(1)) if s2 else None}
    summ = re.search(r"vm bench: .*exits: (.*)", r.output)
    m["summary_exits"] = summ.group(1).strip() if summ else None
    if "done" not in [k for k, _ in lines]:
        m["errors"].append("the bench guest did not finish (see build/bench/logs/micro.log)")
    res["micro"] = m


# ====================================================================== size
def size(res):
    elf = os.path.join(BUILD, "aether.elf")
    s = {"elf": elf}
    try:
        out = subprocess.run(["aarch64-linux-gnu-size", "-A", elf], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        res["size"] = {"error": "aarch64-linux-gnu-size failed: %s" % e}
        return
    for line in out.splitlines():
        p = line.split()
        if len(p) >= 2 and p[0] in (".text", ".guest", ".rodata", ".data", ".bss"):
            s[p[0][1:]] = int(p[1])
    syms = {}
    nm = subprocess.run(["aarch64-linux-gnu-nm", elf], capture_output=True, text=True).stdout
    for line in nm.splitlines():
        p = line.split()
        if len(p) == 3:
            syms[p[2]] = int(p[0], 16)
    if "_head" in syms and "_end" in syms:
        s["image_bytes"] = syms["_end"] - syms["_head"]
    s["s2_pool_bytes_per_vm"] = 64 * 4096
    boot = res.get("micro", {}).get("boot") or {}
    if boot:
        s["runtime_reserved_kib"] = boot["ram_kib"] - boot["free_kib"] - boot["vm_kib"]
        s["runtime_config"] = "b-micro (1 VM of 16 MiB)"
    res["size"] = s


# ====================================================================== Linux
def linux_files():
    img = os.path.join(BUILD, "linux", "Image")
    rd = os.path.join(BUILD, "linux", "initrd.gz")
    if not (os.path.exists(img) and os.path.exists(rd)):
        log("macro: build/linux missing: make linux (downloads Debian's kernel)")
        ok, out = make("linux", timeout=900)
        if not ok:
            return None, None, "make linux failed: " + out.strip().splitlines()[-1:][0] \
                if out.strip() else "make linux failed"
    if not (os.path.exists(img) and os.path.exists(rd)):
        return None, None, "build/linux/Image or initrd.gz missing"
    return img, rd, None


def build_workload(initrd):
    """bench/workload.c as /bin/aether-bench, appended to the test initramfs
    as a second cpio member (the kernel unpacks concatenated archives)."""
    wdir = os.path.join(OUT, "work")
    os.makedirs(wdir, exist_ok=True)
    exe = os.path.join(wdir, "aether-bench")
    cc = ["aarch64-linux-gnu-gcc", "-O2", "-static", "-nostdlib", "-ffreestanding", "-fno-pie",
          "-no-pie", "-Wl,--build-id=none", "-fno-stack-protector",
          "-fno-asynchronous-unwind-tables", "-mgeneral-regs-only", "-Wall", "-Wextra", "-Werror",
          "-I", os.path.join(ROOT, "tools", "linux"), "-o", exe,
          os.path.join(ROOT, "bench", "workload.c")]
    p = subprocess.run(cc, capture_output=True, text=True)
    if p.returncode:
        return None, "cannot build bench/workload.c: " + p.stderr[-500:]
    data = open(exe, "rb").read()

    def entry(name, mode, body, ino):
        hdr = "070701" + "".join("%08X" % v for v in (
            ino, mode, 0, 0, 1, 0, len(body), 0, 0, 0, 0, len(name) + 1, 0))
        rec = hdr.encode() + name.encode() + b"\0"
        rec += b"\0" * (-len(rec) % 4) + body
        return rec + b"\0" * (-len(rec) % 4)

    arc = entry("bin", 0o40755, b"", 900001) + entry("bin/aether-bench", 0o100755, data, 900002)
    arc += entry("TRAILER!!!", 0, b"", 0)
    out = os.path.join(OUT, "initrd-bench.gz")
    with open(out + ".tmp", "wb") as f:
        f.write(open(initrd, "rb").read())
        f.write(gzip.compress(arc, mtime=0))
    os.replace(out + ".tmp", out)
    return out, None


def native_cmd(image, initrd, dtb, smp, append):
    extra = ["-initrd", initrd, "-append", append]
    return qemu.qemu_cmd(image, smp=smp, mem=GUEST_MEM, machine=NATIVE_MACHINE, dtb=dtb,
                         extra=extra, icount=True)


def aether_exits(text, vm):
    m = re.search(r"vm %s: [^\n]*exits: hvc (\d+) smc (\d+) sysreg (\d+) mmio (\d+) abort (\d+) "
                  r"wfx (\d+) irq (\d+) undef (\d+)" % re.escape(vm), text)
    if not m:
        return None
    keys = ("hvc", "smc", "sysreg", "mmio", "abort", "wfx", "irq", "undef")
    return dict(zip(keys, map(int, m.groups())))


EC_CLASS = {0x01: "wfx", 0x16: "hvc", 0x17: "smc", 0x18: "sysreg", 0x24: "dabt", 0x20: "iabt",
            0x00: "unknown"}


def int_histogram(path):
    """Exceptions taken to EL2 from EL0/EL1, by class, from a QEMU -d int log."""
    counts = {}
    cur = None

    def flush(c):
        if c and c.get("to") == 2 and c.get("frm", 2) < 2:
            if c["kind"] in ("IRQ", "FIQ", "Virtual IRQ"):
                k = "irq"
            elif "ec" in c:
                k = EC_CLASS.get(c["ec"], "ec 0x%02x" % c["ec"])
            else:
                k = c["kind"].lower()
            counts[k] = counts.get(k, 0) + 1

    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("Taking exception"):
                flush(cur)
                m = re.match(r"Taking exception \d+ \[([^\]]+)\]", line)
                cur = {"kind": m.group(1) if m else "?"}
            elif cur is not None and line.startswith("...from EL"):
                m = re.match(r"\.\.\.from EL(\d) to EL(\d)", line)
                if m:
                    cur["frm"], cur["to"] = int(m.group(1)), int(m.group(2))
            elif cur is not None and line.startswith("...with ESR"):
                m = re.match(r"\.\.\.with ESR 0x([0-9a-f]+)/", line)
                if m:
                    cur["ec"] = int(m.group(1), 16)
    flush(cur)
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


# ---------------------------------------------------------------------- Xen
def xen_fetch():
    """Debian's Xen 4.17 for arm64, downloaded with a private apt state (the
    host's dpkg architectures and apt lists are not touched)."""
    xdir = os.path.abspath(os.path.join(OUT, "xen"))
    xen = os.path.join(xdir, "xen-4.17-arm64")
    ver = os.path.join(xdir, "VERSION")
    if os.path.exists(xen) and os.path.exists(ver):
        return xen, open(ver).read().strip(), None
    st = os.path.join(xdir, "apt")
    for d in ("lists/partial", "cache/archives/partial", "sources.list.d", "debs"):
        os.makedirs(os.path.join(st, d), exist_ok=True)
    keyring = "/usr/share/keyrings/debian-archive-keyring.gpg"
    if not os.path.exists(keyring):
        return None, None, keyring + " missing"
    mirror = os.environ.get("DEBIAN_MIRROR", "http://deb.debian.org/debian")
    sec = os.environ.get("DEBIAN_SECURITY_MIRROR", "http://deb.debian.org/debian-security")
    with open(os.path.join(st, "sources.list"), "w") as f:
        f.write("deb [arch=arm64 signed-by=%s] %s bookworm main\n" % (keyring, mirror))
        f.write("deb [arch=arm64 signed-by=%s] %s bookworm-updates main\n" % (keyring, mirror))
        f.write("deb [arch=arm64 signed-by=%s] %s bookworm-security main\n" % (keyring, sec))
    with open(os.path.join(st, "apt.conf"), "w") as f:
        f.write("#clear APT::Update::Post-Invoke-Success;\n#clear APT::Update::Post-Invoke;\n"
                "#clear DPkg::Post-Invoke;\n")
    opts = ["-c", os.path.join(st, "apt.conf"),
            "-o", "APT::Architecture=arm64", "-o", "APT::Architectures=arm64",
            "-o", "Dir::State::Lists=" + os.path.join(st, "lists"),
            "-o", "Dir::Cache=" + os.path.join(st, "cache"),
            "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=",
            "-o", "Dir::Etc::SourceList=" + os.path.join(st, "sources.list"),
            "-o", "Dir::Etc::SourceParts=" + os.path.join(st, "sources.list.d"),
            "-o", "Acquire::Languages=none"]
    if os.geteuid() == 0:
        opts += ["-o", "APT::Sandbox::User=root"]
    debs = os.path.join(st, "debs")
    have = [d for d in os.listdir(debs) if d.startswith(XEN_PKG + "_")]
    try:
        if not have:
            p = subprocess.run(["apt-get"] + opts + ["-q", "update"], capture_output=True,
                               text=True, timeout=300)
            if p.returncode:
                return None, None, "apt-get update failed (%s)" % p.stderr.strip()[-200:]
            p = subprocess.run(["apt-get"] + opts + ["-q", "download", XEN_PKG], cwd=debs,
                               capture_output=True, text=True, timeout=300)
            if p.returncode:
                return None, None, "apt-get download %s failed (%s)" % (
                    XEN_PKG, p.stderr.strip()[-200:])
            have = [d for d in os.listdir(debs) if d.startswith(XEN_PKG + "_")]
        if not have:
            return None, None, "no %s .deb after download" % XEN_PKG
        deb = os.path.join(debs, sorted(have)[-1])
        tmp = os.path.join(xdir, "extract")
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        p = subprocess.run("dpkg-deb --fsys-tarfile %s | tar -x -C %s ./boot" %
                           (shlex.quote(deb), shlex.quote(tmp)), shell=True,
                           capture_output=True, text=True, timeout=120)
        src = os.path.join(tmp, "boot", "xen-4.17-arm64")
        if p.returncode or not os.path.exists(src):
            return None, None, "cannot extract boot/xen-4.17-arm64 from %s" % deb
        version = subprocess.run(["dpkg-deb", "-f", deb, "Version"], capture_output=True,
                                 text=True).stdout.strip()
        shutil.copy(src, xen)
        shutil.rmtree(tmp, ignore_errors=True)
        with open(ver, "w") as f:
            f.write("%s %s\n" % (XEN_PKG, version))
        return xen, "%s %s" % (XEN_PKG, version), None
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, None, "download failed (%s)" % e


XEN_KEEP = ("psci", "memory@", "cpus", "timer", "intc@", "apb-pclk", "pl011@", "chosen")
XEN_KERNEL_ADDR = 0x60000000


def xen_dtb(name, smp, kernel, initrd, xen_args, dom0_args):
    """QEMU's own DTB (dumpdtb) cut down to the devices the Aether VM has
    (no PCIe, virtio-mmio, flash, RTC, GPIO, fw-cfg, ITS, random seeds),
    plus /chosen multiboot module nodes for dom0's kernel and initrd."""
    xdir = os.path.join(OUT, "xen")
    raw = os.path.join(xdir, "virt-%d.dtb" % smp)
    if not os.path.exists(raw):
        subprocess.run(qemu.qemu_cmd(None, smp=smp, mem=HOST_MEM,
                                     machine=qemu.MACHINE + ",dumpdtb=" + raw),
                       capture_output=True, timeout=60)
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", raw], capture_output=True,
                         text=True, check=True).stdout
    keep, depth, skip = [], 0, False
    for line in dts.split("\n"):
        m = re.match(r"^\t([^\t].*?) \{$", line)
        if depth == 1 and m:
            label = m.group(1).split(":")[-1].strip()
            skip = not label.startswith(XEN_KEEP)
        if depth < 1 or not skip:
            keep.append(line)
        depth += line.count("{") - line.count("}")
        if depth == 1 and skip and line.strip() == "};":
            skip = False
    dts = "\n".join(keep)
    dts = re.sub(r"\n\t\t(rng-seed|kaslr-seed) = [^;]*;", "", dts)
    dts = re.sub(r"\n\t\tits@[0-9a-f]+ \{.*?\n\t\t\};", "", dts, flags=re.S)
    ksize, rsize = os.path.getsize(kernel), os.path.getsize(initrd)
    raddr = (XEN_KERNEL_ADDR + ksize + 0x3fffff) & ~0x1fffff
    chosen = ('\tchosen {\n\t\tstdout-path = "/pl011@9000000";\n'
              '\t\t#address-cells = <0x02>;\n\t\t#size-cells = <0x02>;\n'
              '\t\txen,xen-bootargs = "%s";\n'
              '\t\tmodule@%x {\n\t\t\tcompatible = "multiboot,kernel", "multiboot,module";\n'
              '\t\t\treg = <0x00 0x%x 0x00 0x%x>;\n\t\t\tbootargs = "%s";\n\t\t};\n'
              '\t\tmodule@%x {\n\t\t\tcompatible = "multiboot,ramdisk", "multiboot,module";\n'
              '\t\t\treg = <0x00 0x%x 0x00 0x%x>;\n\t\t};\n\t};\n') % (
                  xen_args, XEN_KERNEL_ADDR, XEN_KERNEL_ADDR, ksize, dom0_args,
                  raddr, raddr, rsize)
    dts = re.sub(r"\tchosen \{.*?\n\t\};\n", lambda _: chosen, dts, flags=re.S)
    src = os.path.join(xdir, name + ".dts")
    out = os.path.join(xdir, name + ".dtb")
    with open(src, "w") as f:
        f.write(dts)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, src], check=True)
    return out, raddr


def xen_cmd(xen, dtb, kernel, initrd, raddr, smp):
    extra = ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % (kernel, XEN_KERNEL_ADDR),
             "-device", "loader,file=%s,addr=0x%x,force-raw=on" % (initrd, raddr)]
    return qemu.qemu_cmd(xen, smp=smp, mem=HOST_MEM, dtb=dtb, extra=extra, icount=True)


def xen_args(smp, scrub):
    a = "console=dtuart dtuart=/pl011@9000000 dom0_mem=%dM,max:%dM dom0_max_vcpus=%d" % (
        GUEST_MEM, GUEST_MEM, smp)
    return a + ("" if scrub else " bootscrub=0")


# ---------------------------------------------------------------------- macro
def macro(res):
    mac = {"setups": {}, "notes": [], "workload": {}}
    res["macro"] = mac
    kernel, initrd, err = linux_files()
    if err:
        mac["error"] = err
        return
    images = {}
    for cfg in ("b-linux", "b-linux1"):
        log("macro: building tests/configs/%s.cfg" % cfg)
        img, out = build_image(cfg)
        if not img:
            mac["error"] = "cannot build %s: %s" % (cfg, out[-500:])
            return
        images[cfg] = img
    dtb2 = os.path.join(BUILD, "img", "b-linux", "vm-linux.dtb")
    dtb1 = os.path.join(BUILD, "img", "b-linux1", "vm-linux.dtb")

    # name -> (description, smp, kind, cmd, timeout)
    setups = {}
    setups["native-2"] = ("native (QEMU at EL1, the VM's device tree)", 2, "native",
                          native_cmd(kernel, initrd, dtb2, 2, MARKER_ARGS), 180)
    setups["aether-2"] = ("Aether EdgeCloud (2 vCPUs on 2 CPUs)", 2, "aether",
                          qemu.qemu_cmd(images["b-linux"], smp=2, mem=HOST_MEM, icount=True),
                          240)
    setups["native-1"] = ("native, 1 CPU", 1, "native",
                          native_cmd(kernel, initrd, dtb1, 1, MARKER_ARGS), 180)
    setups["aether-1"] = ("Aether EdgeCloud, 1 vCPU", 1, "aether",
                          qemu.qemu_cmd(images["b-linux1"], smp=1, mem=HOST_MEM, icount=True),
                          240)
    xen, xver = None, None
    if ARGS.no_xen:
        mac["xen"] = "not measured (--no-xen)"
    else:
        log("macro: fetching %s (private apt state under %s/xen)" % (XEN_PKG, OUT))
        xen, xver, xerr = xen_fetch()
        if xerr:
            mac["xen"] = "not measured (%s)" % xerr
        else:
            mac["xen"] = xver
            try:
                for scrub, nm in ((True, "xen-1"), (False, "xen-1-noscrub")):
                    dtb, raddr = xen_dtb(nm, 1, kernel, initrd, xen_args(1, scrub),
                                         MARKER_ARGS.replace("ttyAMA0", "hvc0"))
                    setups[nm] = ("Xen 4.17 dom0, 1 vCPU, " +
                                  ("defaults" if scrub else "bootscrub=0"), 1, "xen",
                                  xen_cmd(xen, dtb, kernel, initrd, raddr, 1), 240)
            except (OSError, subprocess.SubprocessError) as e:
                mac["xen"] = "not measured (device tree: %s)" % e
    # The brief's plain QEMU command: QEMU's full device tree, 1 GiB.
    setups["native-2-qemudtb"] = ("native, QEMU's own device tree, -m 1024", 2, "native",
                                  qemu.qemu_cmd(kernel, smp=2, mem=1024,
                                                machine=NATIVE_MACHINE, icount=True,
                                                extra=["-initrd", initrd, "-append",
                                                       MARKER_ARGS]), 180)

    rounds = {"native-2-qemudtb": 1}
    failed = set()
    for rnd in range(ARGS.runs):
        for name, (desc, smp, kind, cmd, tmo) in setups.items():
            if name in failed or rnd >= rounds.get(name, ARGS.runs):
                continue
            log("macro: %s run %d/%d" % (name, rnd + 1, rounds.get(name, ARGS.runs)))
            r = run_qemu(cmd, tmo, "%s-%d" % (name, rnd + 1))
            s = mac["setups"].setdefault(name, {"desc": desc, "cpus": smp, "kind": kind,
                                                "cntvct": [], "wall": [], "errors": []})
            m = re.search(r"AETHER-MARKER cntvct=(\d+)", r.output)
            if not m:
                s["errors"].append("no marker (%s); see build/bench/logs/%s-%d.log" % (
                    "skipped: time budget used up" if r.skipped else
                    "timed out after %d s" % tmo if r.timed_out else "exit %d" % r.rc,
                    name, rnd + 1))
                failed.add(name)
                continue
            s["cntvct"].append(int(m.group(1)))
            s["wall"].append(r.seconds)
            if kind == "aether":
                s["exits"] = aether_exits(r.output, "linux")
    # Exit histograms from QEMU's own exception log (one extra run each).
    for name, (desc, smp, kind, cmd, tmo) in setups.items():
        if kind == "native" or name in failed or name not in mac["setups"]:
            continue
        path = os.path.join(OUT, "logs", name + "-int.qemulog")
        log("macro: %s with -d int (exit histogram)" % name)
        r = run_qemu(cmd + ["-d", "int", "-D", path], tmo * 2, name + "-int")
        if os.path.exists(path):
            mac["setups"][name]["int_exits"] = int_histogram(path)
            os.remove(path)
    for s in mac["setups"].values():
        v = s["cntvct"]
        if v:
            s["marker_cntvct"] = v[0]
            s["repeatable"] = len(set(v)) == 1
            s["instructions"] = v[0] * TICK_NS
    for name, s in mac["setups"].items():
        base = "native-%d" % s["cpus"]
        b = mac["setups"].get(base)
        if s.get("marker_cntvct") and b and b.get("marker_cntvct"):
            s["ratio"] = s["marker_cntvct"] / b["marker_cntvct"]
            if s["wall"] and b["wall"] and len(s["wall"]) > 1:
                bw = statistics.median(b["wall"])
                s["wall_ratio"] = statistics.median(s["wall"]) / bw
                s["wall_ratio_range"] = (min(s["wall"]) / bw, max(s["wall"]) / bw)
    mac["xen_smp2"] = ("Xen with 2 CPUs is not measured: under QEMU's single-threaded "
                       "round-robin icount scheduler Xen 4.17's boot stalls (CPU1 spins at "
                       "EL2 with interrupts masked) before dom0 is built; 1 CPU works.")
    workload(res, kernel, initrd, xen)


def workload(res, kernel, initrd, xen):
    wl = res["macro"]["workload"]
    wrd, err = build_workload(initrd)
    if err:
        wl["error"] = err
        return
    img, out = build_image("b-work")
    if not img:
        wl["error"] = "cannot build tests/configs/b-work.cfg: " + out[-300:]
        return
    dtb2 = os.path.join(BUILD, "img", "b-linux", "vm-linux.dtb")
    runs = {
        "native-2": native_cmd(kernel, wrd, dtb2, 2, WORK_ARGS),
        "aether-2": qemu.qemu_cmd(img, smp=2, mem=HOST_MEM, icount=True),
    }
    if xen:
        runs["native-1"] = native_cmd(kernel, wrd, os.path.join(BUILD, "img", "b-linux1",
                                                                "vm-linux.dtb"), 1, WORK_ARGS)
        try:
            dtb, raddr = xen_dtb("xen-1-work", 1, kernel, wrd, xen_args(1, False),
                                 WORK_ARGS.replace("ttyAMA0", "hvc0"))
            runs["xen-1-noscrub"] = xen_cmd(xen, dtb, kernel, wrd, raddr, 1)
        except (OSError, subprocess.SubprocessError) as e:
            wl["xen-1-noscrub"] = {"error": "device tree: %s" % e}
    setups = res["macro"]["setups"]
    for name, cmd in runs.items():
        if name in setups and not setups[name].get("marker_cntvct"):
            wl[name] = {"error": "not run: the same setup did not boot to the marker"}
            continue
        log("workload: %s" % name)
        trace = os.path.join(OUT, "logs", "work-%s-int.qemulog" % name)
        hyp = not name.startswith("native")
        # Exits are counted by QEMU -d int: it slows QEMU down but does not
        # change virtual time.
        r = run_qemu(cmd + (["-d", "int", "-D", trace] if hyp else []), 300, "work-" + name)
        intx = None
        if hyp and os.path.exists(trace):
            intx = int_histogram(trace)
            os.remove(trace)
        m = re.search(r"AETHER-BENCH (.*)", r.output)
        if not m:
            wl[name] = {"error": "no result (%s)" % (
                "skipped: time budget used up" if r.skipped else
                "timed out" if r.timed_out else "exit %d" % r.rc)}
            continue
        kv = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))}
        w = {"getppid_insns": kv["batch_med_ticks"] * TICK_NS / kv["batch"],
             "getppid_total_insns": kv["getppid_ticks"] * TICK_NS / kv["getppid"],
             "sleep_insns": kv["sleep_med_ticks"] * TICK_NS,
             "sleep_overhead_insns": kv["sleep_med_ticks"] * TICK_NS - kv["sleep_ns"],
             "sleep_total_insns": kv["sleep_ticks"] * TICK_NS / kv["sleeps"],
             "raw": kv}
        if intx is not None:
            w["int_exits"] = intx
            w["boot_int_exits"] = setups.get(name, {}).get("int_exits")
        if name.startswith("aether"):
            w["exits_total"] = aether_exits(r.output, "work")
        wl[name] = w
    for name, w in wl.items():
        base = wl.get("native-%s" % name.split("-")[1]) if "-" in name else None
        if isinstance(w, dict) and "getppid_insns" in w and base and "getppid_insns" in base:
            w["getppid_ratio"] = w["getppid_insns"] / base["getppid_insns"]
            w["sleep_ratio"] = w["sleep_insns"] / base["sleep_insns"]


# ====================================================================== output
def report(res):
    L = []
    q = res["qemu"]
    L.append("# Aether EdgeCloud benchmarks")
    L.append("")
    L.append("%s, `-icount %s` (one instruction = 1 ns of virtual time), host %s. "
             "Generated by `make bench` (bench/run.py) on %s." % (
                 q, ICOUNT, res["host"], res["date"]))
    L.append("")
    L.append("**%s**" % ICOUNT_NOTE)
    L.append("")
    mi = res.get("micro", {})
    L.append("## Micro-benchmarks")
    L.append("")
    if not mi:
        L.append("not run (--only)")
    elif mi.get("error"):
        L.append("not measured: " + mi["error"])
    else:
        L.append("Bench guest (tests/guests/bench.c, tests/configs/b-micro.cfg: 2 vCPUs on "
                 "2 physical CPUs). Loops: 10,000 iterations, instructions per iteration "
                 "minus the empty loop; *total* from PMCCNTR_EL0 with NSH (EL0+EL1+EL2), "
                 "*EL2* from AETHER_HC_EL2_INSNS (the hypervisor's EL2-only counter) minus "
                 "the measuring hypercalls. Latencies: virtual time from the event to "
                 "the first instruction of the guest's handler, every CPU's PMCCNTR "
                 "related to the shared virtual clock through CNTPCT; mean (min..max) of "
                 "10,000.")
        L.append("")
        L.append("| benchmark | total instructions | at EL2 | exits per iteration | "
                 "target (EL2) | |")
        L.append("| --- | ---: | ---: | --- | ---: | --- |")
        rows = mi.get("rows", {})
        for key in ("hvc", "mmio_read", "mmio_write", "abort", "timer_spin", "timer_wfi",
                    "sgi_ping", "sgi_pong", "cpu_on", "switch"):
            r = rows.get(key)
            label = MICRO_LABELS[key]
            if r is None:
                L.append("| %s | not measured | | | | |" % label)
                continue
            if "na" in r:
                L.append("| %s | %s | | | | |" % (label, r["na"]))
                continue
            tot = fmt(r["total"])
            if "min" in r:
                tot += " (%d..%d)" % (r["min"], r["max"])
            if key == "switch":
                el2 = "(nearly all)"
            elif "el2" in r:
                el2 = fmt(r["el2"])
                if key == "cpu_on":
                    el2 += " (caller's CPU)"
            else:
                el2 = "%s + %s per round trip (pCPU0 + pCPU1)" % (fmt(r["el2_cpu0"]),
                                                                 fmt(r["el2_cpu1"]))
            ex = exits_str(r.get("exits"))
            if key.startswith("sgi"):
                ex += " (per round trip)"
            tkey = "mmio_read" if key == "mmio_write" else key
            target = TARGETS.get(key) or (TARGETS.get(tkey) if key == "mmio_write" else None)
            tg = "<= %d" % target[1] if target else ""
            v = verdict(key if key in TARGETS else tkey, r.get("el2")) if target else ""
            L.append("| %s | %s | %s | %s | %s | %s |" % (label, tot, el2, ex, tg, v or ""))
        L.append("")
        L.append("Notes: *total* includes the guest's side (the trapping instruction, "
                 "the guest's exception entry and its handler up to the timestamp). "
                 "Aborts are measured after the hypervisor's per-VM log budget (10 lines "
                 "a second) is used up, so the printing of the first ten is not in the "
                 "average. Under `-icount` QEMU runs the CPUs one at a time (round robin), "
                 "so a cross-CPU latency (SGI, CPU_ON) also contains the sender's own "
                 "instructions after its write until it idles; the EL2 columns split "
                 "the work per CPU.")
        for e in mi.get("errors", []):
            L.append("")
            L.append("**error:** " + e)
        L.append("")
    ma = res.get("macro", {})
    L.append("## Linux boot to the userspace marker")
    L.append("")
    if not ma:
        L.append("not run (--only)")
    elif ma.get("error"):
        L.append("not measured: " + ma["error"])
    elif ma:
        L.append("Debian's arm64 kernel (%s) and the test initramfs, `%s`, %d MiB of guest "
                 "RAM everywhere, every run under `-icount`. *Marker* is CNTVCT_EL0 read by "
                 "/bin/aether-marker (guest virtual time since the machine, VM or dom0 "
                 "started; 16 instructions per tick). Native runs get the same device tree "
                 "the Aether VM gets (QEMU `-dtb` with the VM's generated DTB). Exits: "
                 "exceptions taken to EL2 from the guest, counted by QEMU `-d int` "
                 "(and the hypervisor's own count for Aether). Wall: QEMU start to exit, "
                 "median of %d alternating runs (range), as a ratio to native with the "
                 "same CPU count." % (res.get("kernel", "?"), MARKER_ARGS, GUEST_MEM,
                                      ARGS.runs))
        L.append("")
        L.append("| setup | CPUs | marker (ticks) | virtual time | vs native | target | "
                 "exits to EL2 | wall vs native |")
        L.append("| --- | ---: | ---: | ---: | ---: | --- | --- | --- |")
        for name in ("native-2", "aether-2", "native-1", "aether-1", "xen-1",
                     "xen-1-noscrub", "native-2-qemudtb"):
            s = ma["setups"].get(name)
            if not s:
                continue
            if not s.get("marker_cntvct"):
                L.append("| %s | %d | not measured: %s | | | | | |" % (
                    s["desc"], s["cpus"], "; ".join(s["errors"])))
                continue
            vt = "%.4f s" % (s["instructions"] / 1e9)
            ratio = fmt(s.get("ratio"), 4) if s["kind"] != "native" or \
                name.endswith("qemudtb") else "1"
            tg = v = ""
            if s["kind"] == "aether":
                tg = "<= 1.01"
                v = verdict("boot_ratio", s.get("ratio")) or ""
            ex = "none (no hypervisor)" if s["kind"] == "native" else \
                exits_line(s.get("int_exits"), s.get("exits"))
            wall = "1" if s["kind"] == "native" and not name.endswith("qemudtb") else ""
            if s.get("wall_ratio"):
                wall = "%.2f (%.2f..%.2f)" % (s["wall_ratio"], *s["wall_ratio_range"])
            rep = "" if s.get("repeatable", True) else " (varied: %s)" % s["cntvct"]
            L.append("| %s | %d | %d%s | %s | %s | %s | %s | %s |" % (
                s["desc"], s["cpus"], s["marker_cntvct"], rep, vt, ratio,
                tg, ex + (" " + v if v else ""), wall))
        L.append("")
        L.append("The VM's clock starts when the hypervisor has zeroed its RAM and "
                 "loaded kernel, initrd and DTB (QEMU does that instantly for a native "
                 "boot): that work is in the wall-clock ratio, not in the marker. Xen's "
                 "host device tree is QEMU's own cut down to the same devices (CPUs, "
                 "memory, GICv3, timer, PL011, PSCI) with /chosen multiboot modules; "
                 "dom0 gets 512 MiB.")
        L.append("")
        L.append("Xen: %s. %s" % (ma.get("xen", "not measured"), ma.get("xen_smp2", "")))
        L.append("")
        wl = ma.get("workload", {})
        L.append("## Syscall and timer workload")
        L.append("")
        if wl.get("error"):
            L.append("not measured: " + wl["error"])
        else:
            L.append("/bin/aether-bench (bench/workload.c) as rdinit, timed with CNTVCT "
                     "in the guest after crediting a fixed CRNG seed (without one every "
                     "system call pays ~9,000 instructions of ChaCha20 for its stack "
                     "offset) and a 2 s settling sleep: 20,000 getppid() calls in "
                     "batches of 1,000 (median batch, per call), then 1,000 "
                     "nanosleep(100 us) timed one by one (median; the kernel's default "
                     "50 us timer slack is part of every sleep). In instructions of "
                     "virtual time.")
            L.append("")
            L.append("| setup | getppid | vs native | nanosleep(100 us) | vs native "
                     "| exits to EL2, whole run (boot to the marker alone) |")
            L.append("| --- | ---: | ---: | ---: | ---: | --- |")
            for name in ("native-2", "aether-2", "native-1", "xen-1-noscrub"):
                w = wl.get(name)
                if not w:
                    continue
                if "error" in w:
                    L.append("| %s | not measured: %s | | | | |" % (name, w["error"]))
                    continue
                ex = "none (no hypervisor)" if name.startswith("native") else \
                    exits_line(w.get("int_exits"), None)
                if w.get("boot_int_exits"):
                    ex += " (%d)" % sum(w["boot_int_exits"].values())
                if not w["raw"].get("seeded"):
                    ex += "; CRNG seed not credited"
                L.append("| %s | %.1f | %s | %.0f | %s | %s |" % (
                    name, w["getppid_insns"], fmt(w.get("getppid_ratio"), 3) if
                    "getppid_ratio" in w else "1", w["sleep_insns"],
                    fmt(w.get("sleep_ratio"), 3) if "sleep_ratio" in w else "1", ex))
        L.append("")
    sz = res.get("size", {})
    L.append("## Size")
    L.append("")
    if sz.get("error"):
        L.append("not measured: " + sz["error"])
    elif sz:
        L.append("`aarch64-linux-gnu-size -A %s` (the default setup's image):" % sz["elf"])
        L.append("")
        L.append("| section | bytes | KiB | target |")
        L.append("| --- | ---: | ---: | --- |")
        for sec in ("text", "rodata", "data", "bss", "guest"):
            if sec in sz:
                tg = ""
                if sec == "text":
                    tg = "<= 64 KiB: " + verdict("text", sz["text"])
                name = sec if sec != "guest" else "guest (embedded guest images and DTBs)"
                L.append("| .%s | %d | %.1f | %s |" % (name, sz[sec], sz[sec] / 1024, tg))
        L.append("")
        if "image_bytes" in sz:
            L.append("EL2 memory at run time: the image with its BSS, %d KiB (of which %d "
                     "KiB are the embedded guests), plus %d KiB of Stage-2 table pool per "
                     "VM." % (sz["image_bytes"] // 1024, sz.get("guest", 0) // 1024,
                              sz["s2_pool_bytes_per_vm"] // 1024))
        if "runtime_reserved_kib" in sz:
            L.append("Measured from the boot log of %s: RAM minus free minus guest RAM = "
                     "%d KiB reserved by EL2 (image, DTB, Stage-2 pool, EL2 tables)." % (
                         sz["runtime_config"], sz["runtime_reserved_kib"]))
        L.append("")
    L.append("## Targets")
    L.append("")
    for t in res.get("verdicts", []):
        L.append("- " + t)
    L.append("")
    return "\n".join(L)


def exits_line(intx, own):
    parts = []
    if intx:
        tot = sum(intx.values())
        items = sorted(((k, v) for k, v in intx.items() if v), key=lambda kv: -kv[1])
        parts.append("%d: %s" % (tot, ", ".join("%s %d" % kv for kv in items)))
    if own:
        parts.append("(hypervisor's count: %s)" % ", ".join(
            "%s %d" % kv for kv in own.items() if kv[1]))
    return " ".join(parts) if parts else "not counted"


def verdicts(res):
    out = []
    rows = res.get("micro", {}).get("rows", {})
    for key, label in (("hvc", "null hypercall"), ("mmio_read", "MMIO read"),
                       ("mmio_write", "MMIO write"), ("timer_spin", "timer delivery")):
        r = rows.get(key)
        t = TARGETS["mmio_read" if key == "mmio_write" else key]
        if r and "el2" in r:
            out.append("%s: %.1f EL2 instructions, target <= %d: %s" % (
                label, r["el2"], t[1], "meets" if r["el2"] <= t[1] else "misses"))
        else:
            out.append("%s: not measured" % label)
    for name in ("aether-2", "aether-1"):
        s = res.get("macro", {}).get("setups", {}).get(name)
        if s and s.get("ratio"):
            out.append("Linux boot %s: %.4f x native, target <= 1.01: %s" % (
                name, s["ratio"], "meets" if s["ratio"] <= 1.01 else "misses"))
    sz = res.get("size", {})
    if "text" in sz:
        out.append(".text: %.1f KiB, target <= 64 KiB: %s" % (
            sz["text"] / 1024, verdict("text", sz["text"])))
    return out


def print_table(res):
    print()
    print(report(res))


# ====================================================================== profile
def profile(name):
    """Developer aid: a few iterations of one micro-benchmark under QEMU
    -singlestep -d exec,nochain, and the EL2 instructions of each exit by
    function (symbols from the image)."""
    cfg = os.path.join(OUT, "prof", "b-prof.cfg")
    os.makedirs(os.path.dirname(cfg), exist_ok=True)
    with open(cfg, "w") as f:
        f.write("node {\n\tcpus = 2\n}\nvm bench {\n\timage = build/guests/bench.bin\n"
                "\tmemory = 16M\n\tvcpus = 2\n\tcpus = 0 1\n"
                "\tbootargs = \"bench.iters=40 bench.only=%s\"\n}\n" % name)
    ok, out = make("image", "CONFIG=b-prof-" + name, "CONFIG_FILE=" + cfg)
    img = os.path.join(BUILD, "img", "b-prof-" + name)
    if not ok:
        sys.exit("profile: build failed:\n" + out)
    trace = os.path.join(OUT, "prof", name + ".trace")
    cmd = qemu.qemu_cmd(os.path.join(img, "aether.bin"), smp=2, mem=256, icount=True,
                        extra=["-singlestep", "-d", "exec,nochain", "-D", trace])
    log("profile: running %s (a large trace; a minute or two)" % name)
    r = qemu.run(cmd, timeout=900)
    print("\n".join(l for l in r.output.splitlines() if "BENCH" in l))
    syms = []
    nm = subprocess.run(["aarch64-linux-gnu-nm", "-n", os.path.join(img, "aether.elf")],
                        capture_output=True, text=True).stdout
    for line in nm.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "tTwW":
            syms.append((int(p[0], 16), p[2]))
    addrs = [a for a, _ in syms]
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
    os.remove(trace)
    seen, freq = {}, {}
    for cpu, (vec, pcs) in segs:
        key = (cpu, vec, len(pcs))
        seen[key] = pcs
        freq[key] = freq.get(key, 0) + 1
    top = sorted(freq, key=lambda k: -freq[k])[:6]
    for key in top:
        cpu, vec, n = key
        pcs = seen[key]
        fn = {}
        for pc in pcs:
            s = syms[bisect.bisect_right(addrs, pc) - 1][1]
            fn[s] = fn.get(s, 0) + 1
        print("cpu %d, vector 0x%x (%s): %d EL2 instructions, seen %d times" % (
            cpu, vec, "sync" if vec in (0x400, 0x600) else "irq", n, freq[key]))
        for s, c in sorted(fn.items(), key=lambda kv: -kv[1])[:16]:
            print("  %6d  %s" % (c, s))


# ====================================================================== main
def main():
    global ARGS, BUILD, OUT, DEADLINE
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", default="micro,size,macro")
    ap.add_argument("--runs", type=int, default=5, help="alternating wall-clock runs")
    ap.add_argument("--no-xen", action="store_true")
    ap.add_argument("--budget", type=int, default=780,
                    help="seconds after which no further QEMU run starts (default 13 min)")
    ap.add_argument("--profile", metavar="NAME",
                    help="profile one micro-benchmark's exits by EL2 function")
    ARGS = ap.parse_args()
    BUILD = ARGS.build
    OUT = os.path.join(BUILD, "bench")
    os.makedirs(os.path.join(OUT, "logs"), exist_ok=True)
    os.chdir(ROOT)
    if ARGS.profile:
        profile(ARGS.profile)
        return 0
    start = time.monotonic()
    DEADLINE = start + ARGS.budget
    res = {"qemu": qemu_version(), "icount": ICOUNT,
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "host": "%s, %d CPUs" % (os.uname().machine, os.cpu_count() or 0)}
    ver = os.path.join(BUILD, "linux", "VERSION")
    only = set(ARGS.only.split(","))
    if "micro" in only or "size" in only:
        micro(res)
    if "size" in only:
        size(res)
    if "macro" in only:
        macro(res)
    if os.path.exists(ver):
        m = re.search(r"^(linux-image-\S+)=(\S+)", open(ver).read(), re.M)
        if m:
            res["kernel"] = "%s %s" % m.groups()
    res["verdicts"] = verdicts(res)
    res["seconds"] = round(time.monotonic() - start, 1)
    md = report(res)
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(md + "\n")
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(res, f, indent=2, sort_keys=True)
    print()
    print(md)
    print("bench: wrote %s and %s in %.0f s" % (os.path.join(OUT, "results.md"),
                                               os.path.join(OUT, "results.json"),
                                               res["seconds"]))
    measured = bool(res.get("micro", {}).get("rows")) or \
        any(s.get("marker_cntvct") for s in res.get("macro", {}).get("setups", {}).values())
    return 0 if measured else 1


if __name__ == "__main__":
    sys.exit(main())
