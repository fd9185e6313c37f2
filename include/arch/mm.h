/* The small arch interface the arch-neutral memory code (mm/) calls.
 *
 * arch/arm64/mm.c implements it with real barriers and TLB maintenance;
 * tests/host/fake_arch.c implements it for host unit tests and records each
 * call so the tests can assert that maintenance happened where required. */
#ifndef AETHER_ARCH_MM_H
#define AETHER_ARCH_MM_H

#include "types.h"

/* Publish a single descriptor store so the table walker observes it whole. */
void arch_pte_store(u64 *slot, u64 value);
/* Make prior descriptor stores visible to the walker (DSB ISHST on arm64). */
void arch_s2_sync_tables(void);
/* Invalidate Stage-2 (and combined S1+S2) TLB entries of one VMID that may
 * cache a translation of [ipa, ipa+size).  Includes the completing DSB ISH. */
void arch_s2_tlbi_range(u16 vmid, ipaddr_t ipa, u64 size);
/* Invalidate every Stage-2 TLB entry of one VMID. */
void arch_s2_tlbi_vmid(u16 vmid);
/* Zero [va, va + size): va and size multiples of 8, va Normal memory (EL2's
 * MMU on).  DC ZVA on arm64 (arch/arm64/zero.S). */
void arch_zero(void *va, u64 size);

#endif
