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
import checks  # noqa: E402
from checks import check  # noqa: E402
import api as apimod  # noqa: E402
from cluster import Cluster, real_device  # noqa: E402

# The VM the test drives on the workers: the simulated node's "hello" until
# the hypervisor's management device is built, then the real "heartbeat".
VM = "heartbeat" if real_device() else "hello"

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
args = ap.parse_args()


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
    img = os.path.join(c.dir, "browser-image.bin")
    if real_device():
        img = os.path.join(c.build, "guests", "hello.img")
    else:
        with open(img, "wb") as f:
            f.write(b"\nAETHER-MARKER deployed from the cluster view\n" + os.urandom(50000))
    if os.path.exists(shot):
        os.unlink(shot)
    try:
        p = subprocess.run(["node", script, "http://127.0.0.1:%d/" % c.ports["dash"], c.token(),
                            shot, "w1", "w2", VM, img], capture_output=True, text=True,
                           timeout=300)
        out = p.stdout + p.stderr
        if p.returncode and "FAIL" not in out:
            out += "\nFAIL browser/exit status %d" % p.returncode
    except subprocess.TimeoutExpired:
        out = "FAIL browser timed out after 240 s"
    for line in out.splitlines():
        if line.startswith(("ok ", "FAIL ")):
            verdict, name = line.split(" ", 1)
            check("cluster/" + name.strip(), verdict == "ok", out[-2000:] if verdict != "ok" else "")
    check("cluster/browser: screenshot saved (%s)" % shot, os.path.exists(shot), out[-1500:])


def deploy_check(c, api, wait):
    import secrets
    if real_device():  # the hypervisor's loader wants a real image
        data = open(os.path.join(c.build, "guests", "hello.img"), "rb").read()
    else:
        data = b"\nAETHER-MARKER cluster deploy\n" + secrets.token_bytes(200000)
    st, acc = api.multipart("/api/v1/nodes/w1/vms/slot/deploy", {"bootargs": "console=ttyAMA0"},
                            {"kernel": ("k.img", data)})
    out = wait(lambda: api.get(acc["url"])[1]["state"] != "pending" and api.get(acc["url"])[1],
               120, 1) if st == 202 else None
    check("cluster: deploy to w1 (image over HTTP from the central VM through both QEMUs' "
          "forwards) runs in its slot", out and out["state"] == "ok", (st, acc, out))
    return data


def creds(c, who):
    d = os.path.join(c.pki, "central") if who in ("injector", "listener") else \
        os.path.join(c.pki, "nodes", who)
    return ["--cafile", os.path.join(c.pki, "ca.pem"), "--cert", os.path.join(d, who + ".pem"),
            "--key", os.path.join(d, who + ".key")]


def key(c, node):
    return bytes.fromhex(open(os.path.join(c.pki, "keys", node + ".hmac")).read().strip())


def signed(c, node, op, vm, ts=None, cid=None, args=None):
    import hashlib
    import hmac
    import json
    import secrets
    body = {"v": 1, "id": cid or "t" + secrets.token_hex(6), "node": node, "op": op,
            "ts": int((time.time() if ts is None else ts) * 1000), "ttl": 60,
            "nonce": secrets.token_hex(16), "vm": vm}
    if args:
        body["args"] = args
    payload = json.dumps(body, separators=(",", ":"), sort_keys=True)
    return body, payload, hmac.new(key(c, node), payload.encode(), hashlib.sha256).hexdigest()


def inject(c, node, body, payload, mac):
    import subprocess
    args = ["mosquitto_pub", "-h", "127.0.0.1", "-p", str(c.ports["broker"]), "-V", "mqttv5",
            "-q", "1", "-t", "aether/v1/node/%s/cmd" % node, "-m", payload,
            "-D", "publish", "user-property", "mac", mac,
            "-D", "publish", "correlation-data", body["id"],
            "-D", "publish", "response-topic", "aether/v1/node/%s/reply" % node,
            "-D", "publish", "message-expiry-interval", "60"] + creds(c, "injector")
    return subprocess.run(args, capture_output=True, text=True, timeout=30).returncode


