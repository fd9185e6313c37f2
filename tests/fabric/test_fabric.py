#!/usr/bin/env python3
"""Host tests of the fabric: Debian's mosquitto with the generated
configuration on 127.0.0.1, real agents (aether-agent against the simulated
node) and the central library (fabric-central), plus mosquitto_pub/_sub as
hostile or observing clients.  Prints "ok <name>" / "FAIL <name>" lines
(tests/run.py collects them); exits non-zero if any failed."""
import argparse
import os
import secrets
import signal
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402
from checks import check  # noqa: E402
from fabric_env import Fabric, ROOT_TOPIC  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--only", default="")
args = ap.parse_args()


def cmd_ok(fab, node, op, vm, timeout=20):
    st, cid = fab.command(node, op, vm)
    if st != 202:
        return None, "%d %s" % (st, cid)
    out = fab.outcome(cid, timeout)
    return out, out


def capture_command(fab, node, op, vm):
    """Sends a real command from the central node while the observer
    listens on the worker's command topic: (outcome, payload, mac, id)."""
    sub = fab.sub_bg("observer", "%s/%s/cmd" % (ROOT_TOPIC, node), wait=10)
    time.sleep(0.8)
    out, _ = cmd_ok(fab, node, op, vm)
    line = ""
    try:
        o, _ = sub.communicate(timeout=15)
        line = o.splitlines()[0] if o.strip() else ""
    except Exception:
        sub.kill()
    props, corr, payload = (line.split("|", 2) + ["", "", ""])[:3]
    mac = props.split(":", 1)[1] if props.startswith("mac:") else ""
    return out, payload, mac, corr


# ---------------------------------------------------------------- broker security
def t_broker(fab):
    rc, lines, err = fab.sub(None, "#", wait=4, extra=["--cafile", os.path.join(fab.pki, "ca.pem")])
    check("fabric/broker refuses an anonymous client (TLS, no certificate)", rc != 0 and not lines,
          "rc=%d lines=%r %s" % (rc, lines, err))
    rc, lines, err = fab.sub(None, "#", wait=4)
    check("fabric/broker refuses a plain-TCP client", rc != 0 and not lines, "rc=%d %s" % (rc, err))
    rogue = ["--cafile", os.path.join(fab.pki, "ca.pem"),
             "--cert", os.path.join(fab.pki, "rogue/w1.pem"), "--key", os.path.join(fab.pki, "rogue/w1.key")]
    rc, lines, err = fab.sub(None, "%s/w1/cmd" % ROOT_TOPIC, wait=4, extra=rogue)
    check("fabric/broker refuses a certificate from another CA (CN=w1)", rc != 0 and not lines,
          "rc=%d %s" % (rc, err))
    # A right certificate with the wrong key: TLS fails too.
    wrong = ["--cafile", os.path.join(fab.pki, "ca.pem"),
             "--cert", os.path.join(fab.pki, "nodes/w1/w1.pem"),
             "--key", os.path.join(fab.pki, "nodes/w2/w2.key")]
    rc, lines, err = fab.sub(None, "%s/w1/cmd" % ROOT_TOPIC, wait=4, extra=wrong)
    check("fabric/broker refuses w1's certificate with w2's key", rc != 0 and not lines,
          "rc=%d %s" % (rc, err))


