#ifndef AETHER_VM_EXIT_HYPERCALL_H
#define AETHER_VM_EXIT_HYPERCALL_H

#include "types.h"

struct vcpu;

/* A decoded SMCCC call: W0 as the function ID, arguments already narrowed
 * to 32 bits for the SMC32/HVC32 convention. */
struct hcall_args {
	u32 fid;
	bool smc64;
	u64 a[7]; /* x1..x7 */
};

/* Results go to x0..x3; handlers set nr_ret when they return more than x0. */
struct hcall_ret {
	s64 r[4];
	u32 nr_ret;
};

void hcall_decode(const u64 *x, struct hcall_args *out);
/* Runs the call for vcpu v; the caller writes the results back. */
void hcall_dispatch(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *ret);
/* Checks the dispatch table is sorted; called once at boot and by tests. */
bool hcall_table_ok(void);

/* PSCI, in vm/exit/psci.c */
s64 psci_call(struct vcpu *v, const struct hcall_args *a);
bool psci_implements(u32 fid);

#endif
