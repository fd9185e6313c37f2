#!/usr/bin/env python3
"""The test runner behind `make test`.

Runs host unit tests (ASan+UBSan), fuzz regression inputs and a short fuzz
run, bad VM descriptions against the build tool, and QEMU boots of the
hypervisor with small EL1 test guests on two CPU models.  Every QEMU run is
bounded; a hang is a failure that prints the log tail.  Ends with one line
"N passed, N failed" and exits non-zero if anything failed."""
import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--only", default="", help="regex: run matching tests only")
ap.add_argument("-j", type=int, default=2)
args = ap.parse_args()
BUILD = args.build
results = []


def report(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name, flush=True)
    if not ok and detail:
        print("  | " + detail.rstrip().replace("\n", "\n  | "), flush=True)


def wanted(name):
    return re.search(args.only, name) is not None


# ---------------------------------------------------------------- host
def host_tests():
    for exe in sorted(glob.glob(os.path.join(BUILD, "host", "test_*"))):
        base = os.path.basename(exe)
        if not wanted("host/" + base):
            continue
        p = subprocess.run([exe], capture_output=True, text=True, timeout=300)
        lines = [l for l in p.stdout.splitlines() if l.startswith(("ok ", "FAIL "))]
        for l in lines:
            verdict, name = l.split(" ", 1)
            report("host/%s/%s" % (base[5:], name), verdict == "ok",
                   p.stderr[-3000:] if verdict != "ok" else "")
        if p.returncode != 0 and all(l.startswith("ok ") for l in lines):
            report("host/%s (exit status %d)" % (base, p.returncode), False,
                   (p.stdout + p.stderr)[-3000:])
        if not lines:
            report("host/%s ran no test" % base, False, p.stderr[-2000:])


# ---------------------------------------------------------------- layers
def layer_tests():
    """tools/check_layers.py on the EL2 tree (its objects in BUILD/el2), and
    on a small tree with one upward include and one include cycle, which it
    must refuse by name."""
    script = os.path.join(ROOT, "tools", "check_layers.py")
    if wanted("layers/el2"):
        p = subprocess.run([sys.executable, script, "--build", BUILD],
                           capture_output=True, text=True, timeout=120)
        print("  | " + p.stdout.rstrip().replace("\n", "\n  | "), flush=True)
        report("layers/el2: one-way layers, no include cycle, no call circle",
               p.returncode == 0 and "no call circle" in p.stdout, p.stdout + p.stderr)
    if wanted("layers/self-test"):
        import tempfile
        with tempfile.TemporaryDirectory() as t:
            files = {"arch/arm64/objs.mk": "EL2_SRCS += arch/arm64/a.c\n",
                     "arch/arm64/a.c": '#include "vm/b.h"\n',
                     "include/vm/b.h": '#include "vm/c.h"\n',
                     "include/vm/c.h": '#include "vm/b.h"\n'}
            for name, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(t, name)), exist_ok=True)
                with open(os.path.join(t, name), "w") as f:
                    f.write(text)
            p = subprocess.run([sys.executable, script, "--root", t, "--no-calls"],
                               capture_output=True, text=True, timeout=60)
        ok = (p.returncode == 1 and
              "upward include: arch/arm64/a.c (arch) includes include/vm/b.h (vm)" in p.stdout and
              "include cycle: include/vm/b.h -> include/vm/c.h" in p.stdout)
        report("layers/self-test: an upward include and an include cycle are refused", ok,
               p.stdout + p.stderr)


# ---------------------------------------------------------------- bench report
def bench_report_tests():
    """make bench's verdicts on made-up results: every target judged,
    meets and misses both possible (the figures themselves are make
    bench's; nothing here is timed)."""
    if not wanted("bench/report"):
        return
    sys.path.insert(0, ROOT)
    try:
        from bench import common, report as rep
        keys = ("hvc", "mmio_read", "mmio_write", "timer_spin")
        lines = {}
        for scale in (0.5, 2.0):
            t = lambda k: common.TARGETS[k][1] * scale
            res = {"micro": {"rows": dict((k, {"el2": t("mmio_read" if k == "mmio_write"
                                                          else k)}) for k in keys)},
                   "macro": {"setups": {"aether-2": {"ratio": t("boot_ratio2"),
                                                     "wall_ratio": t("wall_ratio")},
                                        "aether-1": {"ratio": t("boot_ratio")}},
                             "workload": {"aether-2": {"getppid_ratio": t("work_ratio"),
                                                       "sleep_ratio": t("work_ratio")}}},
                   "size": {"text": t("text")}}
            lines[scale] = rep.verdicts(res)
        ok = all(len(v) == 10 for v in lines.values()) and \
            all(l.endswith("meets") for l in lines[0.5]) and \
            all(": misses" in l for l in lines[2.0])
        detail = "\n".join(lines[0.5] + lines[2.0])
    except Exception as e:  # a broken table is what this is for
        ok, detail = False, "%s: %s" % (type(e).__name__, e)
    report("bench/report: every make bench target is judged, meets and misses both", ok,
           detail)


