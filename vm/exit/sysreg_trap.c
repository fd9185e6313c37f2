/* Trapped MSR/MRS/SYS instructions (EC 0x18).  Feature ID registers are
 * answered with sanitised values; debug registers the guest may probe read
 * as zero and ignore writes; set/way cache maintenance is turned into a
 * clean+invalidate of the VM's RAM by address; everything else is UNDEF. */
#include "arch/idregs.h"
#include "drivers/gic.h"
#include "vm/exit/sysreg_trap.h"
#include "lib/keytab.h"
#include "arch/regs.h"
#include "vm/exit/inject.h"
#include "vm/exit/trap.h"
#include "vm/vcpu_debug.h"
#include "vm/vcpu_timer.h"
#include "vm/vgic.h"
#include "vm/vm.h"

struct sysreg_entry {
	u32 key; /* first, a u32 (include/lib/keytab.h) */
	const char *name;
	/* Returns false to make the access UNDEF (e.g. a write to a read-only
	 * register). */
	bool (*fn)(struct vcpu *v, const struct sysreg_access *a, u64 *val);
};
KEYTAB_CHECK(struct sysreg_entry, key);

void sysreg_decode(u64 esr, struct sysreg_access *out)
{
	u32 op0 = (esr >> SYS_ISS_OP0_SHIFT) & 3, op2 = (esr >> SYS_ISS_OP2_SHIFT) & 7;
	u32 op1 = (esr >> SYS_ISS_OP1_SHIFT) & 7, crn = (esr >> SYS_ISS_CRN_SHIFT) & 0xf;
	u32 crm = (esr >> SYS_ISS_CRM_SHIFT) & 0xf;

	out->key = SYSREG_KEY(op0, op1, crn, crm, op2);
	out->rt = (esr >> SYS_ISS_RT_SHIFT) & 0x1f;
	out->read = (esr & SYS_ISS_DIR_READ) != 0;
}

u64 sysreg_sanitize_id(u32 crm, u32 op2, u64 hw)
{
	switch ((crm << 3) | op2) {
	case (4 << 3) | 0: /* ID_AA64PFR0_EL1: no EL2/EL3, SVE, RAS, MPAM, AMU */
		/* A guest of a GICv2 host gets a memory-mapped vGICv2 only: no
		 * GIC system register interface, whatever the CPU has. */
		return hw & ~(PFR0_EL2_MASK | PFR0_EL3_MASK | PFR0_RAS_MASK | PFR0_SVE_MASK |
			      PFR0_MPAM_MASK | PFR0_AMU_MASK | (gic_v2 ? PFR0_GIC_MASK : 0));
	case (4 << 3) | 1: /* ID_AA64PFR1_EL1: no SME, MTE, RAS/MPAM fractions */
		return hw & (PFR1_SSBS_MASK | GENMASK(3, 0));
	case (4 << 3) | 4: /* ID_AA64ZFR0_EL1: SVE hidden */
	case (4 << 3) | 5: /* ID_AA64SMFR0_EL1: SME hidden */
	case (5 << 3) | 1: /* ID_AA64DFR1_EL1 */
	case (5 << 3) | 4: /* ID_AA64AFR0_EL1 */
	case (5 << 3) | 5: /* ID_AA64AFR1_EL1 */ return 0;
	case (5 << 3) | 0: /* ID_AA64DFR0_EL1: the CPU's breakpoints and watchpoints */
		return vdebug_sanitize_dfr0(hw, DFR0_PMUVER_MASK);
	case (6 << 3) | 1: /* ID_AA64ISAR1_EL1: no pointer authentication */
		return hw & ~ISAR1_PAUTH_MASK;
	case (6 << 3) | 2: /* ID_AA64ISAR2_EL1 */ return hw & ~ISAR2_PAUTH_MASK;
	case (7 << 3) | 1: /* ID_AA64MMFR1_EL1: no VHE for the guest */ return hw & ~GENMASK(11, 8);
	case (7 << 3) | 2: /* ID_AA64MMFR2_EL1: no nested virtualisation */
		return hw & ~GENMASK(27, 24);
	default: return hw;
	}
}

