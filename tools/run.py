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
ap.add_argument("--board", default="",
                help="boot on this board's QEMU model with its own DTB (tools/qemu.py BOARDS)")
ap.add_argument("--build", default="build")
ap.add_argument("--mgmt-port", type=int, default=int(os.environ.get("MGMT_PORT", "8080")),
                help="host port (on 127.0.0.1) forwarded to the management VM's :8080")
a = ap.parse_args()


def announce_dashboard(port, token_file, timeout=900):
    """Prints the dashboard line once the management VM's API answers."""
    import threading
    import time
    import urllib.request

    def poll():
        try:
            token = open(token_file).read().strip()
        except OSError:
            print("run: no %s: dashboard token unknown" % token_file, file=sys.stderr)
            return
        end = time.time() + timeout
        while time.time() < end:
            req = urllib.request.Request("http://127.0.0.1:%d/api/v1/node" % port,
                                         headers={"Authorization": "Bearer " + token})
            try:
                with urllib.request.urlopen(req, timeout=5) as r:
                    if r.status == 200:
                        print("\r\ndashboard: http://127.0.0.1:%d/#token=%s\r" % (port, token),
                              flush=True)
                        return
            except Exception:  # noqa: BLE001 - not up yet
                pass
            time.sleep(2)
        print("run: the dashboard did not answer on 127.0.0.1:%d" % port, file=sys.stderr)
    threading.Thread(target=poll, daemon=True).start()


cpus, mem = qemu.node_size(a.config)
nics, err, has_mgmt = qemu.virtio_net_args(a.config, a.mgmt_port)
if err:
    sys.exit("run: " + err)
# A description for a board (node { platform = zcu102 }) boots on that
# board's model with its DTB even without BOARD=.
platform = qemu.node_platform(a.config)
if not a.board and platform in qemu.BOARDS:
    a.board = platform
if a.board:
    if a.board not in qemu.BOARDS:
        sys.exit("run: BOARD=%s: not a board this tree knows (%s)" %
                 (a.board, ", ".join(sorted(qemu.BOARDS))))
    if a.board != platform:
        sys.exit("run: BOARD=%s, but %s is for platform %s (node { platform = %s })" %
                 (a.board, a.config, platform, a.board))
    dtb = os.path.join(a.build, qemu.BOARDS[a.board]["dtb"])
    if not os.path.exists(dtb):
        sys.exit("run: %s missing (make boards extracts it from Debian's kernel package)" % dtb)
    if nics:
        sys.exit("run: BOARD=%s has no virtio-mmio transports for the description's NICs "
                 "(%s)" % (a.board, a.config))
    # The board's CPUs and RAM, unless SMP/QEMU_MEM say otherwise.
    cmd = qemu.board_cmd(a.board, a.build, a.image, smp=a.smp or None, mem=a.mem or None,
                         extra=shlex.split(a.extra))
else:
    cmd = qemu.qemu_cmd(a.image, a.cpu, a.smp or cpus, a.mem or mem,
                        machine=qemu.node_machine(a.config), extra=shlex.split(a.extra))
cmd += nics
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
if has_mgmt:
    # The token is $(BUILD)/mgmt-token; the image is $(BUILD)/aether.bin or
    # $(BUILD)/img/CONFIG/aether.bin.
    d = os.path.dirname(os.path.abspath(a.image))
    tokens = [os.path.join(d, *[".."] * up, "mgmt-token") for up in range(3)]
    announce_dashboard(a.mgmt_port, next((t for t in tokens if os.path.exists(t)), tokens[0]))
sys.exit(subprocess.call(cmd))
