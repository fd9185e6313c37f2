"""Issue 15: the same figures on the ZCU102 model (xlnx-zcu102,
virtualization=on: 4 Cortex-A53, GIC-400, Cadence UART) booted with
Debian's own zynqmp-zcu102-rev1.0.dtb, as U-Boot would hand it over.

  micro  the bench guest (tests/guests/bench.c) in
         tests/configs/b-micro-zcu102.cfg: hypercall, MMIO, timer delivery
         and SGI rows next to virt's
  linux  Debian's kernel to the userspace marker natively on the model with
         the same DTB (2 of its 4 CPUs: maxcpus=2, as the VM has 2 vCPUs)
         and under the hypervisor (tests/configs/b-linux-zcu102.cfg)

Natively the kernel has no console device on this model (its Cadence
driver waits for the ZynqMP clock firmware, which QEMU does not model), so
the native command line is `console=ttyPS0 earlycon`: the boot console
prints, and aether-marker writes its line to /dev/kmsg (tools/linux/
marker.c)."""
import re

from bench import common
from bench.common import TICK_NS, build_image, fmt, log, qemu, run_qemu, why_not
from bench.micro import MICRO_LABELS, parse_bench_lines, rows_of

BOARD = "zcu102"
NATIVE_ARGS = "console=ttyPS0 earlycon quiet maxcpus=2 rdinit=/bin/aether-marker"
ROWS = ("hvc", "mmio_read", "mmio_write", "abort", "timer_spin", "timer_wfi", "sgi_ping",
        "sgi_pong", "cpu_on")


def board_micro(b):
    image, out = build_image("b-micro-zcu102")
    if not image:
        b["micro"] = {"error": "cannot build tests/configs/b-micro-zcu102.cfg: " + out[-300:]}
        return
    log("board: micro-benchmarks on the ZCU102 model (icount)")
    r = run_qemu(qemu.board_cmd(BOARD, common.BUILD, image, icount=True), 300, "zcu102-micro")
    m = {"rows": {}, "info": {}, "errors": []}
    rows_of(parse_bench_lines(r.output), m)
    if not m["rows"]:
        m["errors"].append("no result (%s); see build/bench/logs/zcu102-micro.log" %
                           why_not(r, "timed out"))
    b["micro"] = m


def marker(r):
    m = re.search(r"AETHER-MARKER cntvct=(\d+)", r.output)
    return int(m.group(1)) if m else None


def board_linux(b):
    kernel = common.BUILD + "/linux/Image"
    initrd = common.BUILD + "/linux/initrd.gz"
    image, out = build_image("b-linux-zcu102")
    if not image:
        b["linux"] = {"error": "cannot build tests/configs/b-linux-zcu102.cfg: " + out[-300:]}
        return
    runs = {
        "native": qemu.board_cmd(BOARD, common.BUILD, kernel, icount=True,
                                 extra=["-initrd", initrd, "-append", NATIVE_ARGS]),
        "aether": qemu.board_cmd(BOARD, common.BUILD, image, icount=True),
    }
    lx = {}
    for name, cmd in runs.items():
        log("board: Linux to the marker on the ZCU102 model, %s" % name)
        r = run_qemu(cmd, 300, "zcu102-linux-" + name)
        lx[name] = {"cntvct": marker(r), "wall": r.seconds}
        if lx[name]["cntvct"] is None:
            lx[name]["error"] = "no marker (%s); see build/bench/logs/zcu102-linux-%s.log" % (
                why_not(r, "timed out"), name)
    n, a = lx["native"].get("cntvct"), lx["aether"].get("cntvct")
    if n and a:
        lx["ratio"] = a / n
        lx["wall_ratio"] = lx["aether"]["wall"] / lx["native"]["wall"]
    b["linux"] = lx


def board(res):
    b = {}
    res["board"] = b
    board_micro(b)
    board_linux(b)


def el2_of(r):
    """EL2 instructions of a row; the SGI rows give both CPUs' shares."""
    if not r:
        return "-"
    if "el2" in r:
        return fmt(r["el2"])
    if "el2_cpu0" in r:
        return "%s + %s" % (fmt(r["el2_cpu0"]), fmt(r["el2_cpu1"]))
    return "-"


def board_section(L, res):
    b = res.get("board")
    if not b:
        return
    L.append("## ZCU102 model (xlnx-zcu102, Debian's DTB)")
    L.append("")
    mi = b.get("micro", {})
    if mi.get("error"):
        L.append("Micro-benchmarks not measured: " + mi["error"])
    else:
        L.append("The bench guest in tests/configs/b-micro-zcu102.cfg (2 vCPUs on 2 of the "
                 "board's 4 Cortex-A53, virtual GICv2 on the GIC-400), measured as the "
                 "micro-benchmarks above; virt's EL2 figure beside it.")
        L.append("")
        L.append("| benchmark | total instructions | at EL2 (ZCU102) | at EL2 (virt) | "
                 "exits per iteration |")
        L.append("| --- | ---: | ---: | ---: | --- |")
        for key in ROWS:
            r = mi.get("rows", {}).get(key)
            if not r:
                L.append("| %s | not measured | | | |" % MICRO_LABELS[key])
                continue
            ex = ", ".join("%s %s" % (k, fmt(v, 2)) for k, v in (r.get("exits") or {}).items()
                           if abs(v) >= 0.01) or "none"
            virt = res.get("micro", {}).get("rows", {}).get(key)
            L.append("| %s | %s | %s | %s | %s |" % (MICRO_LABELS[key], fmt(r["total"]),
                                                    el2_of(r), el2_of(virt), ex))
        for e in mi.get("errors", []):
            L.append("")
            L.append("**error:** " + e)
    L.append("")
    lx = b.get("linux", {})
    if lx.get("error"):
        L.append("Linux boot not measured: " + lx["error"])
    else:
        L.append("Debian's kernel to the userspace marker (virtual time, CNTVCT at the "
                 "marker): natively on the model with Debian's DTB (`%s`, 2 of 4 CPUs) and "
                 "under the hypervisor booted with that DTB (the VM: 2 vCPUs, 512 MiB, "
                 "`console=ttyAMA0 quiet`)." % NATIVE_ARGS)
        L.append("")
        L.append("| setup | marker (virtual time) | ratio vs native | wall clock (s) |")
        L.append("| --- | ---: | ---: | ---: |")
        for name in ("native", "aether"):
            s = lx.get(name, {})
            if not s.get("cntvct"):
                L.append("| %s | %s | | |" % (name, s.get("error", "not measured")))
                continue
            ratio = fmt(lx.get("ratio"), 4) if name == "aether" and lx.get("ratio") else ""
            L.append("| %s | %.4f s (%s instructions) | %s | %.1f |" % (
                name, s["cntvct"] * TICK_NS / 1e9, "{:,}".format(s["cntvct"] * TICK_NS), ratio,
                s["wall"]))
        L.append("")
        L.append("A ratio below 1 is not the hypervisor being faster than the hardware: the "
                 "two kernels do different work.  Natively the kernel probes every ZynqMP "
                 "device of the board's DTB (and defers those whose clock and power-domain "
                 "firmware QEMU does not model); the VM's device tree has CPUs, memory, GIC, "
                 "timer, PL011 and PSCI only.  On virt, where the native run uses the VM's own "
                 "device tree, the ratio above measures the hypervisor alone.")
    L.append("")
