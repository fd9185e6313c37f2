#!/usr/bin/env python3
"""API latency benchmark (issue 11): GET /api/v1/vms under the load of the
load test (20 parallel clients x 50 requests of the list and stats calls),
median and 99th percentile, against the host-built aetherd with the
simulated node and, with --central, against the central node under QEMU
(wall-clock under TCG: a property of this machine, not of hardware).
Prints one line per target and writes build/mgmt/bench-api.txt."""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import api as apimod  # noqa: E402
import api_cases as C  # noqa: E402
import run_mgmt as R  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--central", default="", help="config name to boot under QEMU (e.g. central)")
ap.add_argument("--rounds", type=int, default=3)
a = ap.parse_args()
lines = []


def bench(name, api):
    t = C.Ctx(api, b"", "")
    if C.case_list(t):
        print("bench-api: %s: the VM list failed" % name, file=sys.stderr)
        return
    med, p99 = [], []
    for _ in range(a.rounds):
        problems, fig = C.case_load(t)
        if problems:
            print("bench-api: %s: %s" % (name, problems), file=sys.stderr)
            return
        med.append(fig["list_median_ms"])
        p99.append(fig["list_p99_ms"])
    line = ("api-latency %s: GET /api/v1/vms under 20x50 list/stats load, %d rounds: "
            "median %.2f ms, p99 %.2f ms (best round %.2f / %.2f)"
            % (name, a.rounds, sorted(med)[len(med) // 2], sorted(p99)[len(p99) // 2],
               min(med), min(p99)))
    print(line, flush=True)
    lines.append(line)


d = R.Daemon(a.build, ["--sim"])
try:
    if d.port:
        bench("host aetherd + simulated node", apimod.Api("127.0.0.1", d.port, d.token))
finally:
    d.stop()
if a.central:
    sys.path.insert(0, os.path.join(R.ROOT, "tools"))
    import qemu
    image, p = R.build_image(a.build, a.central)
    cfg = [c for c in (os.path.join(R.ROOT, "configs", a.central + ".cfg"),
                       os.path.join(R.ROOT, "tests", "configs", a.central + ".cfg"))
           if os.path.exists(c)][0]
    port = R.free_port()
    nics, err, _ = qemu.virtio_net_args(cfg, port)
    q = R.Qemu(qemu.qemu_cmd(image, smp=2, mem=1024, extra=nics),
               os.path.join(a.build, "mgmt", "bench-" + a.central + ".log"))
    try:
        if q.wait_for(r"aetherd: listening on 0\.0\.0\.0:8080", 300):
            tok = open(os.path.join(a.build, "mgmt-token")).read().strip()
            api = apimod.Api("127.0.0.1", port, tok, timeout=60)
            if C.wait_for(lambda: api.raw("GET", "/api/v1/node")[0] == 200, 120, 1):
                bench("central node %s under QEMU (TCG)" % a.central, api)
        else:
            print("bench-api: %s did not come up:\n%s" % (a.central, q.tail()), file=sys.stderr)
    finally:
        q.stop()
os.makedirs(os.path.join(a.build, "mgmt"), exist_ok=True)
with open(os.path.join(a.build, "mgmt", "bench-api.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
sys.exit(0 if lines else 1)
