# libFuzzer harnesses for the guest-facing VM code (HOST_VM_SRCS in
# tests/host/objs_srcs.mk).
FUZZERS += mmio hcall loader sysreg
fuzz_mmio_SRCS = tests/fuzz/fuzz_mmio.c $(HOST_VM_SRCS)
fuzz_hcall_SRCS = tests/fuzz/fuzz_hcall.c $(HOST_VM_SRCS)
fuzz_sysreg_SRCS = tests/fuzz/fuzz_sysreg.c $(HOST_VM_SRCS)
fuzz_loader_SRCS := tests/fuzz/fuzz_loader.c vm/loader_plan.c