def t_acl(fab):
    # w1 writing to w2's command topic: the observer must not see it.
    sub = fab.sub_bg("observer", "%s/w2/cmd" % ROOT_TOPIC, wait=5)
    time.sleep(0.8)
    body = fab.make_cmd("w2", "stop", "hello")
    rc, out = fab.send_signed("w1", "w2", body)
    o, _ = sub.communicate(timeout=15)
    check("fabric/acl: worker w1 cannot publish to w2's command topic", not o.strip(),
          "observer saw: %r (pub rc=%d %s)" % (o, rc, out))
    # w1 reading w2's command topic while the central node commands w2.
    sub = fab.sub_bg("w1", "%s/w2/cmd" % ROOT_TOPIC, wait=6)
    time.sleep(0.8)
    out, _ = cmd_ok(fab, "w2", "list", "-")
    o, e = sub.communicate(timeout=15)
    check("fabric/acl: worker w1 cannot read w2's command topic",
          out and out["state"] == "ok" and not o.strip(), "w1 saw %r; outcome %r" % (o, out))
    # w1 cannot pose as w2's status (would mark it online or offline).
    rc, out = fab.pub("w1", "%s/w2/status" % ROOT_TOPIC, '{"v":1,"state":"offline"}')
    time.sleep(1)
    check("fabric/acl: worker w1 cannot write w2's status", fab.reachable("w2"),
          fab.node("w2"))
    # The broker forces client id = certificate CN: w1 asking for id "w2"
    # cannot take over w2's session.
    fab.sub("w1", "%s/w1/cmd" % ROOT_TOPIC, wait=2, extra=["-i", "w2"])
    out, _ = cmd_ok(fab, "w2", "list", "-")
    check("fabric/acl: a client id of another worker does not steal its session",
          out and out["state"] == "ok", out)


# ---------------------------------------------------------------- commands
def t_commands(fab):
    out, _ = cmd_ok(fab, "w1", "stop", "hello")
    check("fabric/cmd stop reaches the worker and is applied",
          out and out["state"] == "ok" and fab.wait(lambda: fab.vm_state("w1", "hello") == "stopped", 10),
          out)
    out, _ = cmd_ok(fab, "w1", "start", "hello")
    check("fabric/cmd start brings it back",
          out and out["state"] == "ok" and fab.wait(lambda: fab.vm_state("w1", "hello") == "running", 10),
          out)
    out, _ = cmd_ok(fab, "w1", "list", "-")
    names = [v["name"] for v in (out or {}).get("reply", {}).get("result", {}).get("vms", [])]
    check("fabric/cmd list returns the worker's VMs and stats",
          "hello" in names and "stats" in out["reply"]["result"]["vms"][0], out)
    out, _ = cmd_ok(fab, "w1", "start", "hello")
    check("fabric/cmd start of a running VM answers the local API's error (409)",
          out and out["state"] == "error" and out["http"] == 409, out)
    st, msg = fab.command("w1", "stop", "mgmt")
    check("fabric/cmd stop of the management VM refused at once (409, as the local API)", st == 409, msg)
    st, msg = fab.command("w1", "stop", "nosuchvm")
    check("fabric/cmd unknown VM refused at once (404)", st == 404, msg)
    st, msg = fab.command("nosuchnode", "stop", "hello")
    check("fabric/cmd unknown node refused (404)", st == 404, msg)
    st, msg = fab.command("w1", "explode", "hello")
    check("fabric/cmd unknown operation refused (400)", st == 400, msg)


def rejection(fab, cid, reason, timeout=10):
    def find():
        for e in fab.ask_json("events"):
            d = e.get("detail") or {}
            if e["kind"] == "rejected" and d.get("reason") == reason and \
                    (cid is None or d.get("id") == cid or cid in str(d)):
                return d
        return None
    return fab.wait(find, timeout, 0.2)