def fuzz_tests():
    for exe in sorted(glob.glob(os.path.abspath(os.path.join(BUILD, "fuzz", "fuzz_*")))):
        name = os.path.basename(exe)[5:]
        if not wanted("fuzz/" + name):
            continue
        inputs = sorted(glob.glob(os.path.join(ROOT, "tests/fuzz/regress", name, "*")) +
                        glob.glob(os.path.join(ROOT, "tests/fuzz/corpus", name, "*")))
        if inputs:
            p = subprocess.run([exe] + inputs, capture_output=True, text=True, timeout=300)
            report("fuzz/%s replay of %d saved inputs" % (name, len(inputs)),
                   p.returncode == 0, p.stderr[-3000:])
        with tempfile.TemporaryDirectory() as work:
            seeds = os.path.join(ROOT, "tests/fuzz/corpus", name)
            p = subprocess.run([exe, "-runs=5000", "-max_total_time=20", "-seed=1", work] +
                               ([seeds] if os.path.isdir(seeds) else []),
                               capture_output=True, text=True, timeout=300, cwd=work)
            report("fuzz/%s short run (5000 executions)" % name, p.returncode == 0,
                   p.stderr[-3000:])


def badcfg_tests():
    tool = os.path.join(BUILD, "tools", "vmconfig")
    for cfg in sorted(glob.glob(os.path.join(ROOT, "tests/badcfg/*.cfg"))):
        name = "badcfg/" + os.path.basename(cfg)
        if not wanted(name):
            continue
        first = open(cfg).readline()
        m = re.match(r"#\s*expect:\s*(.*\S)", first)
        if not m:
            report(name, False, "first line must be '# expect: <message>'")
            continue
        with tempfile.TemporaryDirectory() as out:
            outdir = os.path.join(out, "o")
            rel = os.path.relpath(cfg, ROOT)
            p = subprocess.run([tool, rel, outdir], capture_output=True, text=True, cwd=ROOT)
            wrote = os.path.exists(outdir) and os.listdir(outdir)
            ok = p.returncode != 0 and m.group(1) in p.stderr and rel in p.stderr and not wrote
            report(name, ok, "exit %d, wrote %s, stderr: %s (wanted: %s)" %
                   (p.returncode, wrote, p.stderr.strip(), m.group(1)))


def fdtget(dtb, node, prop, kind="bx"):
    p = subprocess.run(["fdtget", "-t", kind, dtb, node, prop], capture_output=True, text=True)
    return p.stdout.split() if p.returncode == 0 else None


def vmconfig_dtb_tests():
    """The device trees vmconfig emits for a slot and a management VM, read
    back with fdtget: the slot's properties have the sizes EL2 patches in
    place at deploy; only the management VM has the mailbox node."""
    if not wanted("vmconfig/dtb"):
        return
    tool = os.path.join(BUILD, "tools", "vmconfig")
    with tempfile.TemporaryDirectory() as out:
        p = subprocess.run([tool, "tests/vmconfig/mgmt-slot.cfg", out], capture_output=True,
                           text=True, cwd=ROOT)
        if p.returncode:
            report("vmconfig/dtb compiles tests/vmconfig/mgmt-slot.cfg", False, p.stderr)
            return
        dtb = {n: os.path.join(out, "vm-%s.dtb" % n) for n in ("mgmt", "spare", "guest")}
        args = fdtget(dtb["spare"], "/chosen", "bootargs") or []
        want = list(b"console=ttyAMA0 rdinit=/init") + [0] * (512 - 28)
        report("vmconfig/dtb-slot bootargs is the string padded with NULs to 512 bytes",
               [int(b, 16) for b in args] == want, "got %d bytes: %s" % (len(args), args[:40]))
        for prop in ("linux,initrd-start", "linux,initrd-end"):
            v = fdtget(dtb["spare"], "/chosen", prop)
            report("vmconfig/dtb-slot %s is 8 bytes" % prop, v == ["0"] * 8, str(v))
        v = fdtget(dtb["spare"], "/memory@40000000", "reg", "x")
        report("vmconfig/dtb-slot memory reg is 256M at 0x40000000",
               v == ["0", "40000000", "0", "10000000"], str(v))
        v = fdtget(dtb["mgmt"], "/aether-mgmt@b000000", "reg", "x")
        c = fdtget(dtb["mgmt"], "/aether-mgmt@b000000", "compatible", "s")
        report("vmconfig/dtb-mgmt has aether-mgmt@b000000 with the ABI's doorbell and window",
               v == ["0", "b000000", "0", "1000", "0", "b100000", "0", "40000"] and
               c == ["aether,mgmt-1"], "reg %s compatible %s" % (v, c))
        args = fdtget(dtb["mgmt"], "/chosen", "bootargs") or []
        report("vmconfig/dtb-mgmt bootargs not padded", len(args) == 16, str(args))
        for n in ("spare", "guest"):
            nodes = subprocess.run(["fdtget", "-l", dtb[n], "/"], capture_output=True,
                                   text=True).stdout.split()
            report("vmconfig/dtb-%s has no management node" % n,
                   "pl011@9000000" in nodes and not any("mgmt" in x for x in nodes), str(nodes))
        src = open(os.path.join(out, "vms.c")).read()
        asm = open(os.path.join(out, "vms.S")).read()
        slot = src.split('.name = "spare"')[1].split("\n\t},")[0]
        report("vmconfig/dtb-slot vms.c has .slot = true and no image blob",
               ".slot = true" in slot and ".image = { 0, 0 }" in slot and
               "vm1_image" not in src + asm and src.count(".slot = false") == 2, slot)


