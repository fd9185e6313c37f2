"""What every part of the benchmark suite shares: the run's settings, the
output folder, bounded QEMU runs, make, and number formatting."""
import os
import shlex
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402

ICOUNT = "shift=0,align=off,sleep=off"
NATIVE_MACHINE = "virt,gic-version=3"
MARKER_ARGS = "console=ttyAMA0 quiet rdinit=/bin/aether-marker"
WORK_ARGS = "console=ttyAMA0 quiet rdinit=/bin/aether-bench"
GUEST_MEM = 512           # MiB, every Linux guest (native, Aether VM, Xen dom0)
HOST_MEM = 1024           # MiB QEMU gives the hypervisors
TICK_NS = 16              # CNTFRQ 62.5 MHz under QEMU: one tick is 16 instructions

TARGETS = {
    "hvc": ("EL2 instructions", 60),
    "mmio_read": ("EL2 instructions", 100),
    "mmio_write": ("EL2 instructions", 100),
    "timer_spin": ("EL2 instructions", 80),
    "boot_ratio": ("virtual time vs native", 1.01),
    "boot_ratio2": ("virtual time vs native, 2 vCPUs", 1.005),
    "work_ratio": ("workload time vs native", 1.002),
    "wall_ratio": ("wall clock vs native (aim)", 1.3),
    "text": ("bytes", 64 * 1024),
}

# Why a missed target is where it is: the floor under the general C exit
# path, from `bench/run.py --profile NAME` (README, "Why figures miss their
# targets", has the instruction-level profiles).
MISS_WHY = {
    "hvc": "floor of the short path: 30 in the vector (x0-x19 and x30 saved and "
           "restored, ERET), 9 handle_guest_sync_fast (exit work, EC split, syndrome), 16 "
           "hcall_fast (table slot, exact ID match, exit count, tail call), 3-4 the leaf",
    "mmio_read": "floor of the short path with this device: 30 in the vector (partial "
                 "save and restore), 12 handle_guest_sync_fast (exit work, EC split, one "
                 "syndrome test), 35 dabt_fast (Rt and software step 6, IPA 4, region "
                 "hint and one-AND width/alignment/range test 8, size 3, exit count 3, "
                 "ELR 3, arguments and tail call 5), 15 fast_load/fast_done (the call, the "
                 "zero-extended store, exit work) and the vPL011's own 7",
    "timer_spin": "floor of the lock-free short path: 31 guest_irq64 (partial save and "
                  "restore) and 48 handle_guest_irq_fast (exit work 4, GICv3 and timer "
                  "PPI 4, ack and EOI 5, list registers free 2, list register 0 reused 6, "
                  "the virq as one word 6, in_lr 2, distributor Group 1 4, its value 7, "
                  "placement count 6, vtimer_lr and return 2); list register 0 is taken "
                  "back lazily, so no later exit pays for it",
    "boot_ratio2": "the exits themselves (irq, sysreg, wfx, dabt) at their per-exit cost",
    "work_ratio": "about 400 instructions per sleep: its WFI exit and the wake from "
                  "the EL2 idle loop on the general path, then the timer's IRQ exit on "
                  "its short path (79); the idle path was not shortened",
    "wall_ratio": "TCG's cost of two-stage translation for the whole boot, and, where "
                  "the node does not set boot_ram_zero, the host faulting in the "
                  "guest's RAM when EL2 first zeroes it; noisy on a shared host (see "
                  "the native runs' range)",
}

ICOUNT_NOTE = ("icount counts instructions, not time: hardware charges hundreds of "
               "cycles for every exception entry and return, and more for the cache "
               "and TLB effects of a world switch, none of which appears here. Read "
               "every figure next to its exit counts and apply your own per-exit cost.")

# Set once by bench/run.py from its command line (setup()).
ARGS = None
BUILD = "build"
OUT = os.path.join(BUILD, "bench")
DEADLINE = float("inf")


def setup(args):
    global ARGS, BUILD, OUT
    ARGS = args
    BUILD = args.build
    OUT = os.path.join(BUILD, "bench")
    os.makedirs(os.path.join(OUT, "logs"), exist_ok=True)


def start_budget(seconds):
    """No QEMU run starts or lasts past this many seconds from now."""
    global DEADLINE
    DEADLINE = time.monotonic() + seconds


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


def why_not(r, timeout_text):
    """Why a run produced no result, for the report."""
    if r.skipped:
        return "skipped: time budget used up"
    return timeout_text if r.timed_out else "exit %d" % r.rc


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
