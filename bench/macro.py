"""Macro benchmarks: Debian's kernel to the userspace marker natively,
under this hypervisor and under Xen 4.17, then the syscall and timer
workload (bench/workload.c); every run under -icount, wall clock over
alternating runs."""
import os
import re
import statistics
import subprocess

from bench import common
from bench.common import (HOST_MEM, MARKER_ARGS, NATIVE_MACHINE, TICK_NS, WORK_ARGS,
                          build_image, log, qemu, run_qemu, why_not)
from bench.dtb import xen_dtb
from bench.guest import (aether_exits, build_workload, int_histogram, linux_files,
                         native_cmd)
from bench.xen import XEN_PKG, xen_args, xen_cmd, xen_fetch


def img_dtb(cfg):
    return os.path.join(common.BUILD, "img", cfg, "vm-linux.dtb")


def base_setups(kernel, initrd, images):
    """name -> (description, smp, kind, cmd, timeout)"""
    s = {}
    s["native-2"] = ("native (QEMU at EL1, the VM's device tree)", 2, "native",
                     native_cmd(kernel, initrd, img_dtb("b-linux"), 2, MARKER_ARGS), 180)
    s["aether-2"] = ("Aether EdgeCloud (2 vCPUs on 2 CPUs)", 2, "aether",
                     qemu.qemu_cmd(images["b-linux"], smp=2, mem=HOST_MEM, icount=True), 240)
    s["native-1"] = ("native, 1 CPU", 1, "native",
                     native_cmd(kernel, initrd, img_dtb("b-linux1"), 1, MARKER_ARGS), 180)
    s["aether-1"] = ("Aether EdgeCloud, 1 vCPU", 1, "aether",
                     qemu.qemu_cmd(images["b-linux1"], smp=1, mem=HOST_MEM, icount=True), 240)
    return s


def xen_setups(mac, setups, kernel, initrd):
    """Adds the Xen setups unless --no-xen or Xen is unavailable; returns
    the Xen image or None."""
    if common.ARGS.no_xen:
        mac["xen"] = "not measured (--no-xen)"
        return None
    log("macro: fetching %s (private apt state under %s/xen)" % (XEN_PKG, common.OUT))
    xen, xver, xerr = xen_fetch()
    if xerr:
        mac["xen"] = "not measured (%s)" % xerr
        return None
    mac["xen"] = xver
    try:
        for scrub, nm in ((True, "xen-1"), (False, "xen-1-noscrub")):
            dtb, raddr = xen_dtb(nm, 1, kernel, initrd, xen_args(1, scrub),
                                 MARKER_ARGS.replace("ttyAMA0", "hvc0"))
            setups[nm] = ("Xen 4.17 dom0, 1 vCPU, " + ("defaults" if scrub else "bootscrub=0"),
                          1, "xen", xen_cmd(xen, dtb, kernel, initrd, raddr, 1), 240)
    except (OSError, subprocess.SubprocessError) as e:
        mac["xen"] = "not measured (device tree: %s)" % e
    return xen


def run_rounds(mac, setups, rounds):
    """Every setup once per round, alternating; returns the failed ones."""
    failed = set()
    runs = common.ARGS.runs
    for rnd in range(runs):
        for name, (desc, smp, kind, cmd, tmo) in setups.items():
            if name in failed or rnd >= rounds.get(name, runs):
                continue
            log("macro: %s run %d/%d" % (name, rnd + 1, rounds.get(name, runs)))
            r = run_qemu(cmd, tmo, "%s-%d" % (name, rnd + 1))
            s = mac["setups"].setdefault(name, {"desc": desc, "cpus": smp, "kind": kind,
                                                "cntvct": [], "wall": [], "errors": []})
            m = re.search(r"AETHER-MARKER cntvct=(\d+)", r.output)
            if not m:
                s["errors"].append("no marker (%s); see build/bench/logs/%s-%d.log" % (
                    why_not(r, "timed out after %d s" % tmo), name, rnd + 1))
                failed.add(name)
                continue
            s["cntvct"].append(int(m.group(1)))
            s["wall"].append(r.seconds)
            if kind == "aether":
                s["exits"] = aether_exits(r.output, "linux")
    return failed


def exit_histograms(mac, setups, failed):
    """Exit histograms from QEMU's own exception log (one extra run each)."""
    for name, (desc, smp, kind, cmd, tmo) in setups.items():
        if kind == "native" or name in failed or name not in mac["setups"]:
            continue
        path = os.path.join(common.OUT, "logs", name + "-int.qemulog")
        log("macro: %s with -d int (exit histogram)" % name)
        run_qemu(cmd + ["-d", "int", "-D", path], tmo * 2, name + "-int")
        if os.path.exists(path):
            mac["setups"][name]["int_exits"] = int_histogram(path)
            os.remove(path)


def ratios(mac):
    for s in mac["setups"].values():
        v = s["cntvct"]
        if v:
            s["marker_cntvct"] = v[0]
            s["repeatable"] = len(set(v)) == 1
            s["instructions"] = v[0] * TICK_NS
    for name, s in mac["setups"].items():
        b = mac["setups"].get("native-%d" % s["cpus"])
        if s.get("marker_cntvct") and b and b.get("marker_cntvct"):
            s["ratio"] = s["marker_cntvct"] / b["marker_cntvct"]
            if s["wall"] and b["wall"] and len(s["wall"]) > 1:
                bw = statistics.median(b["wall"])
                s["wall_ratio"] = statistics.median(s["wall"]) / bw
                s["wall_ratio_range"] = (min(s["wall"]) / bw, max(s["wall"]) / bw)


