/* Stage-2 geometry from the CPU's physical address size.  Pure: it reads no
 * registers, so every PARange a CPU might report is tested on the host. */
#include "arch/vtcr.h"

/* PA bits for each ID_AA64MMFR0_EL1.PARange encoding 0..6. */
static const u8 parange_pa_bits[] = {32, 36, 40, 42, 44, 48, 52};

/* Our descriptors carry a 48-bit output address (no LPA2), so anything the
 * CPU reports beyond 48 bits, including encodings newer than this table, is
 * used as 48.  PARange only grows with capability, so clamping is safe. */
static u32 parange_clamp(u32 parange_field)
{
	return MIN(parange_field, PARANGE_48);
}

/* Fewest lookup levels: the deepest start level whose root fits in at most
 * 16 concatenated tables.  Every level saved shortens each Stage-2 walk, and
 * a guest's Stage-1 walk pays that cost once per Stage-1 level. */
static u32 s2_pick_start_level(u32 ipa_bits)
{
	u32 level;

	for (level = 2; level > 0; level--)
		if (s2_root_pages(ipa_bits, level))
			return level;
	return 0;
}

static u64 vtcr_value(u32 ps, u32 ipa_bits, u32 start_level)
{
	return FIELD_PREP(VTCR_T0SZ_MASK, 64 - ipa_bits) |
	       FIELD_PREP(VTCR_SL0_MASK, 2 - start_level) |
	       FIELD_PREP(VTCR_IRGN0_MASK, VTCR_RGN_WBWA) |
	       FIELD_PREP(VTCR_ORGN0_MASK, VTCR_RGN_WBWA) |
	       FIELD_PREP(VTCR_SH0_MASK, VTCR_SH_INNER) | FIELD_PREP(VTCR_TG0_MASK, VTCR_TG0_4K) |
	       FIELD_PREP(VTCR_PS_MASK, ps) | VTCR_RES1;
}

int vtcr_compute(u32 parange_field, u32 want_ipa_bits, struct s2_cfg *out)
{
	u32 ps, pa_bits, ipa_bits, level;

	if (!out || parange_field > PARANGE_FIELD_MAX)
		return -E_INVAL;
	ps = parange_clamp(parange_field);
	pa_bits = parange_pa_bits[ps];
	ipa_bits = want_ipa_bits ? MIN(want_ipa_bits, pa_bits) : pa_bits;
	if (ipa_bits < S2_MIN_IPA_BITS)
		return -E_INVAL;

	level = s2_pick_start_level(ipa_bits);
	out->ipa_bits = (u8)ipa_bits;
	out->start_level = (u8)level;
	out->root_pages = (u8)s2_root_pages(ipa_bits, level);
	out->vtcr = vtcr_value(ps, ipa_bits, level);
	return 0;
}
