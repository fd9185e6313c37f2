#ifndef AETHER_VM_TRAP_H
#define AETHER_VM_TRAP_H

#include "types.h"

struct vcpu;

typedef void (*exit_handler_fn)(struct vcpu *v, u64 esr);

void trap_dispatch(struct vcpu *v, u64 esr);
const char *ec_name(u64 ec);
u64 fault_ipa(u64 hpfar, u64 far);
void skip_instr(struct vcpu *v, u64 esr);

/* Handlers in their own files */
void handle_dabt(struct vcpu *v, u64 esr);   /* vm/trap_dabt.c */
void handle_sysreg(struct vcpu *v, u64 esr); /* vm/sysreg_trap.c */
bool sysreg_table_ok(void);

#endif
