/* Structure offsets for assembly.  Compiled to assembly only; the build
 * scrapes the @@ASMOFF markers into build/include/asm-offsets.h, so the entry
 * code can never disagree with the C layout. */
#include "arch/percpu.h"
#include "arch/vcpu_ctx.h"

#define DEFINE(sym, val) __asm__ volatile("\n@@ASMOFF " #sym " %0" : : "i"(val))
#define OFFSET(sym, str, mem) DEFINE(sym, __builtin_offsetof(struct str, mem))

void asm_offsets(void);
void asm_offsets(void)
{
	OFFSET(CTX_X0, cpu_ctx, x[0]);
	OFFSET(CTX_X2, cpu_ctx, x[2]);
	OFFSET(CTX_X4, cpu_ctx, x[4]);
	OFFSET(CTX_X6, cpu_ctx, x[6]);
	OFFSET(CTX_X8, cpu_ctx, x[8]);
	OFFSET(CTX_X10, cpu_ctx, x[10]);
	OFFSET(CTX_X12, cpu_ctx, x[12]);
	OFFSET(CTX_X14, cpu_ctx, x[14]);
	OFFSET(CTX_X16, cpu_ctx, x[16]);
	OFFSET(CTX_X18, cpu_ctx, x[18]);
	OFFSET(CTX_X20, cpu_ctx, x[20]);
	OFFSET(CTX_X22, cpu_ctx, x[22]);
	OFFSET(CTX_X24, cpu_ctx, x[24]);
	OFFSET(CTX_X26, cpu_ctx, x[26]);
	OFFSET(CTX_X28, cpu_ctx, x[28]);
	OFFSET(CTX_X30, cpu_ctx, x[30]);
	OFFSET(CTX_PC, cpu_ctx, pc);
	OFFSET(CTX_PSTATE, cpu_ctx, pstate);
	OFFSET(PCPU_CURRENT, percpu, current);
	OFFSET(PCPU_EXIT_WORK_SHORT, percpu, exit_work_short);
	OFFSET(PCPU_SYNC_DONE, percpu, sync_done);
	DEFINE(PCPU_SIZE, sizeof(struct percpu));
	DEFINE(EL2_STACK_SZ, EL2_STACK_SIZE);
}
