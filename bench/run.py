#!/usr/bin/env python3
"""make bench: runs the benchmark suite (the bench package beside this
file; its __init__.py says which part does what).

Writes <build>/bench/results.md and results.json and prints the table.
A benchmark never fails on a number: the exit status is 0 unless nothing
could be measured at all.

Usage: bench/run.py [--build build] [--only micro,macro,size,mgmt,fleet,board] [--runs 5]
                    [--no-xen] [--profile NAME]
"""
import argparse
import json
import os
import re
import sys
import time

# The repository root, not bench/ itself, so that bench/profile.py and the
# others are imported as bench.* and never shadow a standard module.
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
from bench import common  # noqa: E402
from bench.common import ICOUNT, ROOT, qemu_version  # noqa: E402
from bench.macro import macro  # noqa: E402
from bench.board import board  # noqa: E402
from bench.fleet import fleet  # noqa: E402
from bench.mgmt import mgmt  # noqa: E402
from bench.micro import micro, size  # noqa: E402
from bench.profile import profile  # noqa: E402
from bench.report import report, verdicts  # noqa: E402


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", default="micro,size,macro,mgmt,fleet,board")
    ap.add_argument("--runs", type=int, default=5, help="alternating wall-clock runs")
    ap.add_argument("--no-xen", action="store_true")
    ap.add_argument("--budget", type=int, default=780,
                    help="seconds after which no further QEMU run starts (default 13 min)")
    ap.add_argument("--profile", metavar="NAME",
                    help="profile one micro-benchmark's exits by EL2 function")
    return ap.parse_args()


def kernel_version(res):
    ver = os.path.join(common.BUILD, "linux", "VERSION")
    if os.path.exists(ver):
        m = re.search(r"^(linux-image-\S+)=(\S+)", open(ver).read(), re.M)
        if m:
            res["kernel"] = "%s %s" % m.groups()


def write_results(res):
    md = report(res)
    with open(os.path.join(common.OUT, "results.md"), "w") as f:
        f.write(md + "\n")
    with open(os.path.join(common.OUT, "results.json"), "w") as f:
        json.dump(res, f, indent=2, sort_keys=True)
    print()
    print(md)
    print("bench: wrote %s and %s in %.0f s" % (os.path.join(common.OUT, "results.md"),
                                               os.path.join(common.OUT, "results.json"),
                                               res["seconds"]))


def main():
    args = parse_args()
    common.setup(args)
    os.chdir(ROOT)
    if args.profile:
        profile(args.profile)
        return 0
    start = time.monotonic()
    common.start_budget(args.budget)
    res = {"qemu": qemu_version(), "icount": ICOUNT,
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "host": "%s, %d CPUs" % (os.uname().machine, os.cpu_count() or 0)}
    only = set(args.only.split(","))
    if "micro" in only or "size" in only:
        micro(res)
    if "size" in only:
        size(res)
    if "macro" in only:
        macro(res)
    if "mgmt" in only:
        mgmt(res)
    if "fleet" in only:
        fleet(res)
    if "board" in only:
        board(res)
    kernel_version(res)
    res["verdicts"] = verdicts(res)
    res["seconds"] = round(time.monotonic() - start, 1)
    write_results(res)
    measured = bool(res.get("micro", {}).get("rows")) or \
        any(s.get("marker_cntvct") for s in res.get("macro", {}).get("setups", {}).values()) or \
        bool(res.get("board", {}).get("micro", {}).get("rows"))
    return 0 if measured else 1


if __name__ == "__main__":
    sys.exit(main())