def t_replay(fab):
    out, payload, mac, corr = capture_command(fab, "w1", "stop", "hello")
    ok = out and out["state"] == "ok" and payload and mac
    if not check("fabric/replay: captured a signed command from the wire", ok, (out, payload, mac)):
        return
    cmd_ok(fab, "w1", "start", "hello")
    fab.wait(lambda: fab.vm_state("w1", "hello") == "running", 10)
    import json
    body = json.loads(payload)
    fab.send_signed("injector", "w1", body, mac=mac, payload=payload)
    rej = rejection(fab, body["id"], "replay")
    time.sleep(1)
    c = fab.ask_json("get " + body["id"])
    check("fabric/replay: an exact replay is rejected, reported, not applied",
          rej and fab.vm_state("w1", "hello") == "running" and c["state"] == "ok" and
          any(r.get("reason") == "replay" for r in c.get("rejections") or []),
          (rej, c, fab.vm_state("w1", "hello")))
    # Altered: the same signature over a changed payload.
    altered = payload.replace('"op":"stop"', '"op":"kill"').replace(body["id"], body["id"][:-1] + "0")
    fab.send_signed("injector", "w1", dict(body, id=body["id"][:-1] + "0"), mac=mac, payload=altered)
    rej = rejection(fab, None, "bad-mac")
    time.sleep(0.5)
    check("fabric/altered: a modified command is rejected (bad-mac), reported, not applied",
          rej and fab.vm_state("w1", "hello") == "running", (rej, fab.vm_state("w1", "hello")))
    # Unsigned, and signed with another worker's key.
    b = fab.make_cmd("w1", "stop", "hello")
    p, _ = fab.sign("w2", b)
    fab.send_signed("injector", "w1", b, mac=fab.sign("w2", b)[1], payload=p)
    rej = rejection(fab, b["id"], "bad-mac")
    check("fabric/altered: a command signed with another worker's key is rejected",
          rej and fab.vm_state("w1", "hello") == "running", rej)
    # Stale: properly signed, issued an hour ago with a 60 s lifetime.
    b = fab.make_cmd("w1", "stop", "hello", ts=time.time() - 3600, ttl=60)
    fab.send_signed("injector", "w1", b)
    rej = rejection(fab, b["id"], "stale")
    check("fabric/stale: an old command is rejected, reported, not applied",
          rej and fab.vm_state("w1", "hello") == "running", rej)
    b = fab.make_cmd("w1", "stop", "hello", ts=time.time() + 3600, ttl=60)
    fab.send_signed("injector", "w1", b)
    check("fabric/stale: a command from the future is rejected",
          rejection(fab, b["id"], "future") and fab.vm_state("w1", "hello") == "running")
    # Addressed to w2 but sent (signed with w1's key) to w1.
    b = fab.make_cmd("w2", "stop", "hello")
    p, m = fab.sign("w1", b)
    fab.send_signed("injector", "w1", b, mac=m, payload=p)
    check("fabric/wrong-node: a command for another worker is rejected",
          rejection(fab, b["id"], "wrong-node") and fab.vm_state("w1", "hello") == "running")


def restarts(fab, node, vm):
    for v in fab.node(node)["vms"]:
        if v["name"] == vm:
            return v["restarts"]
    return None


def reply_for(lines, cid):
    import json
    for l in lines:
        try:
            d = json.loads(l.split("|", 2)[2])
        except (ValueError, IndexError):
            continue
        if d.get("id") == cid:
            return d
    return None


def t_duplicate(fab):
    before = restarts(fab, "w1", "hello")
    cid = "dup" + secrets.token_hex(4)
    sub = fab.sub_bg("observer", "%s/w1/reply" % ROOT_TOPIC, wait=8)
    time.sleep(0.8)
    fab.send_signed("injector", "w1", fab.make_cmd("w1", "restart", "hello", cid=cid))
    time.sleep(1.5)
    # The same id again, freshly signed (the central node re-sending it).
    fab.send_signed("injector", "w1", fab.make_cmd("w1", "restart", "hello", cid=cid))
    o, _ = sub.communicate(timeout=15)
    lines = o.splitlines()
    first = reply_for(lines, cid)
    dups = [l for l in lines if cid in l and '"duplicate":true' in l]
    time.sleep(2.5)
    after = restarts(fab, "w1", "hello")
    check("fabric/duplicate: a redelivered command id is answered with the earlier result, applied once",
          first and first["outcome"] == "ok" and len(dups) == 1 and after == before + 1,
          "before=%r after=%r replies=%r" % (before, after, lines))
    # The journal survives an agent restart.
    fab.kill_agent("w1")
    fab.start_agent("w1")
    fab.wait(lambda: fab.reachable("w1"), 20)
    # The simulated node starts afresh (0 restarts).  Until the central
    # side has the new agent's first report it may still show the old
    # one's (the broker's last will can arrive after the check above).
    fab.wait(lambda: restarts(fab, "w1", "hello") == 0, 20)
    before = restarts(fab, "w1", "hello")
    sub = fab.sub_bg("observer", "%s/w1/reply" % ROOT_TOPIC, wait=5)
    time.sleep(0.8)
    fab.send_signed("injector", "w1", fab.make_cmd("w1", "restart", "hello", cid=cid))
    o, _ = sub.communicate(timeout=15)
    time.sleep(2.5)
    check("fabric/duplicate: still applied once after the agent restarted (journal)",
          '"duplicate":true' in o and restarts(fab, "w1", "hello") == before,
          "after=%r replies=%r" % (restarts(fab, "w1", "hello"), o))


