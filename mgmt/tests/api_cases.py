"""The API cases of issue 11 ("API from the host"), run against any node:
the host-built daemon with the simulated node, or the central node under
QEMU.  Each case returns a list of problems (empty: passed)."""
import hashlib
import re
import secrets
import statistics
import threading
import time

STATES = {"running", "stopped", "crashed", "restarting", "empty"}
LIST_FIELDS = {"name": str, "state": str, "vcpus": int, "memory_mib": int, "uptime_s": int,
               "restarts": int, "management": bool, "slot": bool}


def wait_for(fn, timeout, step=0.2):
    end = time.time() + timeout
    while True:
        v = fn()
        if v or time.time() > end:
            return v
        time.sleep(step)


class Ctx:
    def __init__(self, api, deploy_image, deploy_marker, timeout=20, beat_bound_us=100000):
        self.api, self.image, self.marker = api, deploy_image, deploy_marker
        self.timeout, self.beat_bound_us = timeout, beat_bound_us
        self.initial = None
        self.roles = {}

    def vms(self):
        s, v = self.api.get("/api/v1/vms")
        return {x["name"]: x for x in v} if s == 200 else {}

    def state(self, name):
        s, v = self.api.get("/api/v1/vms/" + name)
        return v.get("state") if s == 200 else None

    def console_all(self, name, offset=0):
        s, v = self.api.get("/api/v1/vms/%s/console?offset=%d" % (name, offset))
        return v if s == 200 else {"data": "", "next": offset, "offset": offset}


def case_list(t):
    p = []
    s, node = t.api.get("/api/v1/node")
    if s != 200:
        return ["GET /api/v1/node: %s %s" % (s, node)]
    for k, ty in (("cpus", int), ("memory_mib", int), ("version", str), ("uptime_s", int)):
        if not isinstance(node.get(k), ty):
            p.append("node.%s missing or not %s: %r" % (k, ty.__name__, node.get(k)))
    s, vms = t.api.get("/api/v1/vms")
    if s != 200 or not isinstance(vms, list) or not vms:
        return p + ["GET /api/v1/vms: %s %s" % (s, vms)]
    for v in vms:
        for k, ty in LIST_FIELDS.items():
            if type(v.get(k)) is not ty:
                p.append("vm %s: %s is %r" % (v.get("name"), k, v.get(k)))
        if v.get("state") not in STATES:
            p.append("vm %s: state %r" % (v.get("name"), v.get("state")))
    t.initial = {v["name"]: v for v in vms}
    names = [v["name"] for v in vms]
    t.roles["mgmt"] = next((v["name"] for v in vms if v["management"]), None)
    t.roles["slot"] = next((v["name"] for v in vms if v["slot"]), None)
    t.roles["shell"] = next((n for n in names if "linux" in n), None)
    t.roles["beat"] = next((v["name"] for v in vms if not v["management"] and not v["slot"]
                            and v["name"] != t.roles["shell"]), None)
    for r, n in t.roles.items():
        if not n:
            p.append("no %s VM in the list %s" % (r, names))
    s, one = t.api.get("/api/v1/vms/" + names[0])
    if s != 200 or one.get("name") != names[0] or "bootargs" not in one:
        p.append("GET /api/v1/vms/%s: %s %s" % (names[0], s, one))
    return p


def case_stats_grow(t):
    name = t.roles["beat"]
    s1, a = t.api.get("/api/v1/vms/%s/stats" % name)
    time.sleep(1.5)
    s2, b = t.api.get("/api/v1/vms/%s/stats" % name)
    if s1 != 200 or s2 != 200:
        return ["stats: %s %s / %s %s" % (s1, a, s2, b)]
    p = []
    if set(a["exits"]) != {"hvc", "smc", "sysreg", "mmio", "abort_injected", "wfx", "irq",
                           "undef_injected", "other"}:
        p.append("exit kinds: %s" % sorted(a["exits"]))
    if not b["exits_total"] > a["exits_total"]:
        p.append("exits did not grow: %d -> %d" % (a["exits_total"], b["exits_total"]))
    if not sum(b["vcpu_run_ns"]) > sum(a["vcpu_run_ns"]):
        p.append("run time did not grow: %s -> %s" % (a["vcpu_run_ns"], b["vcpu_run_ns"]))
    if b["irqs_injected"] < a["irqs_injected"]:
        p.append("interrupt count went back")
    return p


