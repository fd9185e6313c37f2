#!/usr/bin/env python3
"""Debugging aid, not a test: loops the 2-vCPU Linux boot of make test's
linux case (build/img/linux/aether.bin, its console script) and, on a stall
(no output for STALL s before power-off), dumps both CPUs' EL2 state and
samples their PCs through QEMU's gdbstub (127.0.0.1:PORT, gdb-multiarch).
Env: ROOT (tree, default this one), CPU (max), N (runs), STALL (s), PORT.
Run several at once to load the host: the stall needs load to show."""
import os, re, select, signal, subprocess, sys, time
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_HERE, ".."))
sys.path.insert(0, os.path.join(_HERE, "../../tests"))
import qemu

from run import LINUX_SCRIPT  # noqa: E402 (tests/run.py: the linux case's script)

ROOT = os.environ.get("ROOT", os.path.abspath(os.path.join(os.path.dirname(__file__), "../..")))
IMAGE = os.path.join(ROOT, "build/img/linux/aether.bin")
CPU = os.environ.get("CPU", "max")
N = int(os.environ.get("N", "20"))
STALL = float(os.environ.get("STALL", "40"))
PORT = int(os.environ.get("PORT", "12345"))
REGS = ["$pc", "$cpsr", "$x0", "$x1", "$x30", "$sp", "$ELR_EL2", "$ESR_EL2", "$SPSR_EL2",
        "$HCR_EL2", "$ICH_HCR_EL2", "$ICH_LR0_EL2", "$ICH_LR1_EL2", "$ICH_LR2_EL2",
        "$ICH_LR3_EL2", "$ICH_VMCR_EL2", "$ICH_MISR_EL2", "$ICH_ELRSR_EL2", "$CNTV_CTL_EL0",
        "$CNTV_CVAL_EL0", "$CNTVCT_EL0", "$CNTHP_CTL_EL2", "$CNTHP_CVAL_EL2", "$DAIF",
        "$ICC_HPPIR1_EL1", "$ICC_RPR_EL1", "$TPIDR_EL2", "$ELR_EL1", "$SPSR_EL1",
        "$ICC_PMR_EL1"]


def dump(tag):
    cmds = ["set pagination off", "target remote 127.0.0.1:%d" % PORT, "info threads"]
    for t in (1, 2):
        cmds.append("thread %d" % t)
        for r in REGS:
            cmds.append("p/x %s" % r)
        cmds.append("x/6i $pc")
    # Samples over time: where each CPU is, and the guest PC of its last exit.
    for k in range(6):
        for t in (1, 2):
            cmds += ["thread %d" % t, "p/x $pc", "p/x $ELR_EL2", "p/x $ESR_EL2", "p/x $x30",
                     "p/x $SPSR_EL2"]
        cmds += ["detach", "shell sleep 2", "target remote 127.0.0.1:%d" % PORT]
    cmds.append("detach")
    args = ["gdb-multiarch", "-nx", "-batch", "-ex", "set architecture aarch64"]
    for c in cmds:
        args += ["-ex", c]
    p = subprocess.run(args, capture_output=True, text=True, timeout=120)
    open("/tmp/hang-%s.gdb" % tag, "w").write(p.stdout + p.stderr)
    print(p.stdout[-6000:])


def one(i):
    cmd = qemu.qemu_cmd(IMAGE, cpu=CPU, smp=2, mem=1024,
                        extra=["-gdb", "tcp:127.0.0.1:%d" % PORT])
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    out, pending, last = b"", list(LINUX_SCRIPT), time.monotonic()
    start = last
    fd = proc.stdout.fileno()
    hung = False
    while True:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            out += chunk
            last = time.monotonic()
        text = out.decode("utf-8", "replace")
        while pending and re.search(pending[0][0], text):
            proc.stdin.write(pending.pop(0)[1].encode())
            proc.stdin.flush()
        if "vm linux: powered off" in text:
            break
        if time.monotonic() - last > STALL:
            hung = True
            break
    open("/tmp/run-last.log", "w").write(out.decode("utf-8", "replace"))
    if hung:
        open("/tmp/hang-%d.log" % i, "w").write(out.decode("utf-8", "replace"))
        print("run %d HUNG after %.0f s; tail:" % (i, time.monotonic() - start))
        print("\n".join(out.decode("utf-8", "replace").splitlines()[-15:]))
        dump(str(i))
    else:
        print("run %d ok in %.0f s" % (i, time.monotonic() - start), flush=True)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    return hung


for i in range(N):
    if one(i):
        sys.exit(1)