# ---------------------------------------------------------------- QEMU
def config_machine(config):
    """The QEMU machine a config's node platform asks for."""
    for d in ("tests/configs", "configs"):
        path = os.path.join(ROOT, d, config + ".cfg")
        if os.path.exists(path):
            return qemu.node_machine(path)
    return qemu.MACHINE


def build_image(config):
    p = subprocess.run(["make", "-s", "--no-print-directory", "image", "CONFIG=" + config,
                        "BUILD=" + BUILD], capture_output=True, text=True, cwd=ROOT)
    return os.path.join(BUILD, "img", config, "aether.bin"), p


# Each case: config, hypervisor log patterns that must appear, whether the
# guest reports "GUEST RESULT: n passed, 0 failed".
GUEST_CASES = [
    ("t-hello", [r"loaded raw binary", r"Hello from a guest at EL1"], True),
    ("t-hello-elf", [r"loaded ELF64"], True),
    ("t-hello-img", [r"loaded arm64 Image"], True),
    ("t-identity", [r"RAM at PA (0x[0-9a-f]+) -> IPA \1,", r"PASS dtb-memory-base-is-where-we-run"],
     True),
    ("t-hypercall", [r"exits: hvc \d+ smc \d+"], True),
    ("t-mmio", [r"unsupported width; injecting abort", r"misaligned; injecting abort",
                r"access without a valid syndrome; injecting abort"], True),
    ("t-abort", [r"vm abort: vcpu 0: data abort at IPA 0x10000000 .*injecting abort",
                 r"vm abort: vcpu 0: instruction abort at IPA 0x10000000",
                 r"still alive after 13 injected aborts"], True),
    ("t-wfi", [r"wfi ok"], True),
    ("t-poweroff", [r"reset requested; restarting from its image", r"run 2",
                    r"vm poweroff: all vCPUs off, restarts 1"], False),
    ("t-vgic", [r"2 of 2 CPU\(s\) online"], True),
    ("t-tfast", [r"vm tfast: powered off"], True),
    # Three VMs time-sliced on CPU 0, one alone on CPU 1; under icount so
    # guest time (the heartbeat bound) does not depend on host load.
    ("t-share", [r"vm share-a: powered off", r"vm alone: powered off"], 4),
    # A VM that crashes in a loop is restarted 50 times with back-off, its
    # memory zeroed each time, leaking nothing; its neighbour keeps beating.
    ("t-restart", [r"crash loop: 10 ms back-off", r"inside its own exception vector",
                   r"restarted \(restart 50\)", r"vm crashy: powered off, restarts 50",
                   r"vm bystander: powered off, restarts 0"], 2),
    # Reads and writes at every foreign physical MiB abort.
    ("t-isolation", [r"probed 1008 addresses, 1008 aborted"], 2),
    # QEMU's first virtio-mmio transport passed through: real device
    # registers without exits; the next page is not the VM's.
    ("t-passthrough", [r"data abort at IPA 0xa001000"], 1),
    # The management device driven by a bare-metal management VM: node
    # info, list, console in and out, stop/start/kill/restart of a
    # neighbour, refusals, and a deploy into the slot that then boots.
    ("t-mgmt", [r"vm mgmt: management device: doorbell at IPA 0xb000000",
                r"PASS console-input-echoed", r"PASS stats-grow", r"PASS restart-counted",
                r"PASS self-stop-refused", r"PASS nothing-changed", r"PASS deploy-wrong-digest",
                r"\[slot\] CMDLINE=\[deployed by mgmt_e2e x=1\] bytes=512",
                r"PASS slot-ran-again", r"PASS slot-quick-restarts", r"PASS deploy-loader-refuses",
                r"mgmt: end-to-end done", r"vm mgmt: powered off"], 11),
]
# The same guests on a GICv2 host (QEMU virt, gic-version=2, PL011): the
# bare-metal guests see a virtual GICv2 (tests/guests/lib/glib.c tells).
GUEST_CASES_V2 = [
    ("t-hello-gicv2", [r"GICv2 dist 0x8000000 cpu 0x8010000 hyp 0x8030000 vcpu 0x8040000",
                       r"Hello from a guest at EL1", r"PASS dtb-gic-v2"], True),
    ("t-hypercall-gicv2", [r"exits: hvc \d+ smc \d+"], True),
    ("t-vgic-gicv2", [r"2 of 2 CPU\(s\) online", r"PASS sgi-from-vcpu1-source",
                      r"PASS gicd-itargetsr0-vcpu1", r"PASS vtimer-irq-again"], True),
]
ICOUNT_CASES = {"t-share", "t-restart", "t-isolation"}
BOOT_STAGES = [r"\[1/6\] reset", r"\[2/6\] early init", r"\[3/6\] vectors",
               r"\[4/6\] stage-2", r"\[5/6\] ready", r"\[6/6\] launching"]


