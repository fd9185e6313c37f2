#!/usr/bin/env python3
"""The cluster on QEMU (mgmt/fabric/cluster.py): the central node and two
workers, each the hypervisor with its management VM.  Checks through the
central node's API (forwarded to host 127.0.0.1): both workers appear
reachable; a command to a worker is applied; a worker whose QEMU is killed
is shown unreachable within 30 s, restarted, and seen again; a command
sent while it was down is delivered after it returns.  Prints "ok"/"FAIL"
lines; every wait is bounded."""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "mgmt", "fabric"))
sys.path.insert(0, os.path.join(ROOT, "mgmt", "tests"))
import api as apimod  # noqa: E402
from cluster import Cluster  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
args = ap.parse_args()
failures = 0


def check(name, cond, detail=""):
    global failures
    print(("ok   " if cond else "FAIL ") + name, flush=True)
    if not cond:
        failures += 1
        if detail:
            print("  | " + str(detail).rstrip().replace("\n", "\n  | "), flush=True)
    return cond


def wait(pred, timeout, step=1.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            v = pred()
            if v:
                return v
        except Exception:
            pass
        time.sleep(step)
    return None


def sub(c, creds, topic, secs=5):
    """mosquitto_sub against the cluster's broker (the central QEMU's
    forwarded port): (exit status, output)."""
    import subprocess
    p = subprocess.run(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(c.ports["broker"]), "-V",
                        "mqttv5", "-t", topic, "-C", "1", "-W", str(secs)] + creds,
                       capture_output=True, text=True, timeout=secs + 15)
    return p.returncode, p.stdout


def broker_checks(c):
    ca = ["--cafile", os.path.join(c.pki, "ca.pem")]
    rc, out = sub(c, ca, "#")
    check("cluster: the central node's broker refuses an anonymous client", rc != 0 and not out, rc)
    rogue = ca + ["--cert", os.path.join(c.pki, "rogue/w1.pem"),
                  "--key", os.path.join(c.pki, "rogue/w1.key")]
    rc, out = sub(c, rogue, "aether/v1/node/w1/cmd")
    check("cluster: ... and a client whose certificate another CA signed", rc != 0 and not out, rc)
    w1 = ca + ["--cert", os.path.join(c.pki, "nodes/w1/w1.pem"),
               "--key", os.path.join(c.pki, "nodes/w1/w1.key")]
    rc, out = sub(c, w1, "aether/v1/node/w2/status", 4)
    check("cluster: w1's credentials cannot read w2's topics (w2's retained status not delivered)",
          not out, out)


def browser_check(c, api):
    import subprocess
    shot = os.path.join(c.dir, "cluster-view.png")
    script = os.path.join(HERE, "cluster_browser.mjs")
    try:
        p = subprocess.run(["node", script, "http://127.0.0.1:%d/" % c.ports["dash"], c.token(),
                            shot, "w1", "w2", "hello"], capture_output=True, text=True, timeout=240)
        out = p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        out = "FAIL browser timed out after 240 s"
    for line in out.splitlines():
        if line.startswith(("ok ", "FAIL ")):
            verdict, name = line.split(" ", 1)
            check("cluster/" + name.strip(), verdict == "ok", out[-2000:] if verdict != "ok" else "")
    check("cluster/browser: screenshot saved (%s)" % shot, os.path.exists(shot), out[-1500:])


def deploy_check(c, api, wait):
    import secrets
    data = b"\nAETHER-MARKER cluster deploy\n" + secrets.token_bytes(200000)
    st, acc = api.multipart("/api/v1/nodes/w1/vms/slot/deploy", {"bootargs": "console=ttyAMA0"},
                            {"kernel": ("k.img", data)})
    out = wait(lambda: api.get(acc["url"])[1]["state"] != "pending" and api.get(acc["url"])[1],
               120, 1) if st == 202 else None
    check("cluster: deploy to w1 (image over HTTP from the central VM through both QEMUs' "
          "forwards) runs in its slot", out and out["state"] == "ok", (st, acc, out))


def main():
    c = Cluster(args.build, 2, log=lambda *a: None)
    try:
        c.start_all()
        api = apimod.Api("127.0.0.1", c.ports["dash"], c.token(), timeout=30)
        nodes = lambda: {n["node"]: n for n in api.get("/api/v1/nodes")[1]}  # noqa: E731
        t0 = time.time()
        up = wait(lambda: all(nodes()[w]["reachable"] for w in ("w1", "w2")), 600, 2)
        if not check("cluster/central + 2 workers boot under the hypervisor and the workers "
                     "are reachable on the central API (%.0f s)" % (time.time() - t0), up,
                     "\n".join("--- %s ---\n%s" % (n, "\n".join(c.output(n).splitlines()[-15:]))
                               for n in ("central", "w1", "w2"))):
            return

        def run(node, verb, vm="hello"):
            st, acc = api.post("/api/v1/nodes/%s/vms/%s/%s" % (node, vm, verb))
            if st != 202:
                return None
            return wait(lambda: api.get(acc["url"])[1]["state"] != "pending" and
                        api.get(acc["url"])[1], 90, 1)

        broker_checks(c)
        browser_check(c, api)
        deploy_check(c, api, wait)
        out = run("w1", "stop")
        check("cluster: a command from the central node is applied on worker w1",
              out and out["state"] == "ok", out)
        run("w1", "start")
        t0 = time.time()
        c.kill("w2")
        gone = wait(lambda: not nodes()["w2"]["reachable"], 30, 0.5)
        check("cluster: worker w2's QEMU killed: unreachable within 30 s (%.1f s)" %
              (time.time() - t0), gone, nodes().get("w2"))
        st, acc = api.post("/api/v1/nodes/w2/vms/hello/stop")
        c.start("w2")
        back = wait(lambda: nodes()["w2"]["reachable"], 600, 2)
        check("cluster: w2 restarted and seen again", back, "\n".join(c.output("w2").splitlines()[-15:]))
        out = wait(lambda: api.get(acc["url"])[1]["state"] != "pending" and api.get(acc["url"])[1],
                   120, 1) if st == 202 else None
        check("cluster: the command sent while w2 was down is delivered after it returns",
              out and out["state"] == "ok", (st, out))
    finally:
        c.stop()


main()
sys.exit(1 if failures else 0)
