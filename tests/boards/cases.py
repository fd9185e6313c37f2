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

# Until the hypervisor drives a GICv2 the boot stops at the GIC probe.
ZCU102_STAGES = [
    r"aether: Aether EdgeCloud hypervisor, image at 0x200000-",
    r"\[1/6\] reset: entered at EL2 .* DTB at 0x8000000",
    r"console: cadence UART at 0xff000000 \(/axi/serial@ff000000\)",
]
ZCU102_GIC_REFUSAL = r"FATAL: DTB at 0x8000000 rejected: no arm,gic-v3 interrupt controller"


def cases(build, build_image, check_run, qemu):
    dtb = os.path.join(build, DTB)

    def missing():
        return None if os.path.exists(dtb) else ["%s missing (make boards)" % dtb]

    def stages():
        name = "board/zcu102 boot stages on the Cadence console (Debian's DTB)"
        image, p = build_image("t-hello")
        if p.returncode or missing():
            return name, (missing() or []) + ([p.stderr[-2000:]] if p.returncode else []), ""
        res = qemu.run(qemu.board_cmd(BOARD, build, image), timeout=60)
        problems = []
        for pat in ZCU102_STAGES + [ZCU102_GIC_REFUSAL]:
            if not re.search(pat, res.output):
                problems.append("missing: " + pat)
        if res.timed_out or res.rc != 0:
            problems.append("did not power off through PSCI (rc %s)" % res.rc)
        return name, problems, res.tail()

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

    return [("board/zcu102 boot stages", ["t-hello"], stages),
            ("board/zcu102 stdout-path refusal", ["t-hello"], dcc_refused)]
