"""`make run` through its documented command-line interface (issue 9).

Each case runs `make run VAR=...` itself, exactly as a user types it, with
the console on a pipe and a timeout; a hang fails with the log tail.  They
run one at a time after the parallel QEMU tests: each invokes make in the
shared build directory.  cases(mark) returns (name, argv, timeout, script,
stop_on, check) tuples; check(output) returns a list of problems."""
import os
import re

HOSTILE_ARGS = 'console=ttyAMA0 quiet aether.probe="x y" k=v#1'


def _linux_checks(out):
    problems = []
    want = [r"AETHER-LINUX-READY nproc=2",
            r"vm guest: VMID \d+, 512 MiB RAM .* 2 vCPU\(s\) on CPU\(s\) 0 1,",
            r"CPUS-ONLINE=0-1\b",
            r"CMDLINE=<%s>" % re.escape(HOSTILE_ARGS),
            r"vm guest: powered off"]
    for pat in want:
        if not re.search(pat, out):
            problems.append("missing: " + pat)
    return problems


def _empty_checks(out):
    problems = []
    if not re.search(r"\[guest\] CMDLINE=\[\] bytes=1\b", out):
        problems.append("the guest did not report an empty command line")
    if not re.search(r"GUEST RESULT: \d+ passed, 0 failed", out):
        problems.append("guest checks failed")
    return problems


def _default_names(root):
    text = open(os.path.join(root, "configs", "central.cfg")).read()
    return re.findall(r"^\s*vm\s+([a-z0-9_-]+)\s*\{", text, re.M)


def cases(root, build, mark):
    linux = os.path.join(build, "linux")
    # A path with a space, '#' and a quote in it, to the same initramfs.
    odd = os.path.join(build, "tmp", "make run", "initrd #1 'x'.gz")
    os.makedirs(os.path.dirname(odd), exist_ok=True)
    if os.path.lexists(odd):
        os.unlink(odd)
    os.symlink(os.path.abspath(os.path.join(linux, "initrd.gz")), odd)
    script = [(r"AETHER-LINUX-READY nproc=2",
               "echo CPUS-ONLINE=$(cat /sys/devices/system/cpu/online); " + mark(1)),
              (r"M1-DONE", "echo \"CMDLINE=<$(cat /proc/cmdline)>\"; " + mark(2)),
              (r"M2-DONE", "poweroff\n")]
    out = []
    if os.path.exists(os.path.join(linux, "Image")):
        out.append(("makerun/KERNEL+INITRD+BOOTARGS+SMP=2: Debian's kernel to a shell, "
                    "both CPUs online, exact /proc/cmdline, vCPUs on CPUs 0 and 1",
                    ["make", "--no-print-directory", "run", "BUILD=" + build,
                     "KERNEL=" + os.path.join(linux, "Image"), "INITRD=" + odd,
                     "BOOTARGS=" + HOSTILE_ARGS, "SMP=2", "MEM=512"],
                    300, script, None, _linux_checks))
    out.append(("makerun/BOOTARGS= (empty) reaches the guest as an empty command line",
                ["make", "--no-print-directory", "run", "BUILD=" + build,
                 "KERNEL=" + os.path.join(build, "guests", "cmdline.bin"), "BOOTARGS="],
                120, [], None, _empty_checks))
    names = _default_names(root)

    def default_checks(o):
        problems = []
        for n in names:
            if not re.search(r"aether: vm %s: VMID" % re.escape(n), o):
                problems.append("vm %s of configs/central.cfg not created" % n)
        if re.search(r"aether: vm guest: VMID", o):
            problems.append("booted the previous one-off image")
        return problems
    # Runs right after the one-off runs above: must boot the central node.
    out.append(("makerun/plain make run after a one-off run boots configs/central.cfg",
                ["make", "--no-print-directory", "run", "BUILD=" + build],
                300, [], r"\[6/6\]", default_checks))
    return out
