"""The Linux guest the macro benchmarks boot: Debian's kernel and the test
initramfs (make linux), the workload appended to it, the native QEMU
command, and exit counts from the hypervisor's log and QEMU's -d int log."""
import gzip
import os
import re
import subprocess

from bench import common
from bench.common import GUEST_MEM, NATIVE_MACHINE, ROOT, log, make, qemu


def linux_files():
    img = os.path.join(common.BUILD, "linux", "Image")
    rd = os.path.join(common.BUILD, "linux", "initrd.gz")
    if not (os.path.exists(img) and os.path.exists(rd)):
        log("macro: build/linux missing: make linux (downloads Debian's kernel)")
        ok, out = make("linux", timeout=900)
        if not ok:
            return None, None, "make linux failed: " + out.strip().splitlines()[-1:][0] \
                if out.strip() else "make linux failed"
    if not (os.path.exists(img) and os.path.exists(rd)):
        return None, None, "build/linux/Image or initrd.gz missing"
    return img, rd, None


def cpio_entry(name, mode, body, ino):
    """One newc cpio member."""
    hdr = "070701" + "".join("%08X" % v for v in (
        ino, mode, 0, 0, 1, 0, len(body), 0, 0, 0, 0, len(name) + 1, 0))
    rec = hdr.encode() + name.encode() + b"\0"
    rec += b"\0" * (-len(rec) % 4) + body
    return rec + b"\0" * (-len(rec) % 4)


def build_workload(initrd):
    """bench/workload.c as /bin/aether-bench, appended to the test initramfs
    as a second cpio member (the kernel unpacks concatenated archives)."""
    wdir = os.path.join(common.OUT, "work")
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
    arc = cpio_entry("bin", 0o40755, b"", 900001) + \
        cpio_entry("bin/aether-bench", 0o100755, data, 900002)
    arc += cpio_entry("TRAILER!!!", 0, b"", 0)
    out = os.path.join(common.OUT, "initrd-bench.gz")
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


def exit_kind(c):
    if c["kind"] in ("IRQ", "FIQ", "Virtual IRQ"):
        return "irq"
    if "ec" in c:
        return EC_CLASS.get(c["ec"], "ec 0x%02x" % c["ec"])
    return c["kind"].lower()


def int_histogram(path):
    """Exceptions taken to EL2 from EL0/EL1, by class, from a QEMU -d int log."""
    counts = {}
    cur = None

    def flush(c):
        if c and c.get("to") == 2 and c.get("frm", 2) < 2:
            k = exit_kind(c)
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
