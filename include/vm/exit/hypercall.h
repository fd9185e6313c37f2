#ifndef AETHER_VM_EXIT_HYPERCALL_H
#define AETHER_VM_EXIT_HYPERCALL_H

#include "types.h"

struct vcpu;

/* A decoded SMCCC call: W0 as the function ID and the saved registers the
 * arguments are read from, one by one, by the handler that uses them. */
struct hcall_args {
	u32 fid;
	bool smc64;
	const u64 *x; /* x0..x17 of the caller */
};

/* Argument n (0 = x1), narrowed to 32 bits for the SMC32/HVC32 convention
 * at the read. */
static inline u64 hcall_arg(const struct hcall_args *a, unsigned n)
{
	u64 x = a->x[n + 1];

	return a->smc64 ? x : (u32)x;
}

/* Results go to x0..x3; handlers set nr_ret when they return more than x0. */
struct hcall_ret {
	s64 r[4];
	u32 nr_ret;
};

static inline void hcall_decode(const u64 *x, struct hcall_args *out)
{
	out->fid = (u32)x[0];
	out->smc64 = (out->fid & BIT(30)) != 0; /* SMC64/HVC64 */
	out->x = x;
}
/* Runs the call for vcpu v; the caller writes the results back. */
void hcall_dispatch(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *ret);
/* The call in v's saved x0..x17, results written back to x0..x3. */
void hcall_run(struct vcpu *v);
/* Checks the dispatch table is consistent; called once at boot and by tests. */
bool hcall_table_ok(void);
/* Fills the short path's table of leaf calls from the dispatch table; once
 * at boot, before any guest runs. */
void hcall_fast_build(void);
/* The short path's hypercall (vm/exit/exit_fast.c): a leaf call whose ID is
 * in that table runs, its results go to v's saved x0..x3 and their number
 * is returned; 0 otherwise, with nothing changed. */
u64 hcall_fast(u64 x0, struct vcpu *v);

/* PSCI, in vm/exit/psci.c */
s64 psci_call(struct vcpu *v, const struct hcall_args *a);
bool psci_implements(u32 fid);

#endif