def t_away(fab):
    t0 = time.time()
    fab.kill_agent("w2")
    gone = fab.wait(lambda: not fab.reachable("w2"), 30, 0.2)
    took = time.time() - t0
    check("fabric/away: a killed worker is shown unreachable within 30 s (%.1f s)" % took,
          gone, fab.node("w2"))
    st, cid = fab.command("w2", "stop", "hello")
    time.sleep(1)
    pending = fab.ask_json("get " + cid) if st == 202 else None
    t0 = time.time()
    fab.start_agent("w2")
    back = fab.wait(lambda: fab.reachable("w2"), 30, 0.2)
    check("fabric/away: the worker is seen again after it returns (%.1f s)" % (time.time() - t0), back,
          fab.node("w2"))
    out = fab.outcome(cid, 20) if st == 202 else None
    check("fabric/away: a command sent while it was down is delivered after it returns",
          pending and pending["state"] == "pending" and out and out["state"] == "ok" and
          fab.wait(lambda: fab.vm_state("w2", "hello") == "stopped", 10), (pending, out))
    # Expiry: down longer than the command's lifetime.
    fab.kill_agent("w2")
    fab.wait(lambda: not fab.reachable("w2"), 30, 0.2)
    st, cid = fab.command("w2", "start", "hello", ttl=3)
    out = fab.wait(lambda: (fab.ask_json("get " + cid) or {}).get("state") == "expired", 20, 0.3)
    fab.start_agent("w2")
    fab.wait(lambda: fab.reachable("w2"), 30, 0.2)
    time.sleep(2)
    log = open(os.path.join(fab.work, "agent-w2.log")).read()
    check("fabric/away: a command that outlives its ttl is reported expired and not applied later",
          st == 202 and out and cid not in log and
          fab.ask_json("get " + cid)["state"] == "expired", (st, fab.ask_json("get " + cid)))
    # Frozen, not dead: no TCP close, so only the keepalive finds it.
    t0 = time.time()
    p = fab.agents["w2"]
    p.send_signal(signal.SIGSTOP)
    gone = fab.wait(lambda: not fab.reachable("w2"), 30, 0.2)
    took = time.time() - t0
    p.send_signal(signal.SIGCONT)
    back = fab.wait(lambda: fab.reachable("w2"), 30, 0.2)
    check("fabric/away: a frozen worker is shown unreachable within 30 s (%.1f s) and seen again" % took,
          gone and back, fab.node("w2"))


def t_deploy(fab):
    img = os.path.join(fab.work, "image.bin")
    data = b"AETHER-MARKER fabric deploy test\n" + secrets.token_bytes(200000)
    open(img, "wb").write(data)
    ans = fab.ask("deploy w1 slot %s console=ttyAMA0" % img)
    st, cid = ans.split(" ", 1)
    out = fab.outcome(cid, 30) if st == "202" else None
    slot = [v for v in fab.node("w1")["vms"] if v["name"] == "slot"]
    check("fabric/deploy: the image travels over HTTP, is checked and runs in the slot",
          out and out["state"] == "ok" and fab.wait(lambda: fab.vm_state("w1", "slot") == "running", 10),
          (ans, out, slot))
    # A deploy whose digest does not match what the URL serves.
    import hashlib
    import hmac
    sha = hashlib.sha256(data).hexdigest()
    tok = hmac.new(fab.key("w2"), ("image:" + sha).encode(), hashlib.sha256).hexdigest()
    url = "http://127.0.0.1:%d/fabric/images/%s?node=w2&t=%s" % (fab.image_port, sha, tok)
    bad = hashlib.sha256(b"something else").hexdigest()
    sub = fab.sub_bg("observer", "%s/w2/reply" % ROOT_TOPIC, wait=8)
    time.sleep(0.8)
    b = fab.make_cmd("w2", "deploy", "slot", args={"kernel": {"url": url, "sha256": bad,
                                                              "size": len(data)}, "bootargs": ""})
    fab.send_signed("injector", "w2", b)
    o, _ = sub.communicate(timeout=15)
    r = reply_for(o.splitlines(), b["id"])
    check("fabric/deploy: a digest mismatch is refused before the management interface",
          r and r["outcome"] == "error" and r["error"] == "digest-mismatch" and
          fab.vm_state("w2", "slot") == "empty", (r, fab.vm_state("w2", "slot")))
    # The image server wants the worker's token.
    import urllib.request
    import urllib.error
    try:
        urllib.request.urlopen(url.replace(tok, "0" * 64), timeout=5)
        code = 200
    except urllib.error.HTTPError as e:
        code = e.code
    check("fabric/deploy: the image server refuses a request without the worker's token",
          code == 403, code)


