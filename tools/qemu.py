"""Starting QEMU for the hypervisor: one place for the machine options, the
timeout and the scripted console used by make run, make test and make bench."""
import os
import re
import select
import signal
import subprocess
import time

MACHINE = "virt,virtualization=on,gic-version=3"
UBOOT = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"

# Boards other than virt: QEMU machine, its fixed CPU model (no -cpu), how
# many CPUs the board has, RAM, the board's own DTB (tools/boards/objs.mk)
# and options the model needs.  The ZCU102 model has a DisplayPort with
# audio (given a silent backend) and four GEMs (left without a network).
BOARDS = {
    "zcu102": {"machine": "xlnx-zcu102,virtualization=on", "smp": 4, "mem": 2048,
               "dtb": "boards/zynqmp-zcu102-rev1.0.dtb",
               "extra": ["-audiodev", "none,id=snd0"]},
}


def board_cmd(board, build, image=None, smp=None, mem=None, icount=False, dtb=None, extra=()):
    """qemu_cmd for a board of BOARDS, booting image with the board's DTB
    (or dtb) as U-Boot would hand it over: -kernel with -dtb."""
    b = BOARDS[board]
    return qemu_cmd(image, cpu=None, smp=smp or b["smp"], mem=mem or b["mem"],
                    machine=b["machine"], dtb=dtb or os.path.join(build, b["dtb"]),
                    icount=icount, extra=list(b["extra"]) + list(extra))


def qemu_cmd(image=None, cpu="cortex-a57", smp=1, mem=256, machine=MACHINE, extra=(),
             bios=None, loader=None, dtb=None, icount=False):
    # QEMU's own console escape moves from Ctrl-A to Ctrl-T so that the
    # hypervisor's Ctrl-A x3 focus switch reaches it (Ctrl-T x quits QEMU).
    cmd = ["qemu-system-aarch64", "-machine", machine] + (["-cpu", cpu] if cpu else []) + \
        ["-smp", str(smp), "-m", str(mem), "-nographic", "-echr", "20", "-nic", "none",
         "-no-reboot"]
    if image:
        cmd += ["-kernel", image]
    if bios:
        cmd += ["-bios", bios]
    if loader:
        cmd += ["-device", "loader,file=%s,addr=0x%x,force-raw=on" % loader]
    if dtb:
        cmd += ["-dtb", dtb]
    if icount:
        cmd += ["-icount", "shift=0,align=off,sleep=off"]
    return cmd + list(extra)


def node_size(config_path, default_cpus=1, default_mem=1024):
    """CPUs and MiB of RAM a VM description's node block asks for."""
    cpus, mem = default_cpus, default_mem
    try:
        text = open(config_path).read()
    except (OSError, TypeError):
        return cpus, mem
    m = re.search(r"node\s*\{([^}]*)\}", text)
    if m:
        c = re.search(r"\bcpus\s*=\s*(\d+)", m.group(1))
        g = re.search(r"\bmemory\s*=\s*(\d+)([KMG])", m.group(1))
        if c:
            cpus = int(c.group(1))
        if g:
            mem = int(g.group(1)) * {"K": 1 / 1024, "M": 1, "G": 1024}[g.group(2)]
    return cpus, int(mem)


# node { platform = ... } -> the QEMU machine that has that GIC.
PLATFORM_MACHINES = {
    "virt": MACHINE,
    "virt-gicv2": "virt,virtualization=on,gic-version=2",
    "zcu102": "xlnx-zcu102,virtualization=on",
}


def node_platform(config_path):
    """A VM description's node platform ("virt" when it names none)."""
    try:
        text = re.sub(r"#.*", "", open(config_path).read())
    except (OSError, TypeError):
        return "virt"
    m = re.search(r"node\s*\{([^}]*)\}", text)
    p = m and re.search(r"\bplatform\s*=\s*([\w-]+)", m.group(1))
    return p.group(1) if p else "virt"


