"""Hostile-guest suite (issue 5): small EL1 attacker guests, each beside a
victim VM with a heartbeat (tests/guests/atk_victim.c).  The runner
(tests/run.py) calls cases(check_run) and boots each config under QEMU.

Every case checks, through the runner's check_run: all boot stages, the
hypervisor's power-off summary, the image checksum unchanged (text and
read-only data), free pages unchanged, no FAIL/PANIC line and one clean
GUEST RESULT per VM; plus the hypervisor log lines naming what the attacker
did, and the victim's heartbeat (beats and longest gap, in guest time)."""
import re

# The victim beats every 10 ms for 3 s of guest time.  All cases run under
# icount (guest time = instructions), so the gaps do not depend on host load.
# Victim alone on its CPU: the gap is the beat period plus the exit path
# (measured 10.008 ms with an idle or a storming attacker on the other CPU).
GAP_ALONE_US = 10500
# Victim sharing its CPU with the attacker: 10 ms slices, so one beat may
# wait for the attacker's whole slice.
GAP_SHARED_US = 21000


def victim_problems(out, bound_us, victims=1):
    problems = []
    found = re.findall(r"\[victim\d*\] victim: beats=(\d+) max_gap_us=(\d+)", out)
    if len(found) != victims:
        problems.append("victim reports: %s (want %d)" % (found, victims))
    for beats, gap in found:
        if int(gap) > bound_us:
            problems.append("victim heartbeat gap %s us over %d us" % (gap, bound_us))
    return problems


def case(name, config, patterns, bound_us=GAP_ALONE_US, results=2, extra=None):
    def check(res, _check_run):
        problems = _check_run(res, patterns, results) + victim_problems(res.output, bound_us)
        if extra:
            problems += extra(res.output)
        return problems
    return name, config, check


def cases(check_run):
    table = [
        case("unmapped-ipa: loads, stores, fetches in holes, top of and beyond the IPA space",
             "h-abort",
             [r"vm attacker: vcpu 0: data abort at IPA 0x0 \(VA 0x0, read\).*no memory or device"
              r" at this address; injecting abort",
              r"vm attacker: vcpu 0: data abort at IPA 0x4 \(VA 0x4, write\)",
              r"vm attacker: vcpu 0: instruction abort at IPA 0x41000000",
              r"vm attacker: vcpu 0: instruction abort at IPA 0x10000000 \(VA 0x90000000\)",
              r"vm attacker: vcpu 0: instruction abort at IPA 0xffffffff000 \(VA 0xfffff000\)",
              r"attacker: contained after \d+ exceptions",
              r"vm attacker: powered off", r"vm victim: powered off"]),
        case("mmio-abuse: no syndrome (pair, writeback, SIMD, DC ZVA), wrong width, misaligned",
             "h-mmio",
             [r"vm attacker: vcpu 0: data abort at IPA 0x9000038 \(VA 0x9000038, read\).*"
              r"unsupported width; injecting abort",
              r"data abort at IPA 0x900003a .*misaligned; injecting abort",
              r"data abort at IPA 0x8000402 .*misaligned; injecting abort",
              r"data abort at IPA 0x8000400 .*unsupported width; injecting abort",
              r"data abort at IPA 0x9000038 .*access without a valid syndrome; injecting abort",
              r"attacker: \d+ MMIO attacks contained",
              r"vm attacker: powered off", r"vm victim: powered off"]),
    ]
    out = []
    for name, config, check in table:
        out.append((name, config, (lambda c: lambda res: c(res, check_run))(check), True))
    return out