static bool sr_raz_wi(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	if (a->read)
		*val = 0;
	return true;
}

static bool sr_raz_ro(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	if (!a->read)
		return false;
	*val = 0;
	return true;
}

/* Self-hosted debug (vm/vcpu_debug.c): MDSCR_EL1 and the breakpoint and
 * watchpoint registers only trap here while the vCPU has nothing armed. */
static bool sr_mdscr(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	vcpu_debug_mdscr(v, a->read, val);
	return true;
}

static bool sr_oslar(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	if (a->read)
		return false;
	vcpu_debug_oslar(v, *val);
	return true;
}

static bool sr_oslsr(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	if (!a->read)
		return false;
	*val = vcpu_debug_oslsr(v);
	return true;
}

static bool sr_setway(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	/* Set/way operations cannot be virtualised faithfully (the guest does
	 * not own the cache); cleaning its whole RAM by address gives the
	 * guest what it asked for. */
	arch_dcache_clean_inval(pa_to_ptr(v->vm->ram_pa), v->vm->ram_size);
	return true;
}

static bool sr_sgi1r(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	if (a->read)
		return false;
	vgic_sgi1r_write(v, *val);
	return true;
}

/* The EL1 physical timer, emulated (vm/vcpu_ptimer.c); the vGIC sees its
 * new line on the way back into the guest. */
static bool sr_cntp(struct vcpu *v, const struct sysreg_access *a, u64 *val, enum ptimer_reg r)
{
	vcpu_ptimer_access(v, r, a->read, val);
	if (!a->read)
		vcpu_timers_changed();
	return true;
}

static bool sr_cntp_tval(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	return sr_cntp(v, a, val, PTIMER_TVAL);
}

static bool sr_cntp_ctl(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	return sr_cntp(v, a, val, PTIMER_CTL);
}

static bool sr_cntp_cval(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	return sr_cntp(v, a, val, PTIMER_CVAL);
}

static bool sr_wo_ignore(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	return !a->read; /* Group 0 / alternate SGIs: guests have Group 1 only */
}

/* Sorted by key: sysreg_table_ok() checks it at boot. */
static const struct sysreg_entry sysreg_table[] = {
	{SYSREG_KEY(1, 0, 7, 6, 2), "DC ISW", sr_setway},
	{SYSREG_KEY(1, 0, 7, 10, 2), "DC CSW", sr_setway},
	{SYSREG_KEY(1, 0, 7, 14, 2), "DC CISW", sr_setway},
	{SYSREG_KEY(2, 0, 0, 0, 2), "OSDTRRX_EL1", sr_raz_wi},
	{SYSREG_KEY(2, 0, 0, 2, 2), "MDSCR_EL1", sr_mdscr},
	{SYSREG_KEY(2, 0, 0, 3, 2), "OSDTRTX_EL1", sr_raz_wi},
	{SYSREG_KEY(2, 0, 0, 6, 2), "OSECCR_EL1", sr_raz_wi},
	{SYSREG_KEY(2, 0, 1, 0, 4), "OSLAR_EL1", sr_oslar},
	{SYSREG_KEY(2, 0, 1, 1, 4), "OSLSR_EL1", sr_oslsr},
	{SYSREG_KEY(2, 0, 1, 3, 4), "OSDLR_EL1", sr_raz_wi},
	{SYSREG_KEY(2, 0, 1, 4, 4), "DBGPRCR_EL1", sr_raz_wi},
	{SYSREG_KEY(2, 0, 7, 8, 6), "DBGCLAIMSET_EL1", sr_raz_wi},
	{SYSREG_KEY(2, 0, 7, 9, 6), "DBGCLAIMCLR_EL1", sr_raz_wi},
	{SYSREG_KEY(2, 0, 7, 14, 6), "DBGAUTHSTATUS_EL1", sr_raz_ro},
	{SYSREG_KEY(2, 3, 0, 1, 0), "MDCCSR_EL0", sr_raz_ro},
	{SYSREG_KEY(2, 3, 0, 4, 0), "DBGDTR_EL0", sr_raz_wi},
	{SYSREG_KEY(2, 3, 0, 5, 0), "DBGDTRRX/TX_EL0", sr_raz_wi},
	{SYSREG_KEY(3, 0, 1, 0, 1), "ACTLR_EL1", sr_raz_wi},
	{SYSREG_KEY(3, 0, 12, 11, 5), "ICC_SGI1R_EL1", sr_sgi1r},
	{SYSREG_KEY(3, 0, 12, 11, 6), "ICC_ASGI1R_EL1", sr_wo_ignore},
	{SYSREG_KEY(3, 0, 12, 11, 7), "ICC_SGI0R_EL1", sr_wo_ignore},
	{SYSREG_KEY(3, 3, 14, 2, 0), "CNTP_TVAL_EL0", sr_cntp_tval},
	{SYSREG_KEY(3, 3, 14, 2, 1), "CNTP_CTL_EL0", sr_cntp_ctl},
	{SYSREG_KEY(3, 3, 14, 2, 2), "CNTP_CVAL_EL0", sr_cntp_cval},
};

