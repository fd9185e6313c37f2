/* Synchronous exceptions injected into a guest's EL1 (arch/arm64/inject.c). */
#ifndef AETHER_ARCH_INJECT_H
#define AETHER_ARCH_INJECT_H

#include "arch/vcpu_ctx.h"
#include "types.h"

enum inject_result {
	INJECT_DONE = 0,
	/* Not injected: the fault is inside the exception vector it would go
	 * to, so the guest would loop there forever.  The caller decides. */
	INJECT_IN_VECTOR,
};

u64 inject_vector_offset(u64 pstate);
/* Each redirects the context to its EL1 vector with ESR/FAR set as
 * hardware would have reported the fault (the faulting instruction is not
 * retired), unless the result is INJECT_IN_VECTOR, which changes nothing. */
enum inject_result arch_inject_undef(struct cpu_ctx *c);
enum inject_result arch_inject_dabt(struct cpu_ctx *c, u64 va, bool write);
enum inject_result arch_inject_iabt(struct cpu_ctx *c, u64 va);

#endif