def replies(c, node, secs):
    import subprocess
    return subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(c.ports["broker"]),
                             "-V", "mqttv5", "-q", "1", "-t", "aether/v1/node/%s/reply" % node,
                             "-W", str(secs), "-F", "%p"] + creds(c, "listener"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wire_checks(c, api, data):
    """An attacker with write access to the command topics but no worker
    key, and the central node sending an id again, against the real agents."""
    import hashlib
    import hmac
    import json
    sub = replies(c, "w1", 45)
    time.sleep(2)
    b, p, m = signed(c, "w1", "restart", VM)
    inject(c, "w1", b, p, m)  # applied once
    time.sleep(4)
    inject(c, "w1", b, p, m)  # the same bytes again: a replay
    alt = p.replace('"op":"restart"', '"op":"kill"')
    inject(c, "w1", dict(b, id=b["id"] + "x"), alt, m)  # altered
    sb, sp, sm = signed(c, "w1", "stop", VM, ts=time.time() - 3600)
    inject(c, "w1", sb, sp, sm)  # stale
    db, dp, dm = signed(c, "w1", "restart", VM, cid=b["id"])  # same id, fresh nonce
    inject(c, "w1", db, dp, dm)
    out, _ = sub.communicate(timeout=90)
    got = []
    for line in out.splitlines():
        try:
            got.append(json.loads(line))
        except ValueError:
            pass
    first = [r for r in got if r.get("id") == b["id"] and r["outcome"] == "ok" and not r["duplicate"]]
    dup = [r for r in got if r.get("id") == b["id"] and r["duplicate"]]
    reasons = [r.get("reason") for r in got if r["outcome"] == "rejected"]
    check("cluster: a replayed command is rejected by the agent and reported", "replay" in reasons, got)
    check("cluster: an altered command is rejected (bad-mac) and reported", "bad-mac" in reasons, got)
    check("cluster: a stale command is rejected and reported", "stale" in reasons, got)
    check("cluster: a redelivered command id is answered with the earlier result, applied once",
          len(first) == 1 and len(dup) == 1, got)
    ev = api.get("/api/v1/fabric/events")[1]
    check("cluster: the rejections reach the central API's events",
          {"replay", "bad-mac", "stale"} <= {(e.get("detail") or {}).get("reason") for e in ev}, ev)
    # Deploy with a digest that does not match what the URL serves.
    sha = hashlib.sha256(data).hexdigest()
    tok = hmac.new(key(c, "w2"), ("image:" + sha).encode(), hashlib.sha256).hexdigest()
    url = "http://10.0.2.100:8081/fabric/images/%s?node=w2&t=%s" % (sha, tok)
    slot_of = lambda: [(v["state"], v["image_bytes"]) for v in api.get("/api/v1/nodes/w2/vms")[1]  # noqa: E731
                       if v["name"] == "slot"]
    before = slot_of()
    sub = replies(c, "w2", 40)
    time.sleep(2)
    kb, kp, km = signed(c, "w2", "deploy", "slot", args={"kernel": {
        "url": url, "sha256": hashlib.sha256(b"other").hexdigest(), "size": len(data)}})
    inject(c, "w2", kb, kp, km)
    out, _ = sub.communicate(timeout=80)
    r = [json.loads(x) for x in out.splitlines() if kb["id"] in x]
    time.sleep(3)
    slot = slot_of()
    check("cluster: a deploy whose digest does not match is refused on the worker, slot unchanged",
          r and r[0]["error"] == "digest-mismatch" and slot and slot == before, (r, before, slot))


def main():
    # A separate PKI with test-only central-role identities ("injector"
    # writes command topics, "listener" reads replies; neither holds a
    # worker key, and each has its own client id = CN), so the
    # test can play an attacker on the wire without disturbing the
    # central node's own session.  `make cluster` has no such identity.
    c = Cluster(args.build, 2, log=lambda *a: None, name="cluster-test",
                extra_centrals=["injector", "listener"])
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

        def run(node, verb, vm=VM):
            st, acc = api.post("/api/v1/nodes/%s/vms/%s/%s" % (node, vm, verb))
            if st != 202:
                return None
            return wait(lambda: api.get(acc["url"])[1]["state"] != "pending" and
                        api.get(acc["url"])[1], 90, 1)

        broker_checks(c)
        browser_check(c, api)
        data = deploy_check(c, api, wait)
        wire_checks(c, api, data)
        out = run("w1", "stop")
        check("cluster: a command from the central node is applied on worker w1",
              out and out["state"] == "ok", out)
        run("w1", "start")
        t0 = time.time()
        c.kill("w2")
        gone = wait(lambda: not nodes()["w2"]["reachable"], 30, 0.5)
        check("cluster: worker w2's QEMU killed: unreachable within 30 s (%.1f s)" %
              (time.time() - t0), gone, nodes().get("w2"))
        st, acc = api.post("/api/v1/nodes/w2/vms/%s/stop" % VM)
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
sys.exit(1 if checks.failures else 0)