def case_console_offsets(t):
    name, p = t.roles["beat"], []
    c0 = t.console_all(name)
    if not c0.get("data") or c0["next"] != c0["offset"] + len(c0["data"].encode()):
        return ["console at 0: %s" % c0]
    mid = c0["offset"] + len(c0["data"].encode()) // 2
    whole = c0["data"].encode()
    c1 = t.console_all(name, mid)
    if c1.get("offset") != mid or not c1["data"].encode().startswith(whole[mid - c0["offset"]:]):
        p.append("read from %d does not continue the first read: %s" % (mid, c1))
    more = wait_for(lambda: t.console_all(name, c0["next"])["data"], t.timeout)
    if not more:
        p.append("no new output after offset %d in %d s" % (c0["next"], t.timeout))
    s, v = t.api.get("/api/v1/vms/%s/console?offset=abc" % name)
    if s != 400:
        p.append("offset=abc: %s (want 400)" % s)
    s, v = t.api.get("/api/v1/vms/%s/console?offset=%d" % (name, 1 << 60))
    if s != 200 or v["data"] or v["offset"] != v["next"] or v["next"] < c0["next"]:
        p.append("offset past the end: %s %s (want empty at the end)" % (s, v))
    return p


def case_console_input(t):
    name = t.roles["shell"]
    start = t.console_all(name)["next"]
    n = secrets.randbelow(900) + 100
    s, r = t.api.post("/api/v1/vms/%s/console" % name, {"input": "echo M$((%d*7))-OK\n" % n})
    if s != 200 or r.get("queued", 0) <= 0:
        return ["console input: %s %s" % (s, r)]
    want = "M%d-OK" % (n * 7)
    got = wait_for(lambda: want in t.console_all(name, start)["data"], t.timeout)
    return [] if got else ["%s never appeared on %s's console: %r" %
                           (want, name, t.console_all(name, start)["data"][-300:])]


def action(t, name, verb, want_status=200):
    s, r = t.api.post("/api/v1/vms/%s/%s" % (name, verb))
    return [] if s == want_status else ["%s %s: %s %s (want %d)" % (verb, name, s, r, want_status)]


def case_stop_start(t):
    name = t.roles["beat"]
    p = action(t, name, "stop")
    if not wait_for(lambda: t.state(name) == "stopped", t.timeout):
        p.append("%s not stopped after stop: %s" % (name, t.state(name)))
    p += action(t, name, "stop", 409)
    p += action(t, name, "start")
    if not wait_for(lambda: t.state(name) == "running", t.timeout):
        p.append("%s not running after start: %s" % (name, t.state(name)))
    p += action(t, name, "start", 409)
    return p


def case_kill_restart(t):
    name = t.roles["beat"]
    p = action(t, name, "kill")
    before = t.vms()[name]["restarts"]
    if not wait_for(lambda: t.state(name) in ("stopped", "crashed"), t.timeout):
        p.append("%s still %s after kill" % (name, t.state(name)))
    p += action(t, name, "restart")
    if not wait_for(lambda: t.state(name) == "running", t.timeout):
        p.append("%s not running after restart: %s" % (name, t.state(name)))
    after = t.vms()[name]["restarts"]
    if after != before + 1:
        p.append("restarts %d -> %d (want +1)" % (before, after))
    return p


def case_management_refused(t):
    name, p = t.roles["mgmt"], []
    for verb in ("stop", "kill", "restart", "start"):
        p += action(t, name, verb, 409)
    if t.state(name) != "running":
        p.append("management VM is %s" % t.state(name))
    return p


