"""A fabric on host loopback for tests and the fleet simulation: the PKI
(mgmt/fabric/pki.sh), Debian's mosquitto with the generated configuration
(mgmt/fabric/broker-conf.sh) on 127.0.0.1 and an ephemeral port, worker
agents and the central side.  Every process is started with a bounded
lifetime and stopped by stop(); every wait is bounded."""
import hashlib
import hmac
import json
import os
import resource
import secrets
import shutil
import signal
import socket
import sys
import subprocess
import tempfile
import threading
import time
import ctypes

_libc = ctypes.CDLL(None, use_errno=True)


def _die_with_parent():
    _libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROOT_TOPIC = "aether/v1/node"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def raise_fd_limit(want=65536):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    new = min(want, hard) if hard != resource.RLIM_INFINITY else want
    if soft < new:
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))


class Fabric:
    def __init__(self, build, nodes, work=None, extra_centrals=(), observer=False,
                 lifetime=600, pki=None):
        self.build = os.path.abspath(build)
        self.bin = os.path.join(self.build, "fabric")
        self.work = work or tempfile.mkdtemp(prefix="fabric-")
        self.pki = pki or os.path.join(self.work, "pki")
        self.nodes = list(nodes)
        self.lifetime = lifetime
        self.procs = []
        # Every process this fabric starts dies with the test (PDEATHSIG)
        # and at the latest after `lifetime` seconds.
        self.watchdog = threading.Timer(lifetime, self.stop)
        self.watchdog.daemon = True
        self.watchdog.start()
        self.agents = {}
        self.central = None
        raise_fd_limit()
        args = [os.path.join(ROOT, "mgmt/fabric/pki.sh"), self.pki, "--rogue", "--central", "central"]
        for c in extra_centrals:
            args += ["--central", c]
        subprocess.run(args + self.nodes, check=True, timeout=1800)
        self.port = free_port()
        bdir = os.path.join(self.work, "broker")
        subprocess.run([os.path.join(ROOT, "mgmt/fabric/broker-conf.sh"), self.pki, bdir,
                        "127.0.0.1", str(self.port)], check=True, timeout=60)
        if observer:
            # Test-only identity that may read every fabric topic (it checks
            # what reaches a command topic); not in a real deployment.
            acl = os.path.join(bdir, "acl")
            body = open(acl).read()
            open(acl, "w").write("user observer\ntopic read %s/#\n\n" % ROOT_TOPIC + body)
            subprocess.run([os.path.join(ROOT, "mgmt/fabric/pki.sh"), self.pki,
                            "--central", "observer"], check=True, timeout=60)
        self.conf = os.path.join(bdir, "mosquitto.conf")
        self.broker_log = os.path.join(self.work, "broker.log")
        self.broker = None
        self.start_broker()

    # ------------------------------------------------------------ processes
    def spawn(self, args, log, **kw):
        f = open(log, "ab")
        p = subprocess.Popen(args, stdout=kw.pop("stdout", f), stderr=f,
                             preexec_fn=_die_with_parent, **kw)
        self.procs.append(p)
        return p

    def start_broker(self):
        self.broker = self.spawn(["mosquitto", "-c", self.conf], self.broker_log)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("broker did not listen: " + self.tail(self.broker_log))

    def broker_rss_kib(self):
        for line in open("/proc/%d/status" % self.broker.pid):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return None

    def creds(self, who):
        if who in ("central", "injector", "observer"):
            d = os.path.join(self.pki, "central")
            return ["--cafile", os.path.join(self.pki, "ca.pem"),
                    "--cert", os.path.join(d, who + ".pem"), "--key", os.path.join(d, who + ".key")]
        d = os.path.join(self.pki, "nodes", who)
        return ["--cafile", os.path.join(self.pki, "ca.pem"),
                "--cert", os.path.join(d, who + ".pem"), "--key", os.path.join(d, who + ".key")]

    def agent_args(self, node, period=2):
        d = os.path.join(self.pki, "nodes", node)
        state = os.path.join(self.work, "state-" + node)
        os.makedirs(state, exist_ok=True)
        return [os.path.join(self.bin, "aether-agent"), "--node", node,
                "--broker", "127.0.0.1:%d" % self.port, "--ca", os.path.join(d, "ca.pem"),
                "--cert", os.path.join(d, node + ".pem"), "--key", os.path.join(d, node + ".key"),
                "--hmac-key", os.path.join(d, node + ".hmac"), "--state", state,
                "--tmp", self.work, "--period", str(period), "--keepalive", "10"]

    def start_agent(self, node, period=2):
        log = os.path.join(self.work, "agent-%s.log" % node)
        self.agents[node] = self.spawn(self.agent_args(node, period), log)
        return self.agents[node]

    def kill_agent(self, node, sig=signal.SIGKILL):
        p = self.agents.pop(node)
        p.send_signal(sig)
        p.wait(timeout=10)

    def start_central(self, ttl=300, period=2, image_url=None):
        c = os.path.join(self.pki, "central")
        self.central_log = os.path.join(self.work, "central.log")
        self.central = self.spawn(
            [os.path.join(self.bin, "fabric-central"), "--broker", "127.0.0.1:%d" % self.port,
             "--ca", os.path.join(self.pki, "ca.pem"), "--cert", os.path.join(c, "central.pem"),
             "--key", os.path.join(c, "central.key"), "--keys", os.path.join(self.pki, "keys"),
             "--images", self.work, "--image-bind", "127.0.0.1", "--ttl", str(ttl),
             "--period", str(period)] + (["--image-url", image_url] if image_url else []),
            self.central_log, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE)
        line = self.central.stdout.readline().decode()
        if not line.startswith("ready"):
            raise RuntimeError("central did not start: " + self.tail(self.central_log))
        self.image_port = int(line.split("=")[1])

    def stop_central(self):
        if self.central and self.central.poll() is None:
            self.central.stdin.write(b"quit\n")
            self.central.stdin.flush()
            self.central.wait(timeout=10)
        self.central = None

    def start_aetherd(self, ttl=300, period=2, web=None):
        """aetherd (simulated local node) as the central node, with the
        fabric configured through AETHERD_FABRIC; an Api client for it."""
        sys.path.insert(0, os.path.join(ROOT, "mgmt", "tests"))
        import api as apimod
        c = os.path.join(self.pki, "central")
        conf = os.path.join(self.work, "fabric.conf")
        with open(conf, "w") as f:
            f.write("broker 127.0.0.1:%d\nca %s\ncert %s\nkey %s\nkeys %s\nimages %s\n"
                    "image-bind 127.0.0.1\nimage-port 0\nttl %d\nperiod %d\n" % (
                        self.port, os.path.join(self.pki, "ca.pem"),
                        os.path.join(c, "central.pem"), os.path.join(c, "central.key"),
                        os.path.join(self.pki, "keys"), self.work, ttl, period))
        token = apimod.new_token()
        tok = os.path.join(self.work, "token")
        apimod.write_token(tok, token)
        portfile = os.path.join(self.work, "aetherd.port")
        self.aetherd_log = os.path.join(self.work, "aetherd.log")
        args = [os.path.join(self.build, "mgmt", "host", "aetherd"), "--listen", "127.0.0.1",
                "--port", "0", "--token-file", tok, "--port-file", portfile, "--sim"]
        if web:
            args += ["--web", web]
        self.aetherd = self.spawn(args, self.aetherd_log, env=dict(os.environ, AETHERD_FABRIC=conf))
        port = self.wait(lambda: os.path.exists(portfile) and open(portfile).read().strip(), 15)
        if not port:
            raise RuntimeError("aetherd did not start: " + self.tail(self.aetherd_log))
        self.api = apimod.Api("127.0.0.1", int(port), token)
        self.api_port = int(port)
        return self.api

    def ask(self, line, timeout=30):
        """One request to fabric-central; its answer line."""
        import select
        self.central.stdin.write((line + "\n").encode())
        self.central.stdin.flush()
        r, _, _ = select.select([self.central.stdout], [], [], timeout)
        if not r:
            raise RuntimeError("central did not answer '%s'" % line)
        return self.central.stdout.readline().decode().strip()

    def ask_json(self, line, timeout=30):
        return json.loads(self.ask(line, timeout))

    def node(self, node):
        return self.ask_json("node " + node)

    def command(self, node, op, vm="-", ttl=None):
        ans = self.ask("cmd %s %s %s%s" % (node, op, vm, " ttl=%d" % ttl if ttl else ""))
        status, rest = ans.split(" ", 1)
        return int(status), rest

    def wait(self, pred, timeout, step=0.1):
        deadline = time.time() + timeout
        while time.time() < deadline:
            v = pred()
            if v:
                return v
            time.sleep(step)
        return None

    def outcome(self, cid, timeout=20):
        def done():
            c = self.ask_json("get " + cid)
            return c if c and c["state"] != "pending" else None
        return self.wait(done, timeout) or self.ask_json("get " + cid)

    def reachable(self, node):
        n = self.node(node)
        return n is not None and n["reachable"]

    def vm_state(self, node, vm):
        for v in (self.node(node) or {}).get("vms", []):
            if v["name"] == vm:
                return v["state"]
        return None

    # ------------------------------------------------------------ MQTT clients
    def mqtt_base(self, who):
        return ["-h", "127.0.0.1", "-p", str(self.port), "-V", "mqttv5"] + (self.creds(who) if who else [])

    def sub(self, who, topic, count=1, wait=5, fmt="%P|%D|%p", extra=()):
        """mosquitto_sub for at most `wait` seconds: (exit status, lines)."""
        args = ["mosquitto_sub"] + self.mqtt_base(who) + ["-t", topic, "-C", str(count),
                                                            "-W", str(wait), "-F", fmt] + list(extra)
        p = subprocess.run(args, capture_output=True, text=True, timeout=wait + 10)
        return p.returncode, p.stdout.splitlines(), p.stderr

    def sub_bg(self, who, topic, wait=10, fmt="%P|%D|%p"):
        args = ["mosquitto_sub"] + self.mqtt_base(who) + ["-t", topic, "-W", str(wait), "-F", fmt,
                                                            "-q", "1"]
        return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def pub(self, who, topic, payload, props=(), qos=1, extra=()):
        args = ["mosquitto_pub"] + self.mqtt_base(who) + ["-t", topic, "-m", payload, "-q", str(qos)]
        for kind, name, *val in props:
            args += ["-D", "publish", kind] + ([name] if name else []) + val
        p = subprocess.run(args + list(extra), capture_output=True, text=True, timeout=20)
        return p.returncode, p.stdout + p.stderr

    # ------------------------------------------------------------ signing (the test as a signer)
    def key(self, node):
        return bytes.fromhex(open(os.path.join(self.pki, "keys", node + ".hmac")).read().strip())

    def sign(self, node, body):
        payload = json.dumps(body, separators=(",", ":"), sort_keys=True)
        mac = hmac.new(self.key(node), payload.encode(), hashlib.sha256).hexdigest()
        return payload, mac

    def make_cmd(self, node, op, vm=None, ts=None, ttl=60, cid=None, nonce=None, args=None):
        body = {"v": 1, "id": cid or "t" + secrets.token_hex(6), "node": node, "op": op,
                "ts": int((time.time() if ts is None else ts) * 1000), "ttl": ttl,
                "nonce": nonce or secrets.token_hex(16)}
        if vm:
            body["vm"] = vm
        if args:
            body["args"] = args
        return body

    def send_signed(self, who, node, body, mac=None, payload=None):
        if payload is None:
            payload, mac2 = self.sign(node, body)
            mac = mac or mac2
        topic = "%s/%s/cmd" % (ROOT_TOPIC, node)
        props = [("user-property", "mac", mac), ("correlation-data", None, body["id"]),
                 ("response-topic", None, "%s/%s/reply" % (ROOT_TOPIC, node)),
                 ("message-expiry-interval", None, "60")]
        return self.pub(who, topic, payload, props)

    # ------------------------------------------------------------ teardown
    def tail(self, path, n=30):
        try:
            return "".join(open(path, errors="replace").readlines()[-n:])
        except OSError:
            return ""

    def stop(self):
        if self.central and self.central.poll() is None:
            try:
                self.central.stdin.write(b"quit\n")
                self.central.stdin.flush()
                self.central.wait(timeout=5)
            except Exception:
                pass
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self.watchdog.cancel()

    def cleanup(self):
        shutil.rmtree(self.work, ignore_errors=True)
