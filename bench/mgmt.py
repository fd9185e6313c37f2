"""The management interface and the control plane (issue 11):
  - EL2 instructions per management request, from the bare-metal
    management guest in bench mode (tests/configs/b-mgmt.cfg, icount);
  - API latency of GET /api/v1/vms under the load test's 20 x 50 list/stats
    load (mgmt/tests/bench_api.py): against the host-built aetherd with the
    simulated node, and against the central node under QEMU.  That is TCG
    wall-clock time on this machine, not a hardware figure."""
import os
import re
import subprocess
import sys

from bench import common
from bench.common import build_image, log, qemu, run_qemu

OPS = (("node-info", r"node-info (\d+)"), ("vm-list (3 VMs)", r"vm-list \(3 VMs\) (\d+)"),
       ("vm-stats", r"vm-stats (\d+)"), ("console read, 4 KiB", r"console-read 4096 bytes (\d+)"),
       ("console read, 4 KiB from an odd offset", r"from an odd offset (\d+)"),
       ("refused request (unknown op)", r"refused \(unknown op\) (\d+)"))


def el2_costs():
    image, _ = build_image("b-mgmt")
    if not image:
        return {"na": "b-mgmt does not build"}
    log("mgmt: EL2 instructions per management request (b-mgmt, icount)")
    r = run_qemu(qemu.qemu_cmd(image, smp=2, mem=256, icount=True), 180, "mgmt-el2",
                 stop_on=r"mgmt-bench: EL2 instructions per request.*\n")
    line = re.search(r"mgmt-bench: EL2 instructions per request:.*", r.output)
    if not line:
        return {"na": "no figures (see build/bench/logs/mgmt-el2.log)"}
    out = {}
    for name, pat in OPS:
        m = re.search(pat, line.group(0))
        if m:
            out[name] = int(m.group(1))
    return out


def api_latency():
    cmd = [sys.executable, os.path.join(common.ROOT, "mgmt", "tests", "bench_api.py"),
           "--build", common.BUILD, "--central", "central", "--rounds", "2"]
    log("mgmt: API latency under load (host aetherd + simulated node, then the central node)")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=common.ROOT)
    except subprocess.TimeoutExpired:
        return ["not measured: bench_api.py timed out after 600 s"]
    lines = [l for l in p.stdout.splitlines() if l.startswith("api-latency")]
    return lines or ["not measured: " + (p.stderr.strip().splitlines() or ["no output"])[-1]]


def mgmt(res):
    res["mgmt"] = {"el2": el2_costs(), "api": api_latency()}


def mgmt_section(L, m):
    if not m:
        return
    L.append("## Management interface and API")
    L.append("")
    el2 = m.get("el2", {})
    if "na" in el2:
        L.append("EL2 instructions per request: not measured (%s)." % el2["na"])
    else:
        L.append("| request (one doorbell store) | EL2 instructions |")
        L.append("| --- | ---: |")
        for name, _ in OPS:
            if name in el2:
                L.append("| %s | %d |" % (name, el2[name]))
    L.append("")
    for line in m.get("api", []):
        L.append("- " + line)
    L.append("")
