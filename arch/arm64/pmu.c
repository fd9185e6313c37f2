/* The hypervisor's own PMU counter (Arm ARM D13: PMUv3).  MDCR_EL2.HPMN
 * hides counters HPMN..N-1 from EL1/EL0 and HPME enables them from EL2, so
 * the guest keeps full control of the others and cannot disturb this one. */
#include "arch/pmu.h"
#include "arch/regs.h"
#include "arch/sysreg.h"

#define PMCR_N_SHIFT 11
#define PMCR_N_MASK 0x1f
#define PMEVTYPER_P BIT(31)   /* do not count at EL1 */
#define PMEVTYPER_U BIT(30)   /* do not count at EL0 */
#define PMEVTYPER_NSH BIT(27) /* count at EL2 */
#define EVT_INST_RETIRED 0x08
#define DFR0_PMUVER_IMPDEF 0xf

static u32 el2_counter = ~0u;

static bool pmu_present(void)
{
	u64 ver = FIELD_GET(DFR0_PMUVER_MASK, read_id_aa64dfr0_el1());

	return ver != 0 && ver != DFR0_PMUVER_IMPDEF;
}

u64 pmu_reserve_el2_counter(void)
{
	u32 n;

	if (!pmu_present())
		return 0;
	n = (read_pmcr_el0() >> PMCR_N_SHIFT) & PMCR_N_MASK;
	if (n < 2)
		return n; /* keep what little there is for the guest */
	el2_counter = n - 1;
	__asm__ volatile("msr pmselr_el0, %0; isb; msr pmxevtyper_el0, %1; msr pmxevcntr_el0, xzr"
			 :
			 : "r"((u64)el2_counter),
			   "r"(PMEVTYPER_P | PMEVTYPER_U | PMEVTYPER_NSH | EVT_INST_RETIRED));
	__asm__ volatile("msr pmcntenset_el0, %0; isb" : : "r"(BIT(el2_counter)));
	return MDCR_HPME | el2_counter;
}

u64 pmu_el2_instructions(void)
{
	u64 v, sel;

	if (el2_counter == ~0u)
		return 0;
	/* PMSELR_EL0 is the guest's too: put back what it had selected. */
	__asm__ volatile("mrs %1, pmselr_el0; msr pmselr_el0, %2; isb; mrs %0, pmxevcntr_el0;"
			 "msr pmselr_el0, %1; isb"
			 : "=&r"(v), "=&r"(sel)
			 : "r"((u64)el2_counter));
	return v;
}