def macro(res):
    mac = {"setups": {}, "notes": [], "workload": {}}
    res["macro"] = mac
    kernel, initrd, err = linux_files()
    if err:
        mac["error"] = err
        return
    images = {}
    for cfg in ("b-linux", "b-linux1"):
        log("macro: building tests/configs/%s.cfg" % cfg)
        img, out = build_image(cfg)
        if not img:
            mac["error"] = "cannot build %s: %s" % (cfg, out[-500:])
            return
        images[cfg] = img
    setups = base_setups(kernel, initrd, images)
    xen = xen_setups(mac, setups, kernel, initrd)
    # The brief's plain QEMU command: QEMU's full device tree, 1 GiB.
    setups["native-2-qemudtb"] = ("native, QEMU's own device tree, -m 1024", 2, "native",
                                  qemu.qemu_cmd(kernel, smp=2, mem=1024,
                                                machine=NATIVE_MACHINE, icount=True,
                                                extra=["-initrd", initrd, "-append",
                                                       MARKER_ARGS]), 180)
    failed = run_rounds(mac, setups, {"native-2-qemudtb": 1})
    exit_histograms(mac, setups, failed)
    ratios(mac)
    mac["xen_smp2"] = ("Xen with 2 CPUs is not measured: under QEMU's single-threaded "
                       "round-robin icount scheduler Xen 4.17's boot stalls (CPU1 spins at "
                       "EL2 with interrupts masked) before dom0 is built; 1 CPU works.")
    workload(res, kernel, initrd, xen)


# ---------------------------------------------------------------- workload
def workload_runs(wl, kernel, wrd, img, xen):
    runs = {
        "native-2": native_cmd(kernel, wrd, img_dtb("b-linux"), 2, WORK_ARGS),
        "aether-2": qemu.qemu_cmd(img, smp=2, mem=HOST_MEM, icount=True),
    }
    if xen:
        runs["native-1"] = native_cmd(kernel, wrd, img_dtb("b-linux1"), 1, WORK_ARGS)
        try:
            dtb, raddr = xen_dtb("xen-1-work", 1, kernel, wrd, xen_args(1, False),
                                 WORK_ARGS.replace("ttyAMA0", "hvc0"))
            runs["xen-1-noscrub"] = xen_cmd(xen, dtb, kernel, wrd, raddr, 1)
        except (OSError, subprocess.SubprocessError) as e:
            wl["xen-1-noscrub"] = {"error": "device tree: %s" % e}
    return runs


def workload_figures(kv):
    return {"getppid_insns": kv["batch_med_ticks"] * TICK_NS / kv["batch"],
            "getppid_total_insns": kv["getppid_ticks"] * TICK_NS / kv["getppid"],
            "sleep_insns": kv["sleep_med_ticks"] * TICK_NS,
            "sleep_overhead_insns": kv["sleep_med_ticks"] * TICK_NS - kv["sleep_ns"],
            "sleep_total_insns": kv["sleep_ticks"] * TICK_NS / kv["sleeps"],
            "raw": kv}


def workload_run(name, cmd, setups):
    """One workload run; returns its figures or {"error": ...}."""
    log("workload: %s" % name)
    trace = os.path.join(common.OUT, "logs", "work-%s-int.qemulog" % name)
    hyp = not name.startswith("native")
    # Exits are counted by QEMU -d int: it slows QEMU down but does not
    # change virtual time.
    r = run_qemu(cmd + (["-d", "int", "-D", trace] if hyp else []), 300, "work-" + name)
    intx = None
    if hyp and os.path.exists(trace):
        intx = int_histogram(trace)
        os.remove(trace)
    m = re.search(r"AETHER-BENCH (.*)", r.output)
    if not m:
        return {"error": "no result (%s)" % why_not(r, "timed out")}
    w = workload_figures({k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))})
    if intx is not None:
        w["int_exits"] = intx
        w["boot_int_exits"] = setups.get(name, {}).get("int_exits")
    if name.startswith("aether"):
        w["exits_total"] = aether_exits(r.output, "work")
    return w


def workload(res, kernel, initrd, xen):
    wl = res["macro"]["workload"]
    wrd, err = build_workload(initrd)
    if err:
        wl["error"] = err
        return
    img, out = build_image("b-work")
    if not img:
        wl["error"] = "cannot build tests/configs/b-work.cfg: " + out[-300:]
        return
    setups = res["macro"]["setups"]
    for name, cmd in workload_runs(wl, kernel, wrd, img, xen).items():
        if name in setups and not setups[name].get("marker_cntvct"):
            wl[name] = {"error": "not run: the same setup did not boot to the marker"}
            continue
        wl[name] = workload_run(name, cmd, setups)
    for name, w in wl.items():
        base = wl.get("native-%s" % name.split("-")[1]) if "-" in name else None
        if isinstance(w, dict) and "getppid_insns" in w and base and "getppid_insns" in base:
            w["getppid_ratio"] = w["getppid_insns"] / base["getppid_insns"]
            w["sleep_ratio"] = w["sleep_insns"] / base["sleep_insns"]
