/* The hypercall ABI guests see (SMCCC 1.1 over HVC or SMC).  Shared with the
 * test guests in tests/guests, so it must stay plain C preprocessor material.
 *
 * Function IDs follow SMCCC: bit 31 fast call, bit 30 SMC64 convention,
 * bits 29:24 owner, 15:0 function.  Only W0 is the function ID: the upper
 * 32 bits of X0 are ignored, and with the SMC32 convention (bit 30 clear)
 * so are the upper halves of the argument registers. */
#ifndef AETHER_ABI_H
#define AETHER_ABI_H

/* Arm architecture calls (owner 0) */
#define SMCCC_VERSION 0x80000000
#define SMCCC_ARCH_FEATURES 0x80000001
#define SMCCC_ARCH_WORKAROUND_1 0x80008000

/* PSCI 1.1 (owner 4); the 0xC4... forms take 64-bit arguments */
#define PSCI_VERSION 0x84000000
#define PSCI_CPU_SUSPEND_32 0x84000001
#define PSCI_CPU_SUSPEND_64 0xC4000001
#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON_32 0x84000003
#define PSCI_CPU_ON_64 0xC4000003
#define PSCI_AFFINITY_INFO_32 0x84000004
#define PSCI_AFFINITY_INFO_64 0xC4000004
#define PSCI_MIGRATE_INFO_TYPE 0x84000006
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009
#define PSCI_FEATURES 0x8400000A

/* Vendor-specific hypervisor service (owner 6): Aether EdgeCloud */
#define AETHER_HC_CALL_UID 0x8600FF01	   /* x0..x3 = UID words */
#define AETHER_HC_REVISION 0x8600FF03	   /* x0 = major, x1 = minor */
#define AETHER_HC_VM_INFO 0xC6000001	   /* -> x0 = 0, x1 = VM id, x2 = vCPU id, x3 = vCPUs */
#define AETHER_HC_CONSOLE_WRITE 0xC6000002 /* x1 = IPA, x2 = len (<= 256) -> x0 = len */
#define AETHER_HC_EXIT_COUNT 0xC6000003	   /* x1 = exit kind -> x0 = count for this VM */
#define AETHER_HC_ECHO 0xC6000004	   /* x1..x4 -> returned in x0..x3 (ABI test) */
#define AETHER_HC_ECHO32 0x86000004	   /* the same, each narrowed to 32 bits (SMC32) */
#define AETHER_HC_RESTARTS 0xC6000005	   /* -> x0 = times this VM was restarted */
#define AETHER_HC_EL2_INSNS \
	0xC6000006 /* -> x0 = instructions retired at EL2 on this CPU (0: no PMU) */

#define AETHER_UID_0 0x61657468 /* "aeth" */
#define AETHER_UID_1 0x65722d65 /* "er-e" */
#define AETHER_UID_2 0x64676563 /* "dgec" */
#define AETHER_UID_3 0x6c6f7564 /* "loud" */
#define AETHER_REV_MAJOR 1
#define AETHER_REV_MINOR 0
#define AETHER_CONSOLE_WRITE_MAX 256

/* Return codes (SMCCC / PSCI) */
#define SMCCC_RET_SUCCESS 0
#define SMCCC_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMETERS (-2)
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INTERNAL_FAILURE (-6)
#define PSCI_RET_NOT_PRESENT (-7)
#define PSCI_RET_DISABLED (-8)
#define PSCI_RET_INVALID_ADDRESS (-9)

/* AFFINITY_INFO results */
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_AFF_ON_PENDING 2

#endif