bool sysreg_table_ok(void)
{
	return KEYTAB_SORTED(sysreg_table);
}

static const struct sysreg_entry *sysreg_find(u32 key)
{
	return KEYTAB_FIND(sysreg_table, key);
}

static bool is_id_space(u32 key)
{
	/* op0=3, op1=0, CRn=0, CRm=1..7: the feature ID registers (TID3) */
	return (key & ~0x3fU) == SYSREG_KEY(3, 0, 0, 0, 0) && (key & 0x38) != 0;
}

static bool is_debug_bp_wp(u32 key)
{
	/* DBGBVR/BCR/WVR/WCR<n>_EL1: op0=2, op1=0, CRn=0, op2=4..7 */
	return (key & ~0x7fU) == SYSREG_KEY(2, 0, 0, 0, 0) && (key & 7) >= 4;
}

/* The feature ID registers, sanitized: read while the guest boots. */
static __cold __attribute__((noinline)) bool sr_id_read(const struct sysreg_access *a, u64 *val)
{
	if (!a->read)
		return false;
	*val = sysreg_sanitize_id((a->key >> 3) & 0xf, a->key & 7,
				  arch_read_id_reg((a->key >> 3) & 0xf, a->key & 7));
	return true;
}

static __cold __attribute__((noinline)) void sysreg_refuse(struct vcpu *v,
							   const struct sysreg_access *a)
{
	v->exits[EXIT_UNDEF_INJECTED]++;
	vm_log(v->vm,
	       "vcpu %u: %s of system register S%u_%u_C%u_C%u_%u at ELR=0x%lx: injecting "
	       "UNDEF",
	       v->id, a->read ? "read" : "write", a->key >> 14, (a->key >> 11) & 7,
	       (a->key >> 7) & 15, (a->key >> 3) & 15, a->key & 7, (unsigned long)v->ctx.pc);
	inject_undef(v);
}

static bool sysreg_emulate(struct vcpu *v, const struct sysreg_access *a, u64 *val)
{
	const struct sysreg_entry *e;

	if (is_id_space(a->key))
		return sr_id_read(a, val);
	if (is_debug_bp_wp(a->key))
		return vcpu_debug_bpwp(v, (a->key >> 3) & 0xf, a->key & 7, a->read, val);
	e = sysreg_find(a->key);
	return e && e->fn(v, a, val);
}

void handle_sysreg(struct vcpu *v, u64 esr)
{
	struct sysreg_access a;
	u64 val = 0;

	v->exits[EXIT_SYSREG]++;
	sysreg_decode(esr, &a);
	if (!a.read)
		val = a.rt == 31 ? 0 : v->ctx.x[a.rt];
	if (!sysreg_emulate(v, &a, &val)) {
		sysreg_refuse(v, &a);
		return;
	}
	if (a.read && a.rt != 31)
		v->ctx.x[a.rt] = val;
	skip_instr(v, esr);
}
