/* Decoding what the CPU reports about a trap (ESR_EL2, FAR_EL2, HPFAR_EL2). */
#ifndef AETHER_ARCH_FAULT_H
#define AETHER_ARCH_FAULT_H

#include "arch/regs.h"
#include "types.h"

/* The faulting IPA of a Stage-2 abort: page from HPFAR_EL2.FIPA, offset in
 * the page from FAR_EL2 (Arm ARM D17.2.46). */
static inline u64 fault_ipa(u64 hpfar, u64 far)
{
	return ((hpfar & HPFAR_FIPA_MASK) << 8) | (far & 0xfff);
}

/* A short name of an exception class (ESR_EL2.EC), for log lines. */
const char *ec_name(u64 ec);

#endif