def case_deploy(t):
    name, p = t.roles["slot"], []
    image = t.image
    digest = hashlib.sha256(image).hexdigest()
    s, r = t.api.multipart("/api/v1/vms/%s/deploy" % name, {"sha256": "0" * 64},
                           {"kernel": ("bad.bin", image)})
    if s != 400:
        p.append("deploy with a wrong sha256: %s %s (want 400)" % (s, r))
    if t.state(name) != t.initial[name]["state"]:
        p.append("a refused deploy changed the slot to %s" % t.state(name))
    s, r = t.api.multipart("/api/v1/vms/%s/deploy" % t.roles["beat"], {},
                           {"kernel": ("k.bin", image)})
    if s != 409:
        p.append("deploy into a non-slot VM: %s %s (want 409)" % (s, r))
    start = t.console_all(name)["next"]
    s, r = t.api.multipart("/api/v1/vms/%s/deploy" % name,
                           {"sha256": digest, "bootargs": "console=ttyAMA0"},
                           {"kernel": ("test.img", image)})
    if s != 200 or r.get("kernel_sha256") != digest:
        return p + ["deploy: %s %s" % (s, r)]
    if not wait_for(lambda: t.state(name) == "running", t.timeout):
        p.append("slot not running after deploy: %s" % t.state(name))
    if not wait_for(lambda: re.search(t.marker, t.console_all(name, start)["data"]), t.timeout):
        p.append("deployed image's marker %r not on the console: %r" %
                 (t.marker, t.console_all(name, start)["data"][-300:]))
    s, r = t.api.multipart("/api/v1/vms/%s/deploy" % name, {}, {"kernel": ("k", image)})
    if s != 409:
        p.append("deploy into a running slot: %s (want 409)" % s)
    return p


def case_auth(t):
    p = []
    name = t.roles["beat"]
    for tok, what in ((None, "no token"), ("wrong-" + "x" * 30, "a wrong token"),
                      (t.api.token + "x", "the token plus a byte")):
        for method, path in (("GET", "/api/v1/vms"), ("POST", "/api/v1/vms/%s/stop" % name),
                             ("GET", "/api/v1/events")):
            s, _, h = t.api.raw(method, path, token=tok if tok else False)
            if s != 401:
                p.append("%s %s with %s: %s (want 401)" % (method, path, what, s))
    if t.state(name) != "running":
        p.append("an unauthenticated stop changed %s to %s" % (name, t.state(name)))
    s, _, _ = t.api.raw("GET", "/api/v1/vms", headers={"Authorization": "Basic Zm9vOmJhcg=="},
                        token=False)
    if s != 401:
        p.append("Basic auth: %s (want 401)" % s)
    return p


def case_errors(t):
    p = []
    checks = [
        ("GET", "/api/v1/vms/no-such-vm", None, 404),
        ("GET", "/api/v1/vms/no-such-vm/stats", None, 404),
        ("POST", "/api/v1/vms/no-such-vm/stop", None, 404),
        ("GET", "/api/v1/vms/../../etc/passwd", None, 404),
        ("GET", "/api/v1/vms/%2e%2e/%2e%2e/etc/passwd", None, 404),
        ("GET", "/api/v1/vms/..", None, 404),
        ("GET", "/api/v2/vms", None, 404),
        ("DELETE", "/api/v1/vms/%s" % t.roles["beat"], None, 405),
        ("GET", "/api/v1/vms/%s/stop" % t.roles["beat"], None, 405),
        ("POST", "/api/v1/vms/%s/console" % t.roles["shell"], b"{\"input\": ", 400),
        ("POST", "/api/v1/vms/%s/console" % t.roles["shell"], b"[1,2]", 400),
        ("POST", "/api/v1/vms/%s/console" % t.roles["shell"], b"{\"input\": 5}", 400),
        ("POST", "/api/v1/vms/%s/console" % t.roles["shell"], b"\xff\xfe{}", 400),
        ("POST", "/api/v1/vms/%s/console" % t.roles["shell"],
         b"{\"input\": \"" + b"a" * 200000 + b"\"}", 413),
        ("POST", "/api/v1/vms/%s/console" % t.roles["shell"],
         b"{\"input\": \"" + b"a" * 5000 + b"\"}", 413),
        ("POST", "/api/v1/vms/%s/deploy" % t.roles["slot"], b"not multipart", 400),
    ]
    for method, path, body, want in checks:
        s, data, h = t.api.raw(method, path, body,
                               {"Content-Type": "application/json"} if body else {})
        if s != want:
            p.append("%s %s: %s %s (want %d)" % (method, path[:60], s, data[:120], want))
        elif not data.startswith(b"{\"error\":"):
            p.append("%s %s: body is not a JSON error: %r" % (method, path[:60], data[:80]))
        if want == 405 and "Allow" not in h:
            p.append("%s %s: 405 without Allow" % (method, path))
    return p


