/* Stage-2 translation configuration: VTCR_EL2 and VTTBR_EL2 layouts and the
 * pure function that derives a VM's Stage-2 geometry from the CPU's PARange.
 *
 * Field layouts per the Arm ARM, D19.2 VTCR_EL2 (Virtualization Translation
 * Control Register) and D19.2 VTTBR_EL2 (Virtualization Translation Table
 * Base Register).  Shift/mask macros only: no C bitfields for hardware. */
#ifndef AETHER_ARCH_VTCR_H
#define AETHER_ARCH_VTCR_H

#include "arch/pte.h"
#include "types.h"

/* VTCR_EL2 (Arm ARM D19.2 VTCR_EL2). */
#define VTCR_T0SZ_SHIFT 0 /* IPA size is 2^(64 - T0SZ) */
#define VTCR_T0SZ_MASK GENMASK(5, 0)
#define VTCR_SL0_SHIFT 6 /* starting level; for TG0 = 4K: level = 2 - SL0 */
#define VTCR_SL0_MASK GENMASK(7, 6)
#define VTCR_IRGN0_SHIFT 8 /* inner cacheability of table walks */
#define VTCR_IRGN0_MASK GENMASK(9, 8)
#define VTCR_ORGN0_SHIFT 10 /* outer cacheability of table walks */
#define VTCR_ORGN0_MASK GENMASK(11, 10)
#define VTCR_SH0_SHIFT 12 /* shareability of table walks */
#define VTCR_SH0_MASK GENMASK(13, 12)
#define VTCR_TG0_SHIFT 14 /* granule */
#define VTCR_TG0_MASK GENMASK(15, 14)
#define VTCR_PS_SHIFT 16 /* output (physical) address size, PARange encoding */
#define VTCR_PS_MASK GENMASK(18, 16)
#define VTCR_VS_SHIFT 19 /* 1: 16-bit VMID */
#define VTCR_VS BIT(19)
#define VTCR_RES1 BIT(31)

#define VTCR_RGN_WBWA 0x1UL /* Normal, Write-Back Read-Allocate Write-Allocate */
#define VTCR_SH_INNER 0x3UL
#define VTCR_TG0_4K 0x0UL

/* VTTBR_EL2 (Arm ARM D19.2 VTTBR_EL2). */
#define VTTBR_CNP BIT(0)
#define VTTBR_BADDR_MASK GENMASK(47, 1)
#define VTTBR_VMID_SHIFT 48
#define VTTBR_VMID_MASK GENMASK(63, 48)

/* ID_AA64MMFR0_EL1.PARange encodings that matter here. */
#define PARANGE_32 0x0U
#define PARANGE_48 0x5U
#define PARANGE_FIELD_MAX 0xfU

/* Supported IPA sizes.  25 bits is the smallest T0SZ (39) a 4 KiB granule
 * accepts without FEAT_TTST; 48 is the largest without LPA2. */
#define S2_MIN_IPA_BITS 25U
#define S2_MAX_IPA_BITS 48U
/* The architecture lets a Stage-2 root be up to 16 concatenated tables. */
#define S2_MAX_ROOT_PAGES 16U

/* A VM's Stage-2 geometry and the VTCR_EL2 value that describes it. */
struct s2_cfg {
	u8 ipa_bits;
	u8 start_level;
	u8 root_pages; /* concatenated root tables, power of two, 1..16 */
	u64 vtcr;
};

/* Root tables a @start_level walk of an @ipa_bits space needs, or 0 if that
 * start level cannot describe the space (too few bits to need it, or more
 * than 16 concatenated tables). */
static inline u32 s2_root_pages(u32 ipa_bits, u32 start_level)
{
	u32 shift, bits;

	if (start_level > 2 || ipa_bits > S2_MAX_IPA_BITS)
		return 0;
	shift = pte_level_shift(start_level);
	if (ipa_bits <= shift)
		return 0;
	bits = ipa_bits - shift; /* IPA bits resolved by the root */
	if (bits <= PTE_LEVEL_BITS)
		return 1;
	if (bits > PTE_LEVEL_BITS + 4)
		return 0;
	return 1U << (bits - PTE_LEVEL_BITS);
}

/* Derive the Stage-2 configuration for a CPU reporting @parange_field in
 * ID_AA64MMFR0_EL1.PARange and a VM wanting @want_ipa_bits of IPA space (0:
 * as large as the PA size allows).  Returns 0 or -E_INVAL. */
int vtcr_compute(u32 parange_field, u32 want_ipa_bits, struct s2_cfg *out);

#endif
