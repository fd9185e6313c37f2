"""Micro-benchmarks: the bench guest (tests/guests/bench.c) in
tests/configs/b-micro.cfg (2 vCPUs on 2 CPUs) and b-switch.cfg (both on one
CPU), and the EL2 image's size."""
import os
import re
import subprocess

from bench import common
from bench.common import build_image, log, qemu, run_qemu

MICRO_LABELS = {
    "hvc": "null hypercall (HVC SMCCC_VERSION) round trip",
    "mmio_read": "emulated MMIO read (vPL011 FR)",
    "mmio_write": "emulated MMIO write (vPL011 IMSC, same value)",
    "abort": "Stage-2 fault on unmapped IPA -> injected abort (guest handler skips)",
    "timer_spin": "virtual timer: expiry -> guest handler (guest running)",
    "timer_wfi": "virtual timer: expiry -> guest handler (guest in WFI)",
    "sgi_ping": "SGI vCPU0 -> vCPU1 (pCPU0 -> pCPU1): write -> receiver handler",
    "sgi_pong": "SGI vCPU1 -> vCPU0 (pCPU1 -> pCPU0): write -> receiver handler",
    "cpu_on": "PSCI CPU_ON -> new vCPU's first instruction",
    "switch": "vCPU switch on a shared pCPU: SGI write to the sibling -> its handler",
    "switch_dbg": "the same with a breakpoint armed on both vCPUs (debug state switched)",
}


def parse_bench_lines(text):
    out = []
    for line in text.splitlines():
        m = re.search(r"BENCH (\w+)((?: [\w]+=\S+)*)\s*$", line)
        if m:
            kv = dict(x.split("=", 1) for x in m.group(2).split())
            for k, v in kv.items():
                try:
                    kv[k] = int(v)
                except ValueError:
                    pass
            out.append((m.group(1), kv))
    return out


def exits_of(kv, iters):
    return {k[2:]: kv[k] / iters for k in kv if k.startswith("x_") and k != "x_iters"}


def micro_switch(errors, config="b-switch", key="switch"):
    """Both vCPUs on one physical CPU (tests/configs/b-switch.cfg): the
    hypervisor switches vCPUs at the exit of an SGI to the sibling
    (b-switch-dbg.cfg: with debug state armed on both)."""
    image, out = build_image(config)
    if not image:
        return {"na": "n/a (%s does not build: CPU sharing missing?)" % config}
    log("micro: vCPU switch on a shared CPU (%s, 1 CPU)" % config)
    r = run_qemu(qemu.qemu_cmd(image, smp=1, mem=256, icount=True), 120, "micro-" + key)
    for kind, kv in parse_bench_lines(r.output):
        if kind == key and kv.get("ab_n"):
            n = kv["ab_n"] + kv["ba_n"]
            return {"iters": kv["iters"], "total": (kv["ab_sum"] + kv["ba_sum"]) / n,
                    "min": min(kv["ab_min"], kv["ba_min"]),
                    "max": max(kv["ab_max"], kv["ba_max"]),
                    "exits": exits_of(kv, 2 * kv["iters"]),
                    "negative": kv["ab_bad"] + kv["ba_bad"]}
    errors.extend(l.strip() for l in r.output.splitlines() if "BENCH-ERROR" in l)
    return {"na": "n/a (no result; see build/bench/logs/micro-%s.log)" % key}


def loop_row(kv):
    n = kv["iters"]
    return {"iters": n, "total": (kv["cyc"] - kv["cyc0"]) / n,
            "el2": (kv["el2"] - kv["el20"]) / n, "exits": exits_of(kv, n)}


def lat_row(kv):
    n = kv["lat_n"] or 1
    return {"iters": kv["iters"], "total": kv["lat_sum"] / n, "min": kv["lat_min"],
            "max": kv["lat_max"], "el2": kv["el2_sum"] / (kv["el2_n"] or 1),
            "exits": exits_of(kv, kv["iters"]), "negative": kv["lat_bad"]}


def sgi_rows(kv):
    n = kv["iters"]
    ex = exits_of(kv, n)
    return {"sgi_" + d: {"iters": n, "total": kv[d + "_sum"] / (kv[d + "_n"] or 1),
                         "min": kv[d + "_min"], "max": kv[d + "_max"],
                         "el2_cpu0": kv["el2_cpu0"] / n, "el2_cpu1": kv["el2_cpu1"] / n,
                         "exits": ex, "negative": kv[d + "_bad"]}
            for d in ("ping", "pong")}