def free_pages_constant(output):
    counts = set(re.findall(r"hypervisor free pages (\d+)", output))
    return [] if len(counts) <= 1 else ["free page count changed across restarts: %s" % counts]


def image_unchanged(output):
    sums = re.findall(r"image checksum (0x[0-9a-f]+)", output)
    if len(sums) == 2 and sums[0] != sums[1]:
        return ["hypervisor image changed: %s -> %s" % tuple(sums)]
    return []


def check_run(res, patterns, guest_result):
    problems = free_pages_constant(res.output) + image_unchanged(res.output)
    if res.timed_out:
        problems.append("timed out after %.0f s (hang)" % res.seconds)
    elif res.rc != 0:
        problems.append("QEMU exit status %d" % res.rc)
    for pat in BOOT_STAGES + [r"no VM left running", r"powering off",
                              r"image checksum (0x[0-9a-f]+)(.|\n)*image checksum \1"] + patterns:
        if not re.search(pat, res.output):
            problems.append("missing: " + pat)
    if guest_result:
        found = re.findall(r"GUEST RESULT: (\d+) passed, (\d+) failed", res.output)
        good = [f for f in found if f[1] == "0" and f[0] != "0"]
        if len(good) != int(guest_result) or len(found) != len(good):
            problems.append("guest results: %s (want %d clean)" % (found, int(guest_result)))
    for l in res.output.splitlines():
        if re.search(r"\bFAIL\b|PANIC", l):
            problems.append(l)
    return problems


def guest_case(case, cpu):
    config, patterns, guest_result = case
    image, p = build_image(config)
    if p.returncode:
        return "guest/%s on %s" % (config, cpu), ["build failed: " + p.stderr[-2000:]], ""
    icount = config in ICOUNT_CASES
    res = qemu.run(qemu.qemu_cmd(image, cpu=cpu, smp=2, mem=1024, icount=icount,
                                 machine=config_machine(config)), timeout=120)
    return "guest/%s on %s" % (config, cpu), check_run(res, patterns, guest_result), res.tail()


def uboot_case():
    """Boot as a board would: U-Boot's booti from an address that is not the
    link address, so the image relocates itself."""
    image, p = build_image("t-hello")
    if p.returncode:
        return "boot/u-boot booti", ["build failed"], p.stderr
    load = 0x44000000
    script = [(r"Hit any key to stop autoboot", "\n"),
              (r"=> ", "booti 0x%x - ${fdtcontroladdr}\n" % load)]
    res = qemu.run(qemu.qemu_cmd(None, bios=qemu.UBOOT, loader=(image, load), mem=512),
                   timeout=90, script=script)
    problems = check_run(res, [r"image at 0x44000000", r"Hello from a guest"], True)
    return "boot/u-boot booti at 0x%x (self-relocation)" % load, problems, res.tail()


def console_case():
    """Input focus: Ctrl-A x3 cycles VM 'first' -> 'second' -> hypervisor ->
    'first'; each VM echoes only the lines typed while it had focus."""
    image, p = build_image("t-console")
    a = "\x01\x01\x01"
    script = [(r"echo vm 1 ready", "to-first\n"), (r"vm0 got: to-first", a),
              (r"input to vm second", a), (r"input to the hypervisor", "l"),
              (r"vm 1 second: running", a),
              (r"vm 1 second: running(.|\n)*input to vm first", a),
              (r"input to vm first(.|\n)*input to vm second", "to-second\nquit\n"),
              # Switch only once 'second' has printed its result and ended:
              # a hypervisor message ends a VM's unfinished line.
              (r"vm second: powered off", a + a),
              (r"vm second: powered off(.|\n)*input to vm first", "again\nquit\n")]
    res = qemu.run(qemu.qemu_cmd(image, smp=2, mem=512), timeout=60, script=script)
    problems = check_run(res, [r"vm0 got: to-first", r"vm1 got: to-second", r"vm0 got: again",
                               r"vm 0 first: running"], 2)
    for bad in (r"vm1 got: to-first", r"vm0 got: to-second"):
        if re.search(bad, res.output):
            problems.append("input reached the wrong VM: " + bad)
    return "console/Ctrl-A x3 moves input focus between VMs and the hypervisor", problems, res.tail()


