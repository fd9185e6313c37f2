#!/usr/bin/env python3
"""make run / make debug: boot the hypervisor image in QEMU with the console
on the terminal (or on the pipe, when there is no terminal)."""
import argparse
import os
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import qemu  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--image", required=True)
ap.add_argument("--elf")
ap.add_argument("--cpu", default="cortex-a57")
ap.add_argument("--config")
ap.add_argument("--smp", type=int, default=0)
ap.add_argument("--mem", type=int, default=0)
ap.add_argument("--extra", default=os.environ.get("QEMU_EXTRA", ""),
                help="extra QEMU arguments, split like a shell would (default: $QEMU_EXTRA)")
ap.add_argument("--debug", action="store_true")
a = ap.parse_args()

cpus, mem = qemu.node_size(a.config)
cmd = qemu.qemu_cmd(a.image, a.cpu, a.smp or cpus, a.mem or mem, extra=shlex.split(a.extra))
if a.debug:
    log = os.path.join(os.path.dirname(a.image), "debug-console.log")
    cmd += ["-s", "-S", "-serial", "file:" + log, "-monitor", "none"]
    print("debug: guest and hypervisor console go to", log, file=sys.stderr)
    qemu_proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    gdb = ["gdb-multiarch", "-q", a.elf, "-ex", "target remote :1234",
           "-ex", "break aether_main"]
    rc = subprocess.call(gdb)
    qemu_proc.kill()  # QEMU stays halted at the gdbstub without gdb
    qemu_proc.wait()
    sys.exit(rc)
print("run:", " ".join(cmd), file=sys.stderr)
sys.exit(subprocess.call(cmd))
