"""The report: results as Markdown (results.md, printed by make bench) and
the verdicts against the targets."""
from bench import common
from bench.common import GUEST_MEM, ICOUNT, ICOUNT_NOTE, MARKER_ARGS, MISS_WHY, TARGETS, fmt, \
    verdict
from bench.micro import MICRO_LABELS
from bench.board import board_section
from bench.fleet import fleet_section
from bench.mgmt import mgmt_section

MICRO_ORDER = ("hvc", "mmio_read", "mmio_write", "abort", "timer_spin", "timer_wfi",
               "sgi_ping", "sgi_pong", "cpu_on", "switch", "switch_dbg")
BOOT_ORDER = ("native-2", "aether-2", "native-1", "aether-1", "xen-1", "xen-1-noscrub",
              "native-2-qemudtb")
WORK_ORDER = ("native-2", "aether-2", "native-1", "xen-1-noscrub")


def exits_str(ex):
    """Exits per iteration; below 0.01 is the measuring code's own noise."""
    ex = {k: v for k, v in (ex or {}).items() if abs(v) >= 0.01}
    if not ex:
        return "none"
    return ", ".join("%s %s" % (k, fmt(v, 2).rstrip("0").rstrip(".")) for k, v in ex.items())


def exits_line(intx, own):
    parts = []
    if intx:
        tot = sum(intx.values())
        items = sorted(((k, v) for k, v in intx.items() if v), key=lambda kv: -kv[1])
        parts.append("%d: %s" % (tot, ", ".join("%s %d" % kv for kv in items)))
    if own:
        parts.append("(hypervisor's count: %s)" % ", ".join(
            "%s %d" % kv for kv in own.items() if kv[1]))
    return " ".join(parts) if parts else "not counted"


# ---------------------------------------------------------------- micro
def micro_el2(key, r):
    if key in ("switch", "switch_dbg"):
        return "(nearly all)"
    if "el2" in r:
        return fmt(r["el2"]) + (" (caller's CPU)" if key == "cpu_on" else "")
    return "%s + %s per round trip (pCPU0 + pCPU1)" % (fmt(r["el2_cpu0"]), fmt(r["el2_cpu1"]))


def micro_row(key, r):
    label = MICRO_LABELS[key]
    if r is None:
        return "| %s | not measured | | | | |" % label
    if "na" in r:
        return "| %s | %s | | | | |" % (label, r["na"])
    tot = fmt(r["total"])
    if "min" in r:
        tot += " (%d..%d)" % (r["min"], r["max"])
    ex = exits_str(r.get("exits"))
    if key.startswith("sgi"):
        ex += " (per round trip)"
    tkey = "mmio_read" if key == "mmio_write" else key
    target = TARGETS.get(key) or (TARGETS.get(tkey) if key == "mmio_write" else None)
    tg = "<= %d" % target[1] if target else ""
    v = verdict(key if key in TARGETS else tkey, r.get("el2")) if target else ""
    return "| %s | %s | %s | %s | %s | %s |" % (label, tot, micro_el2(key, r), ex, tg, v or "")


def micro_section(L, mi):
    L.append("## Micro-benchmarks")
    L.append("")
    if not mi:
        L.append("not run (--only)")
        return
    if mi.get("error"):
        L.append("not measured: " + mi["error"])
        return
    L.append("Bench guest (tests/guests/bench.c, tests/configs/b-micro.cfg: 2 vCPUs on "
             "2 physical CPUs). Loops: 10,000 iterations, instructions per iteration "
             "minus the empty loop; *total* from PMCCNTR_EL0 with NSH (EL0+EL1+EL2), "
             "*EL2* from AETHER_HC_EL2_INSNS (the hypervisor's EL2-only counter) minus "
             "the measuring hypercalls. Latencies: virtual time from the event to "
             "the first instruction of the guest's handler, every CPU's PMCCNTR "
             "related to the shared virtual clock through CNTPCT; mean (min..max) of "
             "10,000.")
    L.append("")
    L.append("| benchmark | total instructions | at EL2 | exits per iteration | "
             "target (EL2) | |")
    L.append("| --- | ---: | ---: | --- | ---: | --- |")
    rows = mi.get("rows", {})
    for key in MICRO_ORDER:
        L.append(micro_row(key, rows.get(key)))
    L.append("")
    L.append("Notes: *total* includes the guest's side (the trapping instruction, "
             "the guest's exception entry and its handler up to the timestamp). "
             "Aborts are measured after the hypervisor's per-VM log budget (10 lines "
             "a second) is used up, so the printing of the first ten is not in the "
             "average. Under `-icount` QEMU runs the CPUs one at a time (round robin), "
             "so a cross-CPU latency (SGI, CPU_ON) also contains the sender's own "
             "instructions after its write until it idles; the EL2 columns split "
             "the work per CPU.")
    for e in mi.get("errors", []):
        L.append("")
        L.append("**error:** " + e)
    L.append("")


