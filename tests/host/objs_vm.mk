# Host tests of the guest-facing VM code (vm/, arch/arm64/inject.c) over the
# fakes in tests/host/fake_el2.c, and of drivers/print.c.
VMTEST_CORE := vm/trap.c vm/trap_dabt.c vm/sysreg_trap.c vm/hypercall.c vm/psci.c \
	vm/mmio.c vm/vdev.c vm/dev/uart.c vm/dev/vpl011.c arch/arm64/inject.c tests/host/fake_el2.c
HOST_TESTS += mmio hcall sysreg loader vpl011 print trap vdev
test_mmio_SRCS := tests/host/test_mmio.c $(VMTEST_CORE)
test_hcall_SRCS := tests/host/test_hcall.c $(VMTEST_CORE)
test_sysreg_SRCS := tests/host/test_sysreg.c $(VMTEST_CORE)
test_trap_SRCS := tests/host/test_trap.c $(VMTEST_CORE)
test_vpl011_SRCS := tests/host/test_vpl011.c $(VMTEST_CORE)
test_vdev_SRCS := tests/host/test_vdev.c $(VMTEST_CORE)
test_loader_SRCS := tests/host/test_loader.c vm/loader_plan.c
# drivers/print.c defines vsnprintf/snprintf, which would clash with libc and
# the sanitizers' interceptors: renamed for this one test.
test_print_SRCS := tests/host/test_print.c drivers/print.c
test_print_CFLAGS := -Dvsnprintf=aether_vsnprintf -Dsnprintf=aether_snprintf