def t_api(fab):
    """The same fabric behind aetherd's HTTP API (the central node's daemon)."""
    fab.stop_central()
    web = os.path.join(fab.build, "mgmt", "web")
    api = fab.start_aetherd(web=web if os.path.exists(os.path.join(web, "index.html")) else None)
    fab.web = os.path.exists(os.path.join(web, "index.html"))
    st, _ = api.get("/api/v1/nodes", token=False)
    check("fabric/api: GET /api/v1/nodes needs the token (401)", st == 401, st)
    ok = fab.wait(lambda: all(n["reachable"] for n in api.get("/api/v1/nodes")[1]
                              if n["node"] in ("w1", "w2")), 20)
    st, nodes = api.get("/api/v1/nodes")
    check("fabric/api: GET /api/v1/nodes lists both workers, reachable, with their VMs",
          ok and st == 200 and {"w1", "w2"} <= {n["node"] for n in nodes} and
          all(n["vms"] and n["last_seen_ms"] for n in nodes if n["node"] in ("w1", "w2")), nodes)
    st, vms = api.get("/api/v1/nodes/w1/vms")
    check("fabric/api: GET /api/v1/nodes/w1/vms", st == 200 and "hello" in [v["name"] for v in vms], vms)
    st, acc = api.post("/api/v1/nodes/w1/vms/hello/stop")
    out = None
    if st == 202:
        out = fab.wait(lambda: api.get(acc["url"])[1].get("state") not in ("pending", None) and
                       api.get(acc["url"])[1], 20)
    check("fabric/api: POST .../vms/hello/stop answers 202 and the command id's outcome is ok",
          st == 202 and out and out["state"] == "ok" and
          fab.wait(lambda: [v for v in api.get("/api/v1/nodes/w1/vms")[1]
                            if v["name"] == "hello"][0]["state"] == "stopped", 10), (st, acc, out))
    st, acc = api.post("/api/v1/nodes/w1/vms/hello/start", {"ttl": 30})
    out = fab.wait(lambda: st == 202 and api.get(acc["url"])[1].get("state") == "ok", 20)
    check("fabric/api: POST .../start with a ttl body", out, (st, acc))
    for path, want in (("/api/v1/nodes/nosuch/vms/hello/stop", 404),
                       ("/api/v1/nodes/w1/vms/nosuch/stop", 404),
                       ("/api/v1/nodes/w1/vms/mgmt/stop", 409)):
        st, body = api.post(path)
        check("fabric/api: POST %s -> %d" % (path, want), st == want, (st, body))
    st, body = api.get("/api/v1/commands/1-deadbeef")
    check("fabric/api: GET of an unknown command id -> 404", st == 404, (st, body))
    data = b"AETHER-MARKER api remote deploy\n" + secrets.token_bytes(100000)
    st, acc = api.multipart("/api/v1/nodes/w2/vms/slot/deploy", {"bootargs": "console=ttyAMA0"},
                            {"kernel": ("k.img", data)})
    out = fab.wait(lambda: st == 202 and api.get(acc["url"])[1].get("state") not in ("pending", None)
                   and api.get(acc["url"])[1], 30)
    check("fabric/api: remote deploy (multipart, as the local deploy) runs in w2's slot",
          out and out["state"] == "ok" and
          fab.wait(lambda: [v for v in api.get("/api/v1/nodes/w2/vms")[1]
                            if v["name"] == "slot"][0]["state"] == "running", 10), (st, acc, out))
    b = fab.make_cmd("w1", "stop", "hello", ts=time.time() - 3600, ttl=60)
    fab.send_signed("injector", "w1", b)
    ev = fab.wait(lambda: [e for e in api.get("/api/v1/fabric/events")[1] if e["kind"] == "rejected"
                           and (e.get("detail") or {}).get("id") == b["id"]], 10)
    check("fabric/api: GET /api/v1/fabric/events shows a worker's rejection (stale)",
          ev and ev[0]["node"] == "w1" and ev[0]["detail"]["reason"] == "stale", ev)


