"""Boards other than QEMU virt (issue 15), booted as U-Boot would hand the
hypervisor over: the image through -kernel, the board's own DTB (Debian's,
unchanged: tools/boards/objs.mk) through -dtb.

The Xilinx ZCU102 model (xlnx-zcu102,virtualization=on): four Cortex-A53,
a GIC-400, Cadence UARTs at 0xff000000/0xff010000, RAM from 0.  Its DTB's
stdout-path is "serial0:115200n8", an alias with options.

cases(build, build_image, check_run, qemu) returns (name, configs, fn)
tuples; configs are the images to build first; fn() returns
(name, problems, log tail)."""
import os
import re
import subprocess

BOARD = "zcu102"
DTB = "boards/zynqmp-zcu102-rev1.0.dtb"

ZCU102_STAGES = [
    r"aether: Aether EdgeCloud hypervisor, image at 0x200000-",
    r"\[1/6\] reset: entered at EL2 .* DTB at 0x8000000",
    r"console: cadence UART at 0xff000000 \(/axi/serial@ff000000\)",
]
# The GIC-400 with its 64 KiB-aliased CPU interface frames (the 8 KiB
# views start at +0xf000), all four CPUs up.
ZCU102_GIC = (r"4 of 4 CPU\(s\) online; GICv2 dist 0xf9010000 cpu 0xf902f000 hyp 0xf9040000 "
              r"vcpu 0xf906f000 \(4 list registers\)")


def cases(build, build_image, check_run, qemu):
    dtb = os.path.join(build, DTB)

    def missing():
        return None if os.path.exists(dtb) else ["%s missing (make boards)" % dtb]

    def guest(config, patterns, results):
        """A bare-metal guest on the board's virtual GICv2, all boot stages."""
        image, p = build_image(config)
        if p.returncode or missing():
            return (missing() or []) + ([p.stderr[-2000:]] if p.returncode else []), ""
        res = qemu.run(qemu.board_cmd(BOARD, build, image), timeout=60)
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

    def linux():
        """configs/zcu102.cfg (make run BOARD=zcu102): Debian's kernel with 2
        vCPUs on the board's virtual GICv2 to its shell, beside a bare-metal
        guest on CPU 2."""
        name = "board/zcu102 Debian's kernel with 2 vCPUs to userspace beside a bare-metal VM"
        image, p = build_image("zcu102")
        if p.returncode or missing():
            return name, (missing() or []) + ([p.stderr[-2000:]] if p.returncode else []), ""
        script = [(r"AETHER-LINUX-READY nproc=2", "cat /proc/interrupts; echo M$((0+1))-DONE\n"),
                  (r"M1-DONE", "poweroff\n")]
        res = qemu.run(qemu.board_cmd(BOARD, build, image), timeout=240, script=script)
        problems = check_run(res, ZCU102_STAGES + [ZCU102_GIC, r"AETHER-LINUX-READY nproc=2",
                                                   r"\[hello\] GUEST RESULT: \d+ passed, 0 failed",
                                                   r"vm linux: powered off",
                                                   r"vm hello: powered off"], False)
        timer = re.search(r"\n\[linux\] +\d+: +(\d+) +(\d+) GIC-0 +27 Level +arch_timer", res.output)
        if not timer or min(int(timer.group(1)), int(timer.group(2))) == 0:
            problems.append("Linux's GICv2 driver: arch_timer not counting on both CPUs")
        return name, problems, res.tail(30)

    def dcc_refused():
        """Debian's DTB with stdout-path moved to serial2 (/dcc, the Arm
        debug channel, arm,dcc): refused by name, said on serial0."""
        name = "board/zcu102 stdout-path on a UART not driven (serial2 = /dcc) is refused"
        image, p = build_image("t-hello")
        if p.returncode or missing():
            return name, missing() or [p.stderr[-2000:]], ""
        out = os.path.join(build, "tmp", "zcu102-dcc.dtb")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        subprocess.run(["cp", dtb, out], check=True)
        subprocess.run(["fdtput", "-t", "s", out, "/chosen", "stdout-path", "serial2:115200n8"],
                       check=True)
        res = qemu.run(qemu.board_cmd(BOARD, build, image, dtb=out), timeout=60)
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
            ("board/zcu102 stdout-path refusal", ["t-hello"], dcc_refused)] + (
        [("board/zcu102 linux", ["zcu102"], linux)]
        if os.path.exists(os.path.join(build, "linux", "Image")) else [])
