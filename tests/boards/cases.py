"""Boards other than QEMU virt (issue 15), booted as U-Boot would hand the
hypervisor over: the image through -kernel, the board's own DTB (Debian's,
unchanged: tools/boards/objs.mk) through -dtb.

The Xilinx ZCU102 model (xlnx-zcu102,virtualization=on): four Cortex-A53,
a GIC-400, Cadence UARTs at 0xff000000/0xff010000, RAM from 0.  Its DTB's
stdout-path is "serial0:115200n8", an alias with options.  The setups
(node { platform = zcu102 }) give the guests a virtual GICv2.

cases(build, build_image, check_run, qemu) returns (name, configs, fn)
tuples; configs are the images to build first; fn() returns
(name, problems, log tail)."""
import importlib.util
import os
import re
import subprocess

BOARD = "zcu102"
DTB = "boards/zynqmp-zcu102-rev1.0.dtb"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

ZCU102_STAGES = [
    r"aether: Aether EdgeCloud hypervisor, image at 0x200000-",
    r"\[1/6\] reset: entered at EL2 .* DTB at 0x8000000",
    r"console: cadence UART at 0xff000000 \(/axi/serial@ff000000\)",
    r"\[5/6\] ready: RAM 2048 MiB in 1 range\(s\)",
]
# The GIC-400 with its 64 KiB-aliased CPU interface frames (the 8 KiB
# views start at +0xf000), all four CPUs up.
ZCU102_GIC = (r"4 of 4 CPU\(s\) online; GICv2 dist 0xf9010000 cpu 0xf902f000 hyp 0xf9040000 "
              r"vcpu 0xf906f000 \(4 list registers\)")