def not_el2_case():
    image, _ = build_image("t-hello")
    machine = "virt,gic-version=3"  # no virtualization: the CPU starts at EL1
    res = qemu.run(qemu.qemu_cmd(image, machine=machine), timeout=30,
                   stop_on=r"not entered at EL2.*CurrentEL=1")
    ok = re.search(r"FATAL: not entered at EL2; refusing to continue. CurrentEL=1", res.output)
    return "boot/refuses to run at EL1", [] if ok else ["no refusal message"], res.tail()


def virt_dts():
    """QEMU virt's own DTB as source, to be edited into bad ones."""
    tmp = os.path.join(BUILD, "tmp")
    os.makedirs(tmp, exist_ok=True)
    dtb = os.path.join(tmp, "virt.dtb")
    subprocess.run(qemu.qemu_cmd(machine=qemu.MACHINE + ",dumpdtb=" + dtb), capture_output=True)
    return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", dtb], capture_output=True,
                          text=True).stdout


def write_dtb(name, src):
    dts = os.path.join(BUILD, "tmp", name + ".dts")
    open(dts, "w").write(src)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dts + ".dtb", dts], check=True)
    return dts + ".dtb"


def no_uart_dtb_case():
    """A DTB that names no UART: there is nowhere the DTB says output may
    go, so nothing is written to any UART (QEMU's PL011 is still at
    0x09000000 and would show it) and the machine powers off."""
    src = re.sub(r"\n\tpl011@9000000 \{.*?\n\t\};", "", virt_dts(), flags=re.S)
    src = re.sub(r'\n\t\tstdout-path = [^;]*;', "", src)
    dtb = write_dtb("no-uart", src)
    image, _ = build_image("t-hello")
    res = qemu.run(qemu.qemu_cmd(image, dtb=dtb), timeout=30)
    problems = []
    if res.timed_out or res.rc != 0:
        problems.append("did not power off (rc %s, timed out %s)" % (res.rc, res.timed_out))
    if "aether" in res.output or "Hello" in res.output:
        problems.append("wrote to a UART the DTB does not name")
    return "boot/a DTB without a UART: powered off, nothing written to any UART", problems, \
        res.tail()


def bad_dtb_case():
    """A DTB whose stdout-path names a UART no driver takes is refused,
    naming the node, on a UART the DTB lists that we do drive."""
    src = virt_dts().replace(
        "\tpl011@9000000 {",
        '\tserial@9100000 {\n\t\tcompatible = "acme,uart-9000";\n'
        "\t\treg = <0x00 0x9100000 0x00 0x1000>;\n\t};\n\n\tpl011@9000000 {", 1)
    src = re.sub(r'stdout-path = [^;]*;', 'stdout-path = "/serial@9100000:115200n8";', src)
    dtb = write_dtb("acme-uart", src)
    image, _ = build_image("t-hello")
    res = qemu.run(qemu.qemu_cmd(image, dtb=dtb), timeout=30)
    want = (r"FATAL: DTB at 0x[0-9a-f]+ rejected: stdout UART /serial@9100000 "
            r'\(compatible "acme,uart-9000"\) is not a UART this hypervisor drives')
    problems = [] if re.search(want, res.output) else ["no rejection message"]
    if res.timed_out:
        problems.append("did not power off after refusing")
    if re.search(r"\[1/6\]|Hello", res.output):
        problems.append("booted on another UART than stdout-path's")
    return "boot/rejects a DTB whose stdout UART it does not drive", problems, res.tail()


MACHINE_V2 = "virt,virtualization=on,gic-version=2"


def gic_mismatch_case(config, machine, want):
    """An image built for one GIC refuses, by name, a machine with the other."""
    image, p = build_image(config)
    if p.returncode:
        return "boot/%s on %s" % (config, machine), ["build failed: " + p.stderr[-2000:]], ""
    res = qemu.run(qemu.qemu_cmd(image, machine=machine, smp=2), timeout=30)
    problems = [] if re.search(want, res.output) else ["no refusal: " + want]
    if res.timed_out:
        problems.append("did not power off after refusing")
    if re.search(r"\[5/6\] ready", res.output):
        problems.append("went on booting")
    return "boot/refuses %s on %s" % (config, machine.split(",")[-1]), problems, res.tail()


