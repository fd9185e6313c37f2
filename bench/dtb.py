"""Xen's host device tree: QEMU's own DTB (dumpdtb) cut down to the devices
the Aether VM has (no PCIe, virtio-mmio, flash, RTC, GPIO, fw-cfg, ITS,
random seeds), plus /chosen multiboot module nodes for dom0's kernel and
initrd."""
import os
import re
import subprocess

from bench import common
from bench.common import HOST_MEM, qemu
from bench.xen import XEN_KERNEL_ADDR

XEN_KEEP = ("psci", "memory@", "cpus", "timer", "intc@", "apb-pclk", "pl011@", "chosen")


def qemu_dts(smp):
    """QEMU virt's own device tree for smp CPUs, as source."""
    raw = os.path.join(common.OUT, "xen", "virt-%d.dtb" % smp)
    if not os.path.exists(raw):
        subprocess.run(qemu.qemu_cmd(None, smp=smp, mem=HOST_MEM,
                                     machine=qemu.MACHINE + ",dumpdtb=" + raw),
                       capture_output=True, timeout=60)
    return subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", raw], capture_output=True,
                          text=True, check=True).stdout


def keep_nodes(dts):
    """Drops every top-level node not named in XEN_KEEP, the seeds and the ITS."""
    keep, depth, skip = [], 0, False
    for line in dts.split("\n"):
        m = re.match(r"^\t([^\t].*?) \{$", line)
        if depth == 1 and m:
            label = m.group(1).split(":")[-1].strip()
            skip = not label.startswith(XEN_KEEP)
        if depth < 1 or not skip:
            keep.append(line)
        depth += line.count("{") - line.count("}")
        if depth == 1 and skip and line.strip() == "};":
            skip = False
    dts = "\n".join(keep)
    dts = re.sub(r"\n\t\t(rng-seed|kaslr-seed) = [^;]*;", "", dts)
    return re.sub(r"\n\t\tits@[0-9a-f]+ \{.*?\n\t\t\};", "", dts, flags=re.S)


def chosen_node(xen_args, dom0_args, ksize, raddr, rsize):
    return ('\tchosen {\n\t\tstdout-path = "/pl011@9000000";\n'
            '\t\t#address-cells = <0x02>;\n\t\t#size-cells = <0x02>;\n'
            '\t\txen,xen-bootargs = "%s";\n'
            '\t\tmodule@%x {\n\t\t\tcompatible = "multiboot,kernel", "multiboot,module";\n'
            '\t\t\treg = <0x00 0x%x 0x00 0x%x>;\n\t\t\tbootargs = "%s";\n\t\t};\n'
            '\t\tmodule@%x {\n\t\t\tcompatible = "multiboot,ramdisk", "multiboot,module";\n'
            '\t\t\treg = <0x00 0x%x 0x00 0x%x>;\n\t\t};\n\t};\n') % (
                xen_args, XEN_KERNEL_ADDR, XEN_KERNEL_ADDR, ksize, dom0_args,
                raddr, raddr, rsize)


def xen_dtb(name, smp, kernel, initrd, xen_args, dom0_args):
    """Writes xen/<name>.dtb; returns its path and the initrd's address."""
    dts = keep_nodes(qemu_dts(smp))
    ksize, rsize = os.path.getsize(kernel), os.path.getsize(initrd)
    raddr = (XEN_KERNEL_ADDR + ksize + 0x3fffff) & ~0x1fffff
    chosen = chosen_node(xen_args, dom0_args, ksize, raddr, rsize)
    dts = re.sub(r"\tchosen \{.*?\n\t\};\n", lambda _: chosen, dts, flags=re.S)
    xdir = os.path.join(common.OUT, "xen")
    src = os.path.join(xdir, name + ".dts")
    out = os.path.join(xdir, name + ".dtb")
    with open(src, "w") as f:
        f.write(dts)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, src], check=True)
    return out, raddr
