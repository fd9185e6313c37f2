#!/usr/bin/env python3
"""make fuzz: run every libFuzzer harness for a set number of executions,
report executions and coverage, and keep any crashing input as a
regression input in tests/fuzz/regress/<harness>/ (make test replays them)."""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--runs", type=int, default=200000)
ap.add_argument("names", nargs="*")
a = ap.parse_args()

rows, failed = [], 0
for name in a.names:
    exe = os.path.abspath(os.path.join(a.build, "fuzz", "fuzz_" + name))
    seeds = os.path.join(ROOT, "tests", "fuzz", "corpus", name)
    regress = os.path.join(ROOT, "tests", "fuzz", "regress", name)
    with tempfile.TemporaryDirectory() as work:
        corpus = os.path.join(work, "corpus")
        if os.path.isdir(seeds):
            shutil.copytree(seeds, corpus)
        else:
            os.makedirs(corpus)
        p = subprocess.run([exe, "-runs=%d" % a.runs, "-seed=1", "-print_final_stats=1",
                            "-artifact_prefix=" + work + "/", corpus],
                           capture_output=True, text=True, cwd=work)
        crashes = glob.glob(os.path.join(work, "crash-*")) + glob.glob(os.path.join(work, "leak-*")) \
            + glob.glob(os.path.join(work, "timeout-*"))
        for c in crashes:
            os.makedirs(regress, exist_ok=True)
            shutil.copy(c, regress)
    done = re.findall(r"#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+)", p.stderr)
    execs, cov, ft = done[-1] if done else ("?", "?", "?")
    ok = p.returncode == 0 and not crashes
    failed += not ok
    rows.append((name, execs, cov, ft, "ok" if ok else "FAILED (%d inputs kept)" % len(crashes)))

print("| harness | executions | coverage (edges) | features | result |")
print("| --- | --- | --- | --- | --- |")
for r in rows:
    print("| %s | %s | %s | %s | %s |" % r)
sys.exit(1 if failed else 0)
