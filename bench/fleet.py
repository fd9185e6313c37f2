"""The fleet simulation (issue 12): tests/fabric/fleet.py with N simulated
workers on the real broker configuration on 127.0.0.1, grown in steps of
100 and 1,000 (FLEET_N overrides the largest).  Wall-clock figures of this
2-core machine: time for all workers to be reachable, command round trip,
broker memory, GET /api/v1/nodes latency."""
import os
import subprocess
import sys

from bench import common
from bench.common import log


def fleet(res):
    n = int(os.environ.get("FLEET_N", "1000"))
    steps = ",".join(str(s) for s in sorted({min(100, n), n}))
    cmd = [sys.executable, os.path.join(common.ROOT, "tests", "fabric", "fleet.py"),
           "--build", common.BUILD, "--n", str(n), "--steps", steps]
    log("fleet: %d simulated workers (steps %s)" % (n, steps))
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=common.ROOT)
    except subprocess.TimeoutExpired:
        res["fleet"] = {"na": "fleet.py timed out after 900 s"}
        return
    table = [l for l in p.stdout.splitlines() if l.startswith("|")]
    fails = [l for l in p.stdout.splitlines() if l.startswith("FAIL")]
    res["fleet"] = {"table": table, "failures": fails} if table else \
        {"na": "no figures: " + ((fails or p.stderr.strip().splitlines() or ["no output"])[-1])}


def fleet_section(L, f):
    if not f:
        return
    L.append("## Fleet simulation (MQTT fabric, simulated workers, wall clock)")
    L.append("")
    if "na" in f:
        L.append("Not measured: %s." % f["na"])
    else:
        L.extend(f["table"])
        for line in f["failures"]:
            L.append("")
            L.append("- " + line)
    L.append("")