def case_deploy_too_big(t, limit_mib):
    """With curl, as an operator would: it sends Expect: 100-continue, so
    the daemon answers 413 from the declared length without the body."""
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile() as f:
        f.truncate((limit_mib << 20) + 4096)
        f.flush()
        p = subprocess.run(["curl", "-sS", "--max-time", "60", "-o", "-", "-w", "\n%{http_code}",
                            "-H", "Authorization: Bearer " + t.api.token, "-F",
                            "kernel=@" + f.name,
                            "http://%s:%d/api/v1/vms/%s/deploy" % (t.api.host, t.api.port,
                                                                   t.roles["slot"])],
                           capture_output=True, text=True, timeout=90)
    code = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    p2 = [] if code == "413" else ["deploy of %d MiB + 4 KiB: %r %s (want 413)" %
                                   (limit_mib, p.stdout[-200:], p.stderr[-200:])]
    if t.state(t.roles["slot"]) != "running":
        p2.append("the refused deploy changed the slot to %s" % t.state(t.roles["slot"]))
    return p2


def case_unchanged(t):
    """After everything above, only what the tests did has changed: the
    same VMs, the beat VM restarted once, the slot now running."""
    now, p = t.vms(), []
    if set(now) != set(t.initial):
        return ["VM set changed: %s -> %s" % (sorted(t.initial), sorted(now))]
    for n, v in t.initial.items():
        want = dict(v)
        if n == t.roles["slot"]:
            want["state"] = "running"
        if n == t.roles["beat"]:
            want["restarts"] += 1
        # A VM restarted by its own on_exit = restart may have restarted more.
        auto = t.api.get("/api/v1/vms/" + n)[1].get("on_exit") == "restart"
        for k in ("state", "vcpus", "memory_mib", "restarts", "management", "slot"):
            if k == "restarts" and auto and now[n][k] >= want[k]:
                continue
            if now[n][k] != want[k]:
                p.append("%s.%s: %r -> %r" % (n, k, want[k], now[n][k]))
    return p


def case_load(t, clients=20, per_client=50):
    """20 parallel clients x 50 requests alternating the list and a stats
    call; all must succeed.  Returns (problems, latencies of the list)."""
    names = list(t.initial)
    lat, first, errors, lock = [], [], [], threading.Lock()

    def client(i):
        # One keep-alive connection per client, as a browser or script would
        # hold (a new TCP connection per request mostly measures QEMU's
        # user-net listener, whose accept backlog is 1).
        import http.client
        conn = None
        for j in range(per_client):
            path = "/api/v1/vms" if j % 2 == 0 else "/api/v1/vms/%s/stats" % names[(i + j) % len(names)]
            t0 = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(t.api.host, t.api.port, timeout=t.api.timeout)
                conn.request("GET", path, headers={"Authorization": "Bearer " + t.api.token})
                r = conn.getresponse()
                r.read()
                s = r.status
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
            except Exception as e:  # noqa: BLE001 - any failure counts
                s = repr(e)
                if conn:
                    conn.close()
                conn = None
            dt = time.perf_counter() - t0
            with lock:
                if s != 200:
                    errors.append("%s: %s" % (path, s))
                elif j % 2 == 0 and j > 0:  # the first one includes the TCP connect
                    lat.append(dt)
                elif j == 0:
                    first.append(dt)
        if conn:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=300)
    wall = time.perf_counter() - t0
    p = ["%d of %d requests failed, e.g. %s" % (len(errors), clients * per_client, errors[:3])] \
        if errors else []
    if any(th.is_alive() for th in threads):
        p.append("load clients still running after 300 s")
    lat.sort()
    figures = {"requests": clients * per_client, "wall_s": wall,
               "list_median_ms": 1000 * statistics.median(lat) if lat else None,
               "list_p99_ms": 1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))] if lat else None,
               "first_request_max_ms": 1000 * max(first) if first else None}
    return p, figures


