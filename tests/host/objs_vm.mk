# Host tests of the guest-facing VM code (HOST_VM_SRCS in objs_srcs.mk) over
# the fakes in tests/host/fake_el2.c, and of lib/print.c.
HOST_TESTS += mmio hcall sysreg loader vpl011 print trap vdev console_rx
test_mmio_SRCS = tests/host/test_mmio.c $(HOST_VM_SRCS)
test_hcall_SRCS = tests/host/test_hcall.c $(HOST_VM_SRCS)
test_sysreg_SRCS = tests/host/test_sysreg.c $(HOST_VM_SRCS)
test_trap_SRCS = tests/host/test_trap.c $(HOST_VM_SRCS)
test_vpl011_SRCS = tests/host/test_vpl011.c $(HOST_VM_SRCS)
test_vdev_SRCS = tests/host/test_vdev.c $(HOST_VM_SRCS)
test_console_rx_SRCS = tests/host/test_console_rx.c vm/dev/console.c $(HOST_VM_SRCS)
test_loader_SRCS := tests/host/test_loader.c vm/loader_plan.c
# lib/print.c defines vsnprintf/snprintf, which would clash with libc and
# the sanitizers' interceptors: renamed for this one test.
test_print_SRCS := tests/host/test_print.c lib/print.c
test_print_CFLAGS := -Dvsnprintf=aether_vsnprintf -Dsnprintf=aether_snprintf