def hostile_check(config, check_run):
    """The check tests/hostile/cases.py has for config."""
    spec = importlib.util.spec_from_file_location(
        "hostile_cases_board", os.path.join(ROOT, "tests", "hostile", "cases.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for _, cfg, check, *_ in mod.cases(check_run):
        if cfg == config:
            return check
    return None


def cases(build, build_image, check_run, qemu):
    dtb = os.path.join(build, DTB)

    def boot(config, timeout, script=(), icount=False, dtb_path=None):
        """(QEMU result, problems): config's image on the board."""
        image, p = build_image(config)
        if p.returncode:
            return None, ["build failed: " + p.stderr[-2000:]]
        if not os.path.exists(dtb):
            return None, ["%s missing (make boards)" % dtb]
        res = qemu.run(qemu.board_cmd(BOARD, build, image, icount=icount, dtb=dtb_path),
                       timeout=timeout, script=script)
        return res, []

    def guest(config, patterns, results, timeout=60):
        """A bare-metal setup on the board's virtual GICv2, all boot stages."""
        res, problems = boot(config, timeout)
        if res is None:
            return problems, ""
        problems = check_run(res, ZCU102_STAGES + [ZCU102_GIC] + patterns, results)
        if res.timed_out or res.rc != 0:
            problems.append("did not power off through PSCI (rc %s)" % res.rc)
        return problems, res.tail()

    def stages():
        name = "board/zcu102 boot stages on the Cadence console (Debian's DTB), hello on a vGICv2"
        return (name,) + guest("t-hello-zcu102", [r"PASS dtb-gic-v2"], 1)

    def vgic():
        name = "board/zcu102 vgic: SGIs with sources, banked ITARGETSR, timer, CPU_ON (GIC-400)"
        return (name,) + guest("t-vgic-zcu102", [r"PASS sgi-from-vcpu1-source",
                                                 r"PASS gicd-itargetsr0-vcpu1",
                                                 r"PASS vtimer-irq-again"], 1)

    def two():
        name = "board/zcu102 two VMs side by side on CPUs 0 and 1-2, consoles prefixed"
        return (name,) + guest("z-two", [
            r"\n\[left\] Hello from a guest at EL1", r"\n\[right\] PASS ",
            r"vm left: VMID \d+, .* on CPU\(s\) 0,", r"vm right: VMID \d+, .* on CPU\(s\) 1 2,",
            r"vm left: powered off", r"vm right: powered off"], 2)

    def identity():
        """A 256 MiB identity-layout VM (IPA = PA) does not fit below the
        DTB at 0x0800_0000: its RAM must be kept out of the guest's
        emulated-device window (up to 0x4000_0000), or its UART is RAM."""
        name = "board/zcu102 identity-layout VM: its RAM kept out of the guest's device window"
        res, problems = boot("z-identity", 90)
        if res is None:
            return name, problems, ""
        problems = check_run(res, ZCU102_STAGES + [r"PASS dtb-memory-base-is-where-we-run",
                                                   r"PASS dtb-pl011"], True)
        m = re.search(r"vm hello: VMID \d+, 256 MiB RAM at PA (0x[0-9a-f]+) -> IPA \1,",
                      res.output)
        if not m or 0x08000000 - 256 * 2**20 < int(m.group(1), 16) < 0x40000000:
            problems.append("identity RAM not clear of 0x0800_0000..0x4000_0000: %s" %
                            (m.group(1) if m else "no RAM line"))
        return name, problems, res.tail()

    def hostile():
        name = "board/zcu102 hostile guest on the vGICv2 beside a victim (tests/hostile vgic-v2)"
        check = hostile_check("h-gic-gicv2", check_run)
        if not check:
            return name, ["tests/hostile/cases.py has no h-gic-gicv2 case"], ""
        res, problems = boot("z-h-gic", 180, icount=True)
        if res is None:
            return name, problems, ""
        problems = check(res) + ["missing: " + p for p in ZCU102_STAGES + [ZCU102_GIC]
                                 if not re.search(p, res.output)]
        return name, problems, res.tail(30)

    def linux():
        """configs/zcu102.cfg (make run BOARD=zcu102): Debian's kernel with 2
        vCPUs on the board's virtual GICv2 to its shell, beside a bare-metal
        guest on CPU 2; timer and rescheduling IPIs count on both vCPUs."""
        name = "board/zcu102 Debian's kernel with 2 vCPUs to userspace beside a bare-metal VM"
        script = [(r"AETHER-LINUX-READY nproc=2", "cat /proc/interrupts; echo M$((0+1))-DONE\n"),
                  (r"M1-DONE", "sleep 1; cat /proc/interrupts; echo M$((1+1))-DONE\n"),
                  (r"M2-DONE", "poweroff\n")]
        res, problems = boot("zcu102", 240, script=script)
        if res is None:
            return name, problems, ""
        problems = check_run(res, ZCU102_STAGES + [ZCU102_GIC, r"AETHER-LINUX-READY nproc=2",
                                                   r"\[hello\] GUEST RESULT: \d+ passed, 0 failed",
                                                   r"vm linux: powered off",
                                                   r"vm hello: powered off"], False)
        timer = re.search(r"\n\[linux\] +\d+: +(\d+) +(\d+) GIC-0 +27 Level +arch_timer", res.output)
        if not timer or min(int(timer.group(1)), int(timer.group(2))) == 0:
            problems.append("Linux's GICv2 driver: arch_timer not counting on both CPUs")
        ticks = qemu.interrupt_counts(res.output, "arch_timer")
        if len(ticks) < 2 or sum(ticks[-1]) <= sum(ticks[0]):
            problems.append("timer interrupts stopped between the two dumps: %s" % ticks)
        ipi = qemu.interrupt_counts(res.output, "Rescheduling interrupts")
        if not ipi or min(ipi[-1]) == 0:
            problems.append("no rescheduling IPIs on both CPUs: %s" % ipi)
        return name, problems, res.tail(30)

    def dcc_refused():
        """Debian's DTB with stdout-path moved to serial2 (/dcc, the Arm
        debug channel, arm,dcc): refused by name, said on serial0."""
        name = "board/zcu102 stdout-path on a UART not driven (serial2 = /dcc) is refused"
        out = os.path.join(build, "tmp", "zcu102-dcc.dtb")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        if os.path.exists(dtb):
            subprocess.run(["cp", dtb, out], check=True)
            subprocess.run(["fdtput", "-t", "s", out, "/chosen", "stdout-path",
                            "serial2:115200n8"], check=True)
        res, problems = boot("t-hello-zcu102", 60, dtb_path=out)
        if res is None:
            return name, problems, ""
        want = (r'rejected: stdout UART /dcc \(compatible "arm,dcc"\) is not a UART this '
                r"hypervisor drives")
        problems = [] if re.search(want, res.output) else ["no refusal naming /dcc"]
        if re.search(r"\[1/6\]", res.output):
            problems.append("booted although stdout-path's UART is not driven")
        if res.timed_out:
            problems.append("did not power off")
        return name, problems, res.tail()

    return [("board/zcu102 boot stages", ["t-hello-zcu102"], stages),
            ("board/zcu102 vgic", ["t-vgic-zcu102"], vgic),
            ("board/zcu102 two VMs", ["z-two"], two),
            ("board/zcu102 identity-layout VM", ["z-identity"], identity),
            ("board/zcu102 hostile", ["z-h-gic"], hostile),
            ("board/zcu102 stdout-path refusal", ["t-hello-zcu102"], dcc_refused)] + (
        [("board/zcu102 linux", ["zcu102"], linux)]
        if os.path.exists(os.path.join(build, "linux", "Image")) else [])