# ---------------------------------------------------------------- macro
def boot_row(name, s):
    if not s.get("marker_cntvct"):
        return "| %s | %d | not measured: %s | | | | | |" % (
            s["desc"], s["cpus"], "; ".join(s["errors"]))
    vt = "%.4f s" % (s["instructions"] / 1e9)
    ratio = fmt(s.get("ratio"), 4) if s["kind"] != "native" or \
        name.endswith("qemudtb") else "1"
    tg = v = ""
    if s["kind"] == "aether":
        key = "boot_ratio2" if s["cpus"] == 2 else "boot_ratio"
        tg = "<= %s" % TARGETS[key][1]
        v = verdict(key, s.get("ratio")) or ""
    ex = "none (no hypervisor)" if s["kind"] == "native" else \
        exits_line(s.get("int_exits"), s.get("exits"))
    wall = "1" if s["kind"] == "native" and not name.endswith("qemudtb") else ""
    if s.get("wall_ratio"):
        wall = "%.2f (%.2f..%.2f)" % (s["wall_ratio"], *s["wall_ratio_range"])
    rep = "" if s.get("repeatable", True) else " (varied: %s)" % s["cntvct"]
    return "| %s | %d | %d%s | %s | %s | %s | %s | %s |" % (
        s["desc"], s["cpus"], s["marker_cntvct"], rep, vt, ratio,
        tg, ex + (" " + v if v else ""), wall)


def boot_section(L, res, ma):
    L.append("Debian's arm64 kernel (%s) and the test initramfs, `%s`, %d MiB of guest "
             "RAM everywhere, every run under `-icount`. *Marker* is CNTVCT_EL0 read by "
             "/bin/aether-marker (guest virtual time since the machine, VM or dom0 "
             "started; 16 instructions per tick). Native runs get the same device tree "
             "the Aether VM gets (QEMU `-dtb` with the VM's generated DTB). Exits: "
             "exceptions taken to EL2 from the guest, counted by QEMU `-d int` "
             "(and the hypervisor's own count for Aether). Wall: QEMU start to exit, "
             "median of %d alternating runs (range), as a ratio to native with the "
             "same CPU count." % (res.get("kernel", "?"), MARKER_ARGS, GUEST_MEM,
                                  common.ARGS.runs))
    L.append("")
    L.append("| setup | CPUs | marker (ticks) | virtual time | vs native | target | "
             "exits to EL2 | wall vs native |")
    L.append("| --- | ---: | ---: | ---: | ---: | --- | --- | --- |")
    for name in BOOT_ORDER:
        s = ma["setups"].get(name)
        if s:
            L.append(boot_row(name, s))
    L.append("")
    L.append("The VM's clock starts when the hypervisor has zeroed its RAM and "
             "loaded kernel, initrd and DTB (QEMU does that instantly for a native "
             "boot): that work is in the wall-clock ratio, not in the marker. Xen's "
             "host device tree is QEMU's own cut down to the same devices (CPUs, "
             "memory, GICv3, timer, PL011, PSCI) with /chosen multiboot modules; "
             "dom0 gets 512 MiB.")
    L.append("")
    L.append("Xen: %s. %s" % (ma.get("xen", "not measured"), ma.get("xen_smp2", "")))
    L.append("")


def work_row(name, w):
    if "error" in w:
        return "| %s | not measured: %s | | | | |" % (name, w["error"])
    ex = "none (no hypervisor)" if name.startswith("native") else \
        exits_line(w.get("int_exits"), None)
    if w.get("boot_int_exits"):
        ex += " (%d)" % sum(w["boot_int_exits"].values())
    if not w["raw"].get("seeded"):
        ex += "; CRNG seed not credited"
    return "| %s | %.1f | %s | %.0f | %s | %s |" % (
        name, w["getppid_insns"], fmt(w.get("getppid_ratio"), 3) if
        "getppid_ratio" in w else "1", w["sleep_insns"],
        fmt(w.get("sleep_ratio"), 3) if "sleep_ratio" in w else "1", ex)


def work_section(L, wl):
    L.append("## Syscall and timer workload")
    L.append("")
    if wl.get("error"):
        L.append("not measured: " + wl["error"])
    else:
        L.append("/bin/aether-bench (bench/workload.c) as rdinit, timed with CNTVCT "
                 "in the guest after crediting a fixed CRNG seed (without one every "
                 "system call pays ~9,000 instructions of ChaCha20 for its stack "
                 "offset) and a 2 s settling sleep: 20,000 getppid() calls in "
                 "batches of 1,000 (median batch, per call), then 1,000 "
                 "nanosleep(100 us) timed one by one (median; the kernel's default "
                 "50 us timer slack is part of every sleep). In instructions of "
                 "virtual time.")
        L.append("")
        L.append("| setup | getppid | vs native | nanosleep(100 us) | vs native "
                 "| exits to EL2, whole run (boot to the marker alone) |")
        L.append("| --- | ---: | ---: | ---: | ---: | --- |")
        for name in WORK_ORDER:
            w = wl.get(name)
            if w:
                L.append(work_row(name, w))
    L.append("")