def unknown_gic_case():
    """A DTB whose interrupt controller we do not drive is refused naming the node."""
    src = virt_dts().replace('compatible = "arm,gic-v3";', 'compatible = "arm,gic-v1-example";')
    dtb = write_dtb("unknown-gic", src)
    image, _ = build_image("t-hello")
    res = qemu.run(qemu.qemu_cmd(image, dtb=dtb), timeout=30)
    ok = re.search(r"FATAL: DTB at 0x[0-9a-f]+ rejected: interrupt controller /intc@8000000 "
                   r"\(compatible \"arm,gic-v1-example\"\) is not one we drive", res.output)
    problems = [] if ok else ["no rejection message"]
    if res.timed_out:
        problems.append("did not power off after refusing")
    return "boot/rejects a DTB whose interrupt controller is not a GICv2/v3", problems, res.tail()


# ---------------------------------------------------------------- Linux
# Commands are typed into the guest's shell; each ends by printing a marker
# computed by the shell ($((n+1))), so the terminal's echo of the command
# line cannot satisfy the wait.
def mark(n):
    return "echo M$((%d+1))-DONE\n" % (n - 1)


LINUX_SCRIPT = [
    (r"AETHER-LINUX-READY nproc=2", "nproc; " + mark(1)),
    (r"M1-DONE", "cat /proc/interrupts; " + mark(2)),
    (r"M2-DONE", "aether-cntvct; sleep 2; aether-cntvct; " + mark(3)),
    (r"M3-DONE", "n=$(grep pl011 /proc/interrupts | cut -d: -f1 | tr -d ' '); "
                 "echo 2 > /proc/irq/$n/smp_affinity; " + mark(4)),
    (r"M4-DONE", "echo typed-$((6*7)); " + mark(5)),
    (r"M5-DONE", "cat /proc/interrupts; dmesg; " + mark(6)),
    # Debug through ptrace (tools/linux/dbgtest.c, issue 13).
    (r"M6-DONE", "aether-dbgtest; " + mark(7)),
    (r"M7-DONE", "poweroff\n"),
]


def check_linux(res):
    out = res.output
    problems = check_run(res, [r"AETHER-LINUX-READY nproc=2", r"\[linux\] 2\n", r"typed-42",
                               r"vm linux: powered off",
                               r"aether-dbgtest: steps=11 breakpoint-hits=5 watchpoint-hits=3 "
                               r"cpus=2 OK"], False)
    ticks = [(int(a), int(b)) for a, b in re.findall(r"cntvct=(\d+) cntfrq=(\d+)", out)]
    if len(ticks) >= 2:
        secs = (ticks[1][0] - ticks[0][0]) / ticks[0][1]
        if not 1.9 <= secs <= 2.5:
            problems.append("sleep 2 took %.3f s of guest counter time" % secs)
    else:
        problems.append("no aether-cntvct readings")
    timer = qemu.interrupt_counts(out, "arch_timer")
    if not timer or min(timer[-1]) == 0:
        problems.append("timer interrupts not counting on both CPUs: %s" % timer)
    uart = qemu.interrupt_counts(out, "pl011")
    if len(uart) < 2 or uart[-1][0] == 0 or uart[-1][1] <= uart[0][1]:
        problems.append("UART interrupts not counting on both CPUs: %s" % uart)
    for line in out.splitlines():
        if re.search(r"(?i)gic|arch_timer|psci", line) and re.search(r"(?i)warn|error|fail", line):
            problems.append("dmesg: " + line.strip())
    return problems


def linux_case(cpu):
    image, p = build_image("linux")
    if p.returncode:
        return "linux/boot 2 vCPUs on %s" % cpu, ["build failed: " + p.stderr[-2000:]], ""
    res = qemu.run(qemu.qemu_cmd(image, cpu=cpu, smp=2, mem=1024), timeout=240,
                   script=LINUX_SCRIPT)
    return "linux/boot 2 vCPUs to a shell on %s" % cpu, check_linux(res), res.tail(40)


HEARTBEAT_BOUND_US = 100000


def demo_case():
    """configs/demo.cfg: two Linux guests and a heartbeat, 4 vCPUs on 2
    CPUs.  Both workloads finish and power off; the heartbeat (on a CPU it
    shares with Linux) never stops longer than HEARTBEAT_BOUND_US of guest
    time.  Under icount so the bound measures the hypervisor, not the host."""
    image, p = build_image("demo")
    if p.returncode:
        return "demo/two Linux guests and a heartbeat", ["build failed: " + p.stderr[-2000:]], ""
    res = qemu.run(qemu.qemu_cmd(image, smp=2, mem=1024, icount=True), timeout=600,
                   stop_on=r"WORKLOAD DONE(.|\n)*WORKLOAD DONE(.|\n)*heartbeat t=")
    out, problems = res.output, []
    if res.timed_out:
        problems.append("timed out after %.0f s" % res.seconds)
    for pat in (r"\[linux-a\] WORKLOAD DONE", r"\[linux-b\] WORKLOAD DONE",
                r"vm linux-a: powered off", r"vm linux-b: powered off"):
        if not re.search(pat, out):
            problems.append("missing: " + pat)
    gaps = [int(g) for g in re.findall(r"max_gap_us=(\d+)", out)]
    if not gaps or gaps[-1] > HEARTBEAT_BOUND_US:
        problems.append("heartbeat gap %s us over %d" % (gaps[-1:] or "none", HEARTBEAT_BOUND_US))
    problems += [l for l in out.splitlines() if re.search(r"\bFAIL\b|PANIC", l)]
    return "demo/two Linux guests and a heartbeat on 2 CPUs (4 vCPUs)", problems, res.tail(20)


