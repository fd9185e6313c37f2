/* The guest-visible semantics of the debug registers while they live in
 * memory (include/vm/vdebug.h).  Values are stored as the architecture
 * keeps them: RES0 fields cleared, everything else as written, so a
 * guest reads back what a CPU would give it and what it later finds in
 * the hardware registers once they are loaded. */
#include "vm/vdebug.h"

#define OP2_BVR 4
#define OP2_BCR 5
#define OP2_WVR 6
#define OP2_WCR 7

void vdebug_reset(struct vdebug *d)
{
	*d = (struct vdebug){.os_lock = true}; /* OSLK is 1 after a cold reset */
}

static u64 *bpwp_slot(struct vdebug *d, u32 n, u32 op2, u32 nbrp, u32 nwrp, u64 *mask)
{
	bool bp = op2 == OP2_BVR || op2 == OP2_BCR;

	if (n >= ARCH_DBG_MAX || n >= (bp ? nbrp : nwrp))
		return NULL;
	switch (op2) {
	case OP2_BVR: *mask = DBGBVR_MASK; return &d->r.bvr[n];
	case OP2_BCR: *mask = DBGBCR_MASK; return &d->r.bcr[n];
	case OP2_WVR: *mask = DBGWVR_MASK; return &d->r.wvr[n];
	case OP2_WCR: *mask = DBGWCR_MASK; return &d->r.wcr[n];
	}
	return NULL;
}

bool vdebug_bpwp_access(struct vdebug *d, u32 n, u32 op2, bool read, u64 *val, u32 nbrp, u32 nwrp)
{
	u64 mask = 0, *slot = bpwp_slot(d, n, op2, nbrp, nwrp, &mask);

	if (!slot)
		return false;
	if (read)
		*val = *slot;
	else
		*slot = *val & mask;
	return true;
}

void vdebug_mdscr_access(struct vdebug *d, bool read, u64 *val)
{
	if (read)
		*val = d->r.mdscr;
	else
		d->r.mdscr = *val & MDSCR_GUEST_MASK;
}

void vdebug_oslar_write(struct vdebug *d, u64 val)
{
	d->os_lock = (val & OSLAR_OSLK) != 0;
}

u64 vdebug_oslsr_read(const struct vdebug *d)
{
	return OSLSR_OSLM_IMPL | (d->os_lock ? OSLSR_OSLK : 0);
}

bool vdebug_wants_cpu(const struct vdebug *d, u32 nbrp, u32 nwrp)
{
	if (d->os_lock)
		return false;
	if (d->r.mdscr & (MDSCR_SS | MDSCR_KDE | MDSCR_MDE))
		return true;
	for (u32 n = 0; n < nbrp && n < ARCH_DBG_MAX; n++)
		if (d->r.bcr[n] & DBGBCR_E)
			return true;
	for (u32 n = 0; n < nwrp && n < ARCH_DBG_MAX; n++)
		if (d->r.wcr[n] & DBGWCR_E)
			return true;
	return false;
}

u64 vdebug_sanitize_dfr0(u64 hw, u64 pmuver_mask)
{
	u64 keep = GENMASK(3, 0) /* DebugVer */ | DFR0_BRPS_MASK | DFR0_WRPS_MASK |
		   DFR0_CTX_CMPS_MASK | pmuver_mask;

	/* OSDLR_EL1 is RAZ/WI: the double lock is not offered. */
	return (hw & keep) | FIELD_PREP(DFR0_DOUBLELOCK_MASK, DFR0_DOUBLELOCK_NONE);
}
