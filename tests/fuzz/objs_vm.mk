# libFuzzer harnesses for the guest-facing VM code (see tests/host/objs_vm.mk).
FUZZ_VM_CORE := vm/trap.c vm/trap_dabt.c vm/sysreg_trap.c vm/hypercall.c vm/psci.c \
	vm/mmio.c vm/vdev.c vm/dev/uart.c vm/dev/vpl011.c arch/arm64/inject.c tests/host/fake_el2.c
FUZZERS += mmio hcall loader sysreg
fuzz_mmio_SRCS := tests/fuzz/fuzz_mmio.c $(FUZZ_VM_CORE)
fuzz_hcall_SRCS := tests/fuzz/fuzz_hcall.c $(FUZZ_VM_CORE)
fuzz_sysreg_SRCS := tests/fuzz/fuzz_sysreg.c $(FUZZ_VM_CORE)
fuzz_loader_SRCS := tests/fuzz/fuzz_loader.c vm/loader_plan.c
