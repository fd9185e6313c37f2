"""The benchmark suite behind `make bench` (issue 6), run as bench/run.py.

Every figure is counted, not timed: QEMU runs with
-icount shift=0,align=off,sleep=off, where one guest instruction is one
nanosecond of virtual time and PMCCNTR_EL0 advances one per instruction.
Wall-clock figures are given as ratios only.

  common.py   settings, bounded QEMU runs, make, formatting
  micro.py    1. micro-benchmarks: tests/guests/bench.c in
                 tests/configs/b-micro.cfg (2 vCPUs on 2 CPUs) and b-switch.cfg,
                 10,000 iterations each; 3. the EL2 image's size
  guest.py    the Linux guest: Debian's kernel, the test initramfs plus
              bench/workload.c, the native command, exit counts
  xen.py      the peer: Xen 4.17 (Debian's xen-hypervisor-4.17-arm64,
              private apt state) and its QEMU command
  dtb.py      Xen's host device tree
  macro.py    2. Linux to the userspace marker natively, under this
              hypervisor and under Xen; the syscall and timer workload;
              wall clock over 5 alternating runs
  board.py    4. the ZCU102 model with Debian's DTB (issue 15): micro rows and
              the Linux boot ratio against Debian's kernel natively there
  report.py   results.md and the verdicts against the targets
  profile.py  --profile NAME: one micro-benchmark's exits by EL2 function
"""
