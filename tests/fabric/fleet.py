#!/usr/bin/env python3
"""The fleet simulation: the real broker configuration on 127.0.0.1, the
central side, and N simulated workers (tests/fabric/fleet.c: full agents as
threads, each with its own certificate, key and session), grown in steps.

At each step it measures: time for the new workers to appear reachable on
the central side, command round trip (publish to outcome) median and p99
over one `list` command per worker with 50 in flight, broker memory (VmRSS
from /proc), and how long the central side takes to produce the whole node
list (the body of GET /api/v1/nodes), plus the HTTP latency of
GET /api/v1/nodes when aetherd is given (--api URL --token T).

  fleet.py --build build --n 1000 [--steps 100,1000] [--check]

--check (make test, small N): the figures are not the point; it fails if
a worker does not appear, a command is lost or fails."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402
from checks import check  # noqa: E402
from fabric_env import Fabric  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--n", type=int, default=1000)
ap.add_argument("--steps", default="")
ap.add_argument("--check", action="store_true")
ap.add_argument("--period", type=int, default=5)
ap.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
args = ap.parse_args()
if not 1 <= args.n <= 5000:
    sys.exit("fleet: N must be 1..5000")
steps = sorted({int(s) for s in args.steps.split(",") if s} | {args.n}) if args.steps else \
    ([100, args.n] if args.n > 100 else [args.n])
steps = [s for s in steps if s <= args.n]
PER_PROCESS = 250


def node_list_latency(fab, reps=5):
    """Round trip of the whole node list through fabric-central (JSON built,
    serialised and read back), and the library's own build time."""
    t, built = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        nodes = fab.ask_json("nodes", timeout=60)
        t.append((time.perf_counter() - t0) * 1000)
        built.append(fab.ask_json("count")["ms"])
    return statistics.median(t), statistics.median(built), len(nodes), len(json.dumps(nodes))


def http_figures(fab, r):
    """The same fleet seen through aetherd's HTTP API: time until every
    worker shows reachable after the daemon starts (retained statuses), and
    GET /api/v1/nodes latency."""
    fab.stop_central()
    t0 = time.time()
    api = fab.start_aetherd(ttl=120, period=args.period)
    n = r["workers"]
    up = fab.wait(lambda: sum(x["reachable"] for x in api.get("/api/v1/nodes")[1]) >= n, 120, 0.5)
    r["api_all_reachable_s"] = round(time.time() - t0, 2)
    check("fleet/%d workers reachable on GET /api/v1/nodes (aetherd)" % n, up)
    t = []
    for _ in range(10):
        t1 = time.perf_counter()
        st, body = api.get("/api/v1/nodes")
        t.append((time.perf_counter() - t1) * 1000)
        check_ok = st == 200 and len(body) >= n
    t.sort()
    r["api_nodes_median_ms"] = round(t[len(t) // 2], 1)
    r["api_nodes_max_ms"] = round(t[-1], 1)
    check("fleet/GET /api/v1/nodes at %d workers answers 200 with all of them" % n, check_ok)
    print("fleet: " + json.dumps(r), flush=True)


def main():
    names = ["f%04d" % i for i in range(1, args.n + 1)]
    pki = os.path.join(os.path.abspath(args.build), "fabric", "fleet-pki")
    t0 = time.time()
    fab = Fabric(args.build, names, pki=pki, lifetime=1500)
    print("fleet: credentials for %d workers ready in %.1f s" % (args.n, time.time() - t0), flush=True)
    fleets, results = [], []
    try:
        fab.start_central(ttl=120, period=args.period)
        have = 0
        for size in steps:
            t0 = time.time()
            # libmosquitto's network loop uses select(): every socket of a
            # process must stay below FD_SETSIZE (1024), so at most
            # PER_PROCESS workers share one process.
            for first in range(have + 1, size + 1, PER_PROCESS):
                count = min(PER_PROCESS, size + 1 - first)
                fleets.append(fab.spawn(
                    [os.path.join(fab.bin, "fleet"), "--pki", pki, "--broker",
                     "127.0.0.1:%d" % fab.port, "--first", str(first), "--count", str(count),
                     "--period", str(args.period), "--lifetime", "1400"],
                    os.path.join(fab.work, "fleet-%d.log" % first), stdin=subprocess.PIPE))
            up = fab.wait(lambda: fab.ask_json("count")["reachable"] >= size, 300, 0.25)
            t_up = time.time() - t0
            check("fleet/%d workers appear reachable on the central side (%.1f s)" % (size, t_up),
                  up, fab.ask("count") + "\n" + fab.tail(fab.broker_log))
            if not up:
                break
            have = size
            rtt = fab.ask_json("rtt %d 50 list -" % size, timeout=200)
            check("fleet/%d commands (one per worker) all answered ok" % size,
                  rtt["n"] == size and rtt["failed"] == 0, rtt)
            lat, built, count, nbytes = node_list_latency(fab)
            rss = fab.broker_rss_kib()
            results.append({"workers": size, "reachable_s": round(t_up, 2),
                            "rtt_median_ms": rtt["median_ms"], "rtt_p99_ms": rtt["p99_ms"],
                            "rtt_max_ms": rtt["max_ms"], "broker_rss_kib": rss,
                            "nodes_list_ms": round(lat, 1), "nodes_build_ms": built,
                            "nodes_bytes": nbytes})
            print("fleet: " + json.dumps(results[-1]), flush=True)
        if results and os.path.exists(os.path.join(fab.build, "mgmt", "host", "aetherd")):
            http_figures(fab, results[-1])
    finally:
        for p in fleets:
            try:
                p.stdin.close()
                p.wait(timeout=30)
            except Exception:
                pass
        fab.stop()
        if args.keep:
            print("fleet: logs in " + fab.work)
        else:
            fab.cleanup()
    if results:
        print("\n| workers | all reachable | round trip median | p99 | broker RSS | "
              "GET /api/v1/nodes (median / max) |")
        print("| --- | --- | --- | --- | --- | --- |")
        for r in results:
            api = ("%.0f / %.0f ms (%d KiB)" % (r["api_nodes_median_ms"], r["api_nodes_max_ms"],
                                                r["nodes_bytes"] // 1024)
                   if "api_nodes_median_ms" in r else "-")
            print("| %d | %.1f s | %d ms | %d ms | %.1f MiB | %s |" % (
                r["workers"], r["reachable_s"], r["rtt_median_ms"], r["rtt_p99_ms"],
                (r["broker_rss_kib"] or 0) / 1024, api))
    return 1 if checks.failures or not results else 0


sys.exit(main())