def cpu_on_row(kv):
    n = kv["lat_n"] or 1
    return {"iters": kv["iters"], "total": kv["lat_sum"] / n, "min": kv["lat_min"],
            "max": kv["lat_max"], "el2": kv["el2_sum"] / (kv["el2_n"] or 1),
            "exits": exits_of(kv, kv["iters"]), "failed": kv["failed"]}


def rows_of(lines, m):
    """The guest's BENCH lines into m's info and rows."""
    for kind, kv in lines:
        if kind == "info":
            m["info"].update(kv)
        elif kind == "loop":
            m["rows"][kv.get("name")] = loop_row(kv)
        elif kind == "lat":
            m["rows"][kv.get("name")] = lat_row(kv)
        elif kind == "sgi":
            m["rows"].update(sgi_rows(kv))
        elif kind == "cpu_on":
            m["rows"]["cpu_on"] = cpu_on_row(kv)


def boot_facts(output):
    """RAM, free memory and the VM's RAM from the hypervisor's boot log."""
    b = re.search(r"RAM (\d+) MiB in \d+ range\(s\), (\d+) KiB free", output)
    s2 = re.search(r"Stage-2 tables (\d+) page\(s\)", output)
    vmem = re.search(r"vm bench: VMID \d+, (\d+) MiB RAM", output)
    if not (b and vmem):
        return {}
    return {"ram_kib": int(b.group(1)) * 1024, "free_kib": int(b.group(2)),
            "vm_kib": int(vmem.group(1)) * 1024,
            "s2_pages_used": int(s2.group(1)) if s2 else None}


def micro(res):
    log("micro: building the bench guest and tests/configs/b-micro.cfg")
    image, out = build_image("b-micro")
    if not image:
        res["micro"] = {"error": "build failed: " + out[-800:]}
        return
    log("micro: running (QEMU -icount, 2 CPUs, timeout 300 s)")
    r = run_qemu(qemu.qemu_cmd(image, smp=2, mem=256, icount=True), 300, "micro")
    lines = parse_bench_lines(r.output)
    errors = [l.strip() for l in r.output.splitlines() if "BENCH-ERROR" in l]
    if r.skipped:
        errors.append("skipped: the time budget of make bench was used up")
    elif r.timed_out:
        errors.append("QEMU timed out after 300 s")
    m = {"rows": {}, "errors": errors, "info": {}, "boot": {}}
    rows_of(lines, m)
    m["rows"]["switch"] = micro_switch(m["errors"])
    m["rows"]["switch_dbg"] = micro_switch(m["errors"], "b-switch-dbg", "switch_dbg")
    m["boot"] = boot_facts(r.output)
    summ = re.search(r"vm bench: .*exits: (.*)", r.output)
    m["summary_exits"] = summ.group(1).strip() if summ else None
    if "done" not in [k for k, _ in lines]:
        m["errors"].append("the bench guest did not finish (see build/bench/logs/micro.log)")
    res["micro"] = m


def size(res):
    elf = os.path.join(common.BUILD, "aether.elf")
    s = {"elf": elf}
    try:
        out = subprocess.run(["aarch64-linux-gnu-size", "-A", elf], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        res["size"] = {"error": "aarch64-linux-gnu-size failed: %s" % e}
        return
    for line in out.splitlines():
        p = line.split()
        if len(p) >= 2 and p[0] in (".text", ".guest", ".rodata", ".data", ".bss"):
            s[p[0][1:]] = int(p[1])
    syms = {}
    nm = subprocess.run(["aarch64-linux-gnu-nm", elf], capture_output=True, text=True).stdout
    for line in nm.splitlines():
        p = line.split()
        if len(p) == 3:
            syms[p[2]] = int(p[0], 16)
    if "_head" in syms and "_end" in syms:
        s["image_bytes"] = syms["_end"] - syms["_head"]
    s["s2_pool_bytes_per_vm"] = 64 * 4096
    boot = res.get("micro", {}).get("boot") or {}
    if boot:
        s["runtime_reserved_kib"] = boot["ram_kib"] - boot["free_kib"] - boot["vm_kib"]
        s["runtime_config"] = "b-micro (1 VM of 16 MiB)"
    res["size"] = s