LINUX_V2_SCRIPT = [
    (r"AETHER-LINUX-READY nproc=2", "cat /proc/interrupts; " + mark(1)),
    (r"M1-DONE", "sleep 1; cat /proc/interrupts; dmesg | grep -i -e gic -e timer; " + mark(2)),
    (r"M2-DONE", "poweroff\n"),
]


def linux_v2_case():
    """Debian's kernel with 2 vCPUs on a GICv2 host: its GICv2 driver on the
    virtual GICv2 (GICD emulated, GICC = the host's GICV), both CPUs online,
    timer and IPIs counting on both."""
    image, p = build_image("linux-gicv2")
    if p.returncode:
        return "linux/gicv2 2 vCPUs", ["build failed: " + p.stderr[-2000:]], ""
    res = qemu.run(qemu.qemu_cmd(image, smp=2, mem=1024, machine=MACHINE_V2), timeout=240,
                   script=LINUX_V2_SCRIPT)
    out = res.output
    problems = check_run(res, [r"AETHER-LINUX-READY nproc=2", r"GICv2 dist 0x8000000",
                               # Linux's GICv2 driver names its chip GIC-0 (GICv3: GICv3)
                               r"\n\[linux\] +\d+: +\d+ +\d+ GIC-0 +27 Level +arch_timer",
                               r"vm linux: powered off"], False)
    timer = qemu.interrupt_counts(out, "arch_timer")
    if len(timer) < 2 or min(timer[-1]) == 0 or sum(timer[-1]) <= sum(timer[0]):
        problems.append("timer interrupts not counting on both CPUs: %s" % timer)
    ipi = qemu.interrupt_counts(out, "Rescheduling interrupts")
    if not ipi or min(ipi[-1]) == 0:
        problems.append("no rescheduling IPIs on both CPUs: %s" % ipi)
    for line in out.splitlines():
        if re.search(r"(?i)gic|arch_timer", line) and re.search(r"(?i)warn|error|fail", line):
            problems.append("dmesg: " + line.strip())
    return "linux/gicv2 2 vCPUs to a shell on virt,gic-version=2", problems, res.tail(40)


def linux_reboot_case():
    image, p = build_image("linux")
    script = [(r"AETHER-LINUX-READY", "reboot\n"),
              (r"reset requested(.|\n)*AETHER-LINUX-READY", "poweroff\n")]
    res = qemu.run(qemu.qemu_cmd(image, smp=2, mem=1024), timeout=300, script=script)
    problems = check_run(res, [r"reset requested; restarting from its image",
                               r"vm linux: powered off, restarts 1"], False)
    if len(re.findall(r"AETHER-LINUX-READY", res.output)) != 2:
        problems.append("did not reach the shell twice")
    return "linux/reboot restarts the VM", problems, res.tail(30)