def node_machine(config_path):
    """The QEMU machine for a VM description's node platform (default virt)."""
    return PLATFORM_MACHINES.get(node_platform(config_path), MACHINE)


VIRTIO_TOP = 0x0A003E00  # QEMU virt's highest virtio-mmio transport
VIRTIO_STRIDE = 0x200


def virtio_nets(config_path):
    """The virtio transports a VM description passes through, as
    [(base, is_management_vm)], and an error string or None.  QEMU puts the
    first -device virtio-*-device on the highest transport, the next one
    below it, so the bases must be contiguous from VIRTIO_TOP down."""
    try:
        text = open(config_path).read()
    except (OSError, TypeError):
        return [], None
    found = []
    for m in re.finditer(r"vm\s+[\w-]+\s*\{([^}]*)\}", text):
        body = re.sub(r"#.*", "", m.group(1))
        mgmt = re.search(r"\bmanagement\s*=\s*yes\b", body) is not None
        for v in re.finditer(r"\bvirtio\s*=\s*(0x[0-9a-fA-F]+|\d+)", body):
            found.append((int(v.group(1), 0), mgmt))
    found.sort(reverse=True)
    for i, (base, _) in enumerate(found):
        if base != VIRTIO_TOP - i * VIRTIO_STRIDE:
            return [], ("virtio transport 0x%x: QEMU's NICs fill the transports from 0x%x down, "
                        "so the descriptions' bases must be contiguous from there" % (base, VIRTIO_TOP))
    return found, None


def virtio_net_args(config_path, mgmt_port=8080):
    """QEMU options for the description's virtio NICs: user networking, and
    on the management VM's NIC a forward from host 127.0.0.1:mgmt_port to
    its port 8080 (nothing listens on any other host address)."""
    nets, err = virtio_nets(config_path)
    args = []
    for i, (_, mgmt) in enumerate(nets):
        fwd = ",hostfwd=tcp:127.0.0.1:%d-:8080" % mgmt_port if mgmt else ""
        args += ["-device", "virtio-net-device,netdev=n%d" % i,
                 "-netdev", "user,id=n%d%s" % (i, fwd)]
    return args, err, any(m for _, m in nets)


class Result:
    def __init__(self, output, rc, timed_out, seconds):
        self.output, self.rc, self.timed_out, self.seconds = output, rc, timed_out, seconds

    def tail(self, n=25):
        return "\n".join(self.output.splitlines()[-n:])


def run(cmd, timeout, script=(), stop_on=None):
    """Runs cmd with a pseudo console on stdin/stdout.  script is a list of
    (regex, text): when regex first appears in the output, text is typed.
    stop_on: a regex after which QEMU is stopped (for runs that end by
    halting rather than powering off).  Never waits longer than timeout."""
    start = time.monotonic()
    # Its own process group, so a timeout also stops what it started (make
    # run -> tools/run.py -> QEMU), not only the first process.
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    out = b""
    pending = list(script)
    timed_out = False
    fd = proc.stdout.fileno()
    while True:
        left = timeout - (time.monotonic() - start)
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([fd], [], [], min(left, 0.5))
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            out += chunk
        text = out.decode("utf-8", "replace")
        while pending and re.search(pending[0][0], text):
            proc.stdin.write(pending.pop(0)[1].encode())
            proc.stdin.flush()
        if stop_on and re.search(stop_on, text):
            break
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    rc = proc.wait()
    return Result(out.decode("utf-8", "replace").replace("\r", ""), rc, timed_out,
                  time.monotonic() - start)


def interrupt_counts(text, name):
    """Per-CPU counts (first two CPUs) of the /proc/interrupts line naming
    name, one pair per dump a Linux guest printed (tests/run.py, tests/boards)."""
    rows = []
    for line in text.splitlines():
        if name in line and ":" in line:
            cols = line.split(":", 1)[1].split()
            if len(cols) >= 2 and cols[0].isdigit() and cols[1].isdigit():
                rows.append((int(cols[0]), int(cols[1])))
    return rows