def macro_section(L, res, ma):
    L.append("## Linux boot to the userspace marker")
    L.append("")
    if not ma:
        L.append("not run (--only)")
    elif ma.get("error"):
        L.append("not measured: " + ma["error"])
    else:
        boot_section(L, res, ma)
        work_section(L, ma.get("workload", {}))


# ---------------------------------------------------------------- size
def size_section(L, sz):
    L.append("## Size")
    L.append("")
    if sz.get("error"):
        L.append("not measured: " + sz["error"])
        return
    if not sz:
        return
    L.append("`aarch64-linux-gnu-size -A %s` (the default setup's image):" % sz["elf"])
    L.append("")
    L.append("| section | bytes | KiB | target |")
    L.append("| --- | ---: | ---: | --- |")
    for sec in ("text", "rodata", "data", "bss", "guest"):
        if sec in sz:
            tg = "<= 64 KiB: " + verdict("text", sz["text"]) if sec == "text" else ""
            name = sec if sec != "guest" else "guest (embedded guest images and DTBs)"
            L.append("| .%s | %d | %.1f | %s |" % (name, sz[sec], sz[sec] / 1024, tg))
    L.append("")
    if "image_bytes" in sz:
        L.append("EL2 memory at run time: the image with its BSS, %d KiB (of which %d "
                 "KiB are the embedded guests), plus %d KiB of Stage-2 table pool per "
                 "VM." % (sz["image_bytes"] // 1024, sz.get("guest", 0) // 1024,
                          sz["s2_pool_bytes_per_vm"] // 1024))
    if "runtime_reserved_kib" in sz:
        L.append("Measured from the boot log of %s: RAM minus free minus guest RAM = "
                 "%d KiB reserved by EL2 (image, DTB, Stage-2 pool, EL2 tables)." % (
                     sz["runtime_config"], sz["runtime_reserved_kib"]))
    L.append("")


def report(res):
    L = []
    L.append("# Aether EdgeCloud benchmarks")
    L.append("")
    L.append("%s, `-icount %s` (one instruction = 1 ns of virtual time), host %s. "
             "Generated by `make bench` (bench/run.py) on %s." % (
                 res["qemu"], ICOUNT, res["host"], res["date"]))
    L.append("")
    L.append("**%s**" % ICOUNT_NOTE)
    L.append("")
    micro_section(L, res.get("micro", {}))
    macro_section(L, res, res.get("macro", {}))
    size_section(L, res.get("size", {}))
    mgmt_section(L, res.get("mgmt", {}))
    fleet_section(L, res.get("fleet", {}))
    board_section(L, res)
    L.append("## Targets")
    L.append("")
    for t in res.get("verdicts", []):
        L.append("- " + t)
    L.append("")
    return "\n".join(L)


def judged(key, value, fmt_value):
    """'<value>, target <= T: meets' or '...: misses (floor: why)'."""
    t = TARGETS[key][1]
    if value <= t:
        return "%s, target <= %s: meets" % (fmt_value, t)
    return "%s, target <= %s: misses (%s)" % (fmt_value, t, MISS_WHY.get(key, "see README"))


def verdicts(res):
    out = []
    rows = res.get("micro", {}).get("rows", {})
    for key, label in (("hvc", "null hypercall"), ("mmio_read", "MMIO read"),
                       ("mmio_write", "MMIO write"), ("timer_spin", "timer delivery")):
        r = rows.get(key)
        tkey = "mmio_read" if key == "mmio_write" else key
        if r and "el2" in r:
            out.append("%s: %s" % (label, judged(tkey, r["el2"],
                                                 "%.1f EL2 instructions" % r["el2"])))
        else:
            out.append("%s: not measured" % label)
    for key, label, before in (("sgi_ping", "SGI cross-CPU latency", 2171),
                               ("switch", "vCPU switch latency", 1778)):
        r = rows.get(key)
        if r and "total" in r:
            out.append("%s: %.1f instructions, %.2f x the %d before issue 14 (aim: 0.5; "
                       "report only)" % (label, r["total"], r["total"] / before, before))
    setups = res.get("macro", {}).get("setups", {})
    for name in ("aether-2", "aether-1"):
        s = setups.get(name)
        if s and s.get("ratio"):
            key = "boot_ratio2" if name == "aether-2" else "boot_ratio"
            out.append("Linux boot %s: %s" % (name, judged(key, s["ratio"],
                                                         "%.4f x native" % s["ratio"])))
        if name == "aether-2" and s and s.get("wall_ratio"):
            out.append("Linux boot %s wall clock: %s" % (name, judged(
                "wall_ratio", s["wall_ratio"], "%.2f x native (median)" % s["wall_ratio"])))
    w = res.get("macro", {}).get("workload", {}).get("aether-2")
    for k, label in (("getppid_ratio", "getppid"), ("sleep_ratio", "nanosleep(100 us)")):
        if w and k in w:
            out.append("workload %s aether-2: %s" % (label, judged(
                "work_ratio", w[k], "%.4f x native" % w[k])))
    sz = res.get("size", {})
    if "text" in sz:
        out.append(".text: %.1f KiB, target <= 64 KiB: %s" % (
            sz["text"] / 1024, verdict("text", sz["text"])))
    return out
