#!/usr/bin/env python3
"""The arm64 agent in a real management VM: Debian's kernel with the
management initramfs (build/mgmt/initrd.gz, which carries aether-agent and
mosquitto) plus a worker overlay (mgmt/fabric/overlay.sh) on plain QEMU
(aether.sim=1: the agent drives the simulated node, as before the
hypervisor's device).  The broker and the central side run on the host;
the VM reaches them only through QEMU user networking guestfwd to host
127.0.0.1 ports (10.0.2.100:8883 broker, 10.0.2.100:8081 image server).
Prints "ok"/"FAIL" lines; every wait is bounded."""
import argparse
import os
import secrets
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402
from checks import check  # noqa: E402
from fabric_env import Fabric, ROOT  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
args = ap.parse_args()


def main():
    build = os.path.abspath(args.build)
    base = os.path.join(build, "mgmt", "initrd.gz")
    kernel = os.path.join(build, "linux", "Image")
    for f in (base, kernel):
        if not os.path.exists(f):
            check("fabric/vm-worker/inputs built", False, f + " missing (make mgmt-vm)")
            return
    fab = Fabric(build, ["w1"], lifetime=400)
    q = None
    try:
        fab.start_central(ttl=120, image_url="http://10.0.2.100:8081")
        ov = os.path.join(fab.work, "overlay.gz")
        subprocess.run([os.path.join(ROOT, "mgmt/fabric/overlay.sh"), ov, fab.pki, "worker", "w1",
                        "10.0.2.100:8883"], check=True, timeout=60)
        initrd = os.path.join(fab.work, "initrd-w1.gz")
        with open(initrd, "wb") as out:
            out.write(open(base, "rb").read() + open(ov, "rb").read())
        log = os.path.join(fab.work, "vm-w1.log")
        # guestfwd's cmd: form runs socat once per guest connection (a
        # tcp: target is one chardev, one connection for QEMU's lifetime,
        # so a reconnect or a second download would find it gone).
        net = ("user,id=n0,guestfwd=tcp:10.0.2.100:8883-cmd:socat - TCP:127.0.0.1:%d,"
               "guestfwd=tcp:10.0.2.100:8081-cmd:socat - TCP:127.0.0.1:%d" % (fab.port, fab.image_port))
        q = fab.spawn(["qemu-system-aarch64", "-machine", "virt,gic-version=3", "-cpu", "cortex-a57",
                       "-smp", "2", "-m", "512", "-nographic", "-nic", "none", "-no-reboot",
                       "-kernel", kernel, "-initrd", initrd,
                       "-append", "console=ttyAMA0 quiet aether.sim=1",
                       "-device", "virtio-net-device,netdev=n0", "-netdev", net], log,
                      stdin=subprocess.DEVNULL)
        t0 = time.time()
        up = fab.wait(lambda: fab.reachable("w1"), 240, 0.5)
        check("fabric/vm-worker: the arm64 agent in the management VM connects over guestfwd "
              "and is reachable (%.0f s after QEMU started)" % (time.time() - t0), up,
              fab.tail(log, 40) + fab.tail(fab.broker_log))
        if not up:
            return
        st, cid = fab.command("w1", "stop", "hello")
        out = fab.outcome(cid, 60) if st == 202 else None
        check("fabric/vm-worker: a signed command is applied by the VM's agent",
              out and out["state"] == "ok" and
              fab.wait(lambda: fab.vm_state("w1", "hello") == "stopped", 20), (st, out))
        img = os.path.join(fab.work, "image.bin")
        open(img, "wb").write(b"AETHER-MARKER vm worker deploy\n" + secrets.token_bytes(300000))
        ans = fab.ask("deploy w1 slot %s console=ttyAMA0" % img)
        st, cid = ans.split(" ", 1)
        out = fab.outcome(cid, 90) if st == "202" else None
        check("fabric/vm-worker: deploy: busybox wget fetches the image from the central side, "
              "the agent checks it and the slot runs",
              out and out["state"] == "ok" and
              fab.wait(lambda: fab.vm_state("w1", "slot") == "running", 20), (ans, out))
        t0 = time.time()
        q.send_signal(signal.SIGKILL)
        q.wait(timeout=10)
        gone = fab.wait(lambda: not fab.reachable("w1"), 30, 0.2)
        check("fabric/vm-worker: the worker's QEMU killed: unreachable within 30 s (%.1f s)" %
              (time.time() - t0), gone, fab.node("w1"))
    finally:
        fab.stop()
        if checks.failures:
            for f in sorted(os.listdir(fab.work)):
                if f.endswith(".log"):
                    print("  | --- %s ---\n  | " % f +
                          fab.tail(os.path.join(fab.work, f), 25).replace("\n", "\n  | "))
        fab.cleanup()


main()
sys.exit(1 if checks.failures else 0)
