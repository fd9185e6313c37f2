# Guest exits: the vectors' C side, the trap table and its handlers,
# hypercalls, PSCI, exception injection policy.
EL2_SRCS += vm/exit/exit.c vm/exit/trap.c vm/exit/trap_dabt.c vm/exit/sysreg_trap.c \
	vm/exit/hypercall.c vm/exit/psci.c vm/exit/inject.c vm/exit/exit_fast.c
# PSCI runs at CPU_ON/OFF, suspend and system calls of that kind: not per tick.
EL2_COLD += vm/exit/psci.c
