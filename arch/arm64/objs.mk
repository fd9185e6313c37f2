EL2_ASMS += arch/arm64/entry.S arch/arm64/fast_call.S arch/arm64/fpsimd.S arch/arm64/zero.S
EL2_SRCS += arch/arm64/string.c arch/arm64/el2_mmu.c arch/arm64/ec_name.c arch/arm64/percpu.c \
	arch/arm64/firmware.c arch/arm64/idregs.c arch/arm64/inject.c arch/arm64/gic_lr.c arch/arm64/gic_lr_v2.c arch/arm64/pmu.c arch/arm64/debug.c arch/arm64/vcpu_ctx.c arch/arm64/vcpu_regs.c
# debug.c: the lazy debug-state switch runs only for a guest that uses the
# debug registers.
EL2_COLD += arch/arm64/el2_mmu.c arch/arm64/vtcr.c arch/arm64/ec_name.c arch/arm64/debug.c
# Outside LTO: the compiler emits memcpy/memset calls after the link-time
# optimisation, so their definitions must be ordinary code by then.
$(BUILD)/el2/arch/arm64/string.o: EL2_LTO :=