def case_heartbeat_bound(t, since):
    """The heartbeat guest kept beating within its bound during the load."""
    name = t.roles["beat"]
    data = t.console_all(name, since)["data"]
    gaps = [int(g) for g in re.findall(r"max_gap_us=(\d+)", data)]
    if not gaps:
        return ["no heartbeat on %s since offset %d: %r" % (name, since, data[-200:])]
    return [] if max(gaps) <= t.beat_bound_us else \
        ["heartbeat gap %d us over %d" % (max(gaps), t.beat_bound_us)]


def case_events(t):
    """Server-sent events: the hello, a stats tick each second, console
    data, and a state change caused by an action."""
    import http.client
    import json
    name, p, seen = t.roles["beat"], [], {}
    conn = http.client.HTTPConnection(t.api.host, t.api.port, timeout=t.timeout)
    conn.request("GET", "/api/v1/events", headers={"Authorization": "Bearer " + t.api.token})
    r = conn.getresponse()
    if r.status != 200 or not r.getheader("Content-Type", "").startswith("text/event-stream"):
        return ["events: %s %s" % (r.status, r.getheader("Content-Type"))]
    stopped = started = False
    end, ev = time.time() + 3 * t.timeout, None
    try:
        while time.time() < end:
            line = r.readline().decode()
            if line.startswith("event: "):
                ev = line[7:].strip()
            elif line.startswith("data: ") and ev:
                d = json.loads(line[6:])
                seen[ev] = seen.get(ev, 0) + 1
                if ev == "vm" and d["name"] == name and d["state"] == "stopped":
                    stopped = True
                    action(t, name, "start")
                if ev == "vm" and d["name"] == name and d["state"] == "running" and stopped:
                    started = True
                if ev == "stats" and seen["stats"] == 2 and not stopped:
                    p += action(t, name, "stop")
                if started and seen.get("stats", 0) >= 3 and seen.get("console"):
                    break
    except OSError as e:
        p.append("event stream: %r" % e)
    finally:
        conn.close()
    for ev in ("hello", "stats", "console"):
        if not seen.get(ev):
            p.append("no %s event (saw %s)" % (ev, seen))
    if not (stopped and started):
        p.append("state events: stopped %s, running again %s" % (stopped, started))
    return p


def case_deploy_linux(t, kernel_path, initrd_path):
    """Debian's own kernel and initramfs deployed into the slot through the
    API (multipart upload with sha256) boot to a shell that answers."""
    import hashlib
    name, p = t.roles["slot"], []
    if t.state(name) in ("running", "restarting"):
        p += action(t, name, "stop")
        if not wait_for(lambda: t.state(name) == "stopped", t.timeout):
            return p + ["slot did not stop: %s" % t.state(name)]
    kernel, initrd = open(kernel_path, "rb").read(), open(initrd_path, "rb").read()
    start = t.console_all(name)["next"]
    t0 = time.time()
    s, r = t.api.multipart("/api/v1/vms/%s/deploy" % name,
                           {"sha256": hashlib.sha256(kernel).hexdigest(),
                            "bootargs": "console=ttyAMA0 quiet"},
                           {"kernel": ("Image", kernel), "initrd": ("initrd.gz", initrd)})
    upload = time.time() - t0
    if s != 200 or r.get("image_bytes") != len(kernel) or r.get("initrd_bytes") != len(initrd):
        return p + ["deploy of Debian's kernel: %s %s" % (s, str(r)[:300])]
    if not wait_for(lambda: "AETHER-LINUX-READY" in t.console_all(name, start)["data"], 240, 1):
        return p + ["the deployed kernel did not reach its shell: %r" %
                    t.console_all(name, start)["data"][-400:]]
    n = secrets.randbelow(900) + 100
    t.api.post("/api/v1/vms/%s/console" % name, {"input": "echo D$((%d*9))-OK\n" % n})
    if not wait_for(lambda: "D%d-OK" % (n * 9) in t.console_all(name, start)["data"], 60):
        p.append("the deployed Linux's shell did not answer")
    t.deploy_upload_s = upload
    return p