def hostile_cases():
    """Attacker scenarios from tests/hostile/cases.py (issue 5): a list of
    (name, config, check(res) -> problems, icount) tuples."""
    path = os.path.join(ROOT, "tests", "hostile", "cases.py")
    if not os.path.exists(path):
        return []
    import importlib.util
    spec = importlib.util.spec_from_file_location("hostile_cases", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.cases(check_run)


def hostile_case(name, config, check, icount):
    image, p = build_image(config)
    if p.returncode:
        return "hostile/" + name, ["build failed: " + p.stderr[-2000:]], ""
    res = qemu.run(qemu.qemu_cmd(image, smp=2, mem=1024, icount=icount,
                                 machine=config_machine(config)), timeout=180)
    return "hostile/" + name, check(res), res.tail(30)


def board_cases():
    """Boards other than virt (tests/boards/cases.py, issue 15): a list of
    (name, configs, fn) where fn() returns (name, problems, tail)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "board_cases", os.path.join(ROOT, "tests", "boards", "cases.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.cases(BUILD, build_image, check_run, qemu)


def conform_cases():
    """Architecture conformance (tests/conform/cases.py, issue 13)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "conform_cases", os.path.join(ROOT, "tests", "conform", "cases.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return [(n, c, (lambda n, f: lambda: (n,) + tuple(f()))(n, f))
            for n, c, f in mod.cases(BUILD, build_image, check_run, qemu)]


def qemu_tests():
    jobs = []
    hostile = hostile_cases()
    conform = [c for c in conform_cases() if wanted(c[0])]
    jobs += [(fn, ()) for _, _, fn in conform]
    boards = [c for c in board_cases() if wanted(c[0])]
    jobs += [(fn, ()) for _, _, fn in boards]
    for name, config, check, icount in hostile:
        if wanted("hostile/" + name):
            jobs.append((hostile_case, (name, config, check, icount)))
    for cpu in ("cortex-a57", "max"):
        for case in GUEST_CASES:
            if wanted("guest/%s on %s" % (case[0], cpu)):
                jobs.append((guest_case, (case, cpu)))
    for case in GUEST_CASES_V2:
        if wanted("guest/%s on cortex-a57" % case[0]):
            jobs.append((guest_case, (case, "cortex-a57")))
    for fn, name in ((uboot_case, "boot/u-boot"), (not_el2_case, "boot/refuses"),
                     (bad_dtb_case, "boot/rejects"), (no_uart_dtb_case, "boot/a DTB without"),
                     (console_case, "console/"),
                     (unknown_gic_case, "boot/rejects a DTB whose interrupt")):
        if wanted(name):
            jobs.append((fn, ()))
    for config, machine, want in (
            ("t-hello", MACHINE_V2, r"FATAL: this image was built for platform virt \(GICv3 "
             r"guests\) but the machine has a GICv2 at 0x8000000; rebuild with node \{ "
             r"platform = virt-gicv2 or zcu102 \}"),
            ("t-hello-gicv2", qemu.MACHINE, r"FATAL: this image was built for platform "
             r"virt-gicv2 \(GICv2 guests\) but the machine has a GICv3 at 0x8000000; rebuild "
             r"with node \{ platform = virt \}")):
        if wanted("boot/refuses %s on %s" % (config, machine.split(",")[-1])):
            jobs.append((gic_mismatch_case, (config, machine, want)))
    if os.path.exists(os.path.join(BUILD, "linux", "Image")):
        for cpu in ("cortex-a57", "max"):
            if wanted("linux/boot 2 vCPUs on " + cpu):
                jobs.append((linux_case, (cpu,)))
        if wanted("linux/reboot"):
            jobs.append((linux_reboot_case, ()))
        if wanted("linux/gicv2"):
            jobs.append((linux_v2_case, ()))
        if wanted("demo/"):
            jobs.append((demo_case, ()))
    elif wanted("linux/"):
        report("linux/kernel and initramfs present", False, "build/linux/Image missing")
    # Build every image first (make is not safe to run twice in parallel).
    configs = {c[0] for c in GUEST_CASES + GUEST_CASES_V2} | {"t-console"} | {h[1] for h in hostile}
    configs |= {c[1] for c in conform if c[1]}
    configs |= {cfg for c in boards for cfg in c[1]}
    if os.path.exists(os.path.join(BUILD, "linux", "Image")):
        configs |= {"linux", "demo", "linux-gicv2"}
    for cfg in sorted(configs):
        build_image(cfg)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as pool:
        futures = [pool.submit(fn, *a) for fn, a in jobs]
        for f in futures:
            name, problems, tail = f.result()
            report(name, not problems, "\n".join(problems) + "\n--- log tail ---\n" + tail)


def makerun_tests():
    """`make run` driven through its command line (tests/makerun/cases.py),
    one at a time: each runs make in this build directory."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "makerun_cases", os.path.join(ROOT, "tests", "makerun", "cases.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for name, argv, timeout, script, stop_on, check in mod.cases(ROOT, BUILD, mark):
        if not wanted(name):
            continue
        res = qemu.run(argv, timeout=timeout, script=script, stop_on=stop_on)
        problems = check(res.output)
        if res.timed_out:
            problems.append("timed out after %.0f s" % res.seconds)
        report(name, not problems, "\n".join(problems) + "\n--- log tail ---\n" + res.tail(30))


def mgmt_tests():
    """The control plane's API, load and browser tests (mgmt/tests/)."""
    path = os.path.join(ROOT, "mgmt", "tests", "run_mgmt.py")
    if os.path.exists(path):
        import importlib.util
        spec = importlib.util.spec_from_file_location("run_mgmt", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mod.run(BUILD, wanted, report)


def fabric_tests():
    """The fabric's host tests and the small fleet simulation (tests/fabric/)."""
    path = os.path.join(ROOT, "tests", "fabric", "run_fabric.py")
    if os.path.exists(path):
        import importlib.util
        spec = importlib.util.spec_from_file_location("run_fabric", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mod.run(BUILD, wanted, report)


def main():
    host_tests()
    layer_tests()
    bench_report_tests()
    fuzz_tests()
    badcfg_tests()
    vmconfig_dtb_tests()
    mgmt_tests()
    fabric_tests()
    qemu_tests()
    makerun_tests()
    passed = sum(1 for r in results if r)
    failed = len(results) - passed
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not results else 0


if __name__ == "__main__":  # tools/linux/hangloop.py imports LINUX_SCRIPT
    sys.exit(main())
