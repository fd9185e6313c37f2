"""Fabric tests (issue 12), called by tests/run.py: the host tests against
the real broker (test_fabric.py), the arm64 agent in a management VM on
QEMU (vm_worker.py), the cluster of three QEMU nodes under the hypervisor
(cluster_test.py) and the fleet simulation with a small N as a
functional check (fleet.py --check).  Each script prints "ok <name>" /
"FAIL <name>" lines with "  | " detail lines; run() reports them.

run(build, wanted, report)"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def _collect(cmd, timeout, report, label):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        out, rc = p.stdout, p.returncode
        err = p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        err, rc = "timed out after %d s" % timeout, -1
    seen = 0
    pending = None
    detail = []
    for line in out.splitlines() + [None]:
        if line is not None and line.startswith("  | "):
            detail.append(line[4:])
            continue
        if pending:
            report(pending[0], pending[1], "\n".join(detail))
            seen += 1
        pending, detail = None, []
        if line and line.startswith(("ok ", "FAIL ")):
            verdict, name = line.split(" ", 1)
            pending = (name.strip(), verdict == "ok")
    if rc != 0 and seen == 0 or rc < 0:
        report("%s ran to the end (exit %d)" % (label, rc), False, (out + err)[-3000:])


def run(build, wanted, report):
    exe = os.path.join(build, "fabric", "aether-agent")
    if not any(wanted(x) for x in ("fabric/", "fleet/", "cluster/", "cluster:")):
        return
    if not os.path.exists(exe):
        report("fabric/agent built", False, exe + " missing (make fabric-host)")
        return
    if wanted("fabric/"):
        _collect([sys.executable, os.path.join(HERE, "test_fabric.py"), "--build", build], 600,
                 report, "fabric/host tests")
    if wanted("fabric/vm-worker"):
        _collect([sys.executable, os.path.join(HERE, "vm_worker.py"), "--build", build], 500,
                 report, "fabric/vm-worker")
    if wanted("cluster"):
        _collect([sys.executable, os.path.join(HERE, "cluster_test.py"), "--build", build], 1500,
                 report, "cluster/run")
    if wanted("fleet/"):
        _collect([sys.executable, os.path.join(HERE, "fleet.py"), "--build", build, "--n", "50",
                  "--check"], 400, report, "fleet/simulation")
