"""Architecture conformance (issue 13): guests must not be able to tell, by
behaviour, that they run under the hypervisor rather than on the CPU.

Each bare-metal guest (tests/guests/tlevel.c, ptimer.c, dbg.c) runs twice
per CPU model: natively on plain QEMU at EL1 (the reference: no
virtualization, QEMU's own PSCI over HVC powers it off), and under the
hypervisor through its tests/configs/t-*.cfg setup.  Both runs must end
with a clean GUEST RESULT, apart from a named check where QEMU 7.2 itself
deviates from the architecture (NATIVE_QEMU_DEVIATIONS: the reference run
expects exactly those to fail, so a fixed QEMU shows up too).  Under the
hypervisor the runner's check_run also checks the boot stages, the image
checksum, free pages and that no FAIL/PANIC line appears.

cases(build, build_image, check_run, qemu) returns (name, config, fn)
tuples; fn() returns (problems, log tail); config is the image to build
first, or None for native runs."""
import os
import re

# Checks QEMU 7.2 gets wrong natively, with the reason.
NATIVE_QEMU_DEVIATIONS = {
    # arm_generate_debug_exceptions() tests OSLSR_EL1 bit 0 (OSLM) instead
    # of bit 1 (OSLK), so breakpoints fire while the OS lock is set.
    "dbg": ["vcpu0-no-breakpoint-while-os-locked", "vcpu1-no-breakpoint-while-os-locked"],
}

NATIVE_MACHINE = "virt,gic-version=3"  # no EL2: the guest starts at EL1

# (guest, config, vCPUs, icount, hypervisor log patterns, clean results)
GUESTS = [
    ("tlevel", "t-tlevel", 1, False,
     [r"tlevel: virtual and physical timer level checks done"], 1),
    # Timing bounds (10 ms after the deadline) in guest time: icount.
    ("ptimer", "t-ptimer", 1, True, [r"ptimer: physical timer checks done"], 1),
    ("ptimer", "t-ptimer-shared", 1, True,
     [r"\[ptimer\] ptimer: physical timer checks done", r"\[victim\] victim: beats=\d+"], 2),
    # 9 breakpoint exceptions: none while the OS lock is set (natively 10).
    ("dbg", "t-dbg", 2, False,
     [r"dbg: 9 breakpoint, 2 watchpoint, 10 step exceptions on vCPU 0; 9, 2, 10 on vCPU 1"],
     1),
    ("dbg", "t-dbg-shared", 2, False,
     [r"dbg: 9 breakpoint, 2 watchpoint, 10 step exceptions on vCPU 0; 9, 2, 10 on vCPU 1",
      r"2 vCPU\(s\) on CPU\(s\) 0 0"], 1),
]


def native_problems(res, guest):
    problems = []
    if res.timed_out:
        problems.append("timed out after %.0f s (hang)" % res.seconds)
    found = re.findall(r"GUEST RESULT: (\d+) passed, (\d+) failed", res.output)
    fails = re.findall(r"^FAIL (\S+?):", res.output, re.M)
    expected = NATIVE_QEMU_DEVIATIONS.get(guest, [])
    if len(found) != 1 or found[0][0] == "0":
        problems.append("guest results: %s" % found)
    elif int(found[0][1]) != len(expected) or sorted(fails) != sorted(expected):
        problems.append("native failures %s, expected only the QEMU deviations %s" %
                        (fails, expected))
    return problems


def cases(build, build_image, check_run, qemu):
    out = []
    for cpu in ("cortex-a57", "max"):
        done_native = set()
        for guest, config, smp, icount, patterns, results in GUESTS:
            if guest not in done_native:
                done_native.add(guest)
                elf = os.path.join(build, "guests", guest + ".elf")

                def native(elf=elf, guest=guest, smp=smp, icount=icount, cpu=cpu):
                    res = qemu.run(qemu.qemu_cmd(elf, cpu=cpu, smp=smp, mem=256,
                                                 machine=NATIVE_MACHINE, icount=icount),
                                   timeout=120)
                    return native_problems(res, guest), res.tail(30)
                out.append(("conform/%s natively on QEMU (reference) on %s" % (guest, cpu),
                            None, native))

            def under(config=config, icount=icount, patterns=patterns, results=results,
                      cpu=cpu):
                image, p = build_image(config)
                if p.returncode:
                    return ["build failed: " + p.stderr[-2000:]], ""
                res = qemu.run(qemu.qemu_cmd(image, cpu=cpu, smp=2, mem=1024, icount=icount),
                               timeout=180)
                return check_run(res, patterns, results), res.tail(30)
            out.append(("conform/%s under the hypervisor on %s" % (config, cpu), config, under))
    return out