def t_browser(fab):
    """The dashboard's cluster view in headless Chromium (aetherd from t_api)."""
    import subprocess
    web = os.path.join(fab.build, "mgmt", "web")
    if not os.path.exists(os.path.join(web, "index.html")):
        check("fabric/browser: dashboard built", False, web + " missing (make mgmt-web)")
        return
    if getattr(fab, "aetherd", None) is None or fab.aetherd.poll() is not None or not getattr(fab, "web", 0):
        fab.stop_central()
        if getattr(fab, "aetherd", None) is not None and fab.aetherd.poll() is None:
            fab.aetherd.kill()
            fab.aetherd.wait(10)
        fab.start_aetherd(web=web)
        fab.web = 1
    shot = os.path.join(fab.build, "fabric", "cluster-view.png")
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cluster_browser.mjs")
    img = os.path.join(fab.work, "browser-image.bin")
    with open(img, "wb") as f:
        f.write(b"\nAETHER-MARKER deployed from the cluster view\n" + secrets.token_bytes(50000))
    # The earlier API test filled w2's slot: the simulated node takes a
    # new deploy into a stopped slot only.
    fab.api.post("/api/v1/nodes/w2/vms/slot/stop")
    fab.wait(lambda: [v for v in fab.api.get("/api/v1/nodes/w2/vms")[1]
                      if v["name"] == "slot"][0]["state"] != "running", 20)
    if os.path.exists(shot):
        os.unlink(shot)
    try:
        p = subprocess.run(["node", script, "http://127.0.0.1:%d/" % fab.api_port, fab.api.token,
                            shot, "w1", "w2", "hello", img], capture_output=True, text=True,
                           timeout=180)
        out = p.stdout + p.stderr
        if p.returncode and "FAIL" not in out:
            out += "\nFAIL browser/exit status %d" % p.returncode
    except subprocess.TimeoutExpired:
        out = "FAIL fabric/browser timed out after 180 s"
    for line in out.splitlines():
        if line.startswith(("ok ", "FAIL ")):
            verdict, name = line.split(" ", 1)
            check("fabric/" + name.strip(), verdict == "ok", out[-2000:] if verdict != "ok" else "")
    check("fabric/browser: screenshot saved (%s)" % shot, os.path.exists(shot), out[-2000:])


TESTS = [("broker", t_broker), ("acl", t_acl), ("cmd", t_commands), ("replay", t_replay),
         ("duplicate", t_duplicate), ("deploy", t_deploy), ("away", t_away), ("api", t_api),
         ("browser", t_browser)]


def main():
    fab = Fabric(args.build, ["w1", "w2"], extra_centrals=["injector"], observer=True, lifetime=400)
    try:
        fab.start_agent("w1")
        fab.start_agent("w2")
        fab.start_central(ttl=120)
        up = fab.wait(lambda: fab.reachable("w1") and fab.reachable("w2"), 20)
        if not check("fabric/two workers appear reachable on the central side", up,
                     fab.ask("nodes") + fab.tail(fab.broker_log)):
            return
        for name, fn in TESTS:
            if args.only and args.only not in name:
                continue
            try:
                fn(fab)
            except Exception:
                check("fabric/%s ran to the end" % name, False, traceback.format_exc())
    finally:
        fab.stop()
        if checks.failures:
            for f in sorted(os.listdir(fab.work)):
                if f.endswith(".log"):
                    print("  | --- %s ---\n  | " % f + fab.tail(os.path.join(fab.work, f), 15)
                          .replace("\n", "\n  | "))
        fab.cleanup()


main()
sys.exit(1 if checks.failures else 0)
