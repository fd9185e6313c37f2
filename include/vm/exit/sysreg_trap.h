#ifndef AETHER_VM_EXIT_SYSREG_TRAP_H
#define AETHER_VM_EXIT_SYSREG_TRAP_H

#include "types.h"

/* Sysreg encoding as a 16-bit key: op0:op1:CRn:CRm:op2 (the MRS/MSR order). */
#define SYSREG_KEY(op0, op1, crn, crm, op2) \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

struct sysreg_access {
	u32 key;
	u8 rt;
	bool read;
};

/* Decodes ESR_EL2.ISS of an EC 0x18 trap. */
void sysreg_decode(u64 esr, struct sysreg_access *out);
/* The value a guest reads from feature ID register (CRm, op2) of the
 * op0=3, op1=0, CRn=0 space, given the hardware value. */
u64 sysreg_sanitize_id(u32 crm, u32 op2, u64 hw);

#endif
