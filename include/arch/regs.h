/* Register field layouts as shift/mask macros.  Each block names the Arm ARM
 * (DDI 0487) register it describes; no C bitfields for hardware layouts. */
#ifndef AETHER_ARCH_REGS_H
#define AETHER_ARCH_REGS_H

#include "types.h"

/* CurrentEL */
#define CURRENTEL_EL_MASK GENMASK(3, 2)

/* HCR_EL2, Hypervisor Configuration Register */
#define HCR_VM BIT(0)	/* Stage-2 translation on */
#define HCR_SWIO BIT(1) /* set/way invalidate becomes clean+invalidate */
#define HCR_FMO BIT(3)	/* physical FIQ to EL2, virtual FIQ to EL1 */
#define HCR_IMO BIT(4)	/* physical IRQ to EL2, virtual IRQ to EL1 */
#define HCR_AMO BIT(5)	/* SError to EL2 */
#define HCR_FB BIT(9)	/* broadcast TLB/cache maintenance inner shareable */
#define HCR_BSU_IS (1UL << 10)
#define HCR_TWI BIT(13)
#define HCR_TWE BIT(14)
#define HCR_TID3 BIT(18)  /* trap ID group 3 (feature ID registers) */
#define HCR_TSC BIT(19)	  /* trap SMC */
#define HCR_TIDCP BIT(20) /* trap implementation-defined sysregs */
#define HCR_TACR BIT(21)
#define HCR_TSW BIT(22) /* trap set/way cache maintenance */
#define HCR_TVM BIT(26)
#define HCR_RW BIT(31) /* EL1 is AArch64 */
#define HCR_TERR BIT(36)
#define HCR_TEA BIT(37)
#define HCR_APK BIT(40)
#define HCR_API BIT(41)
#define HCR_FIEN BIT(47)
#define HCR_ENSCXT BIT(53)

/* SCTLR_EL2, System Control Register (EL2), non-VHE layout */
#define SCTLR_EL2_M BIT(0)
#define SCTLR_EL2_A BIT(1)
#define SCTLR_EL2_C BIT(2)
#define SCTLR_EL2_SA BIT(3)
#define SCTLR_EL2_I BIT(12)
#define SCTLR_EL2_WXN BIT(19)
#define SCTLR_EL2_EE BIT(25)
#define SCTLR_EL2_RES1 \
	(BIT(4) | BIT(5) | BIT(11) | BIT(16) | BIT(18) | BIT(22) | BIT(23) | BIT(28) | BIT(29))

/* CPTR_EL2, Architectural Feature Trap Register (EL2), non-VHE layout */
#define CPTR_EL2_TZ BIT(8)   /* trap SVE */
#define CPTR_EL2_TFP BIT(10) /* trap FP/SIMD */
#define CPTR_EL2_TSM BIT(12) /* trap SME */
#define CPTR_EL2_TAM BIT(30) /* trap activity monitors */
#define CPTR_EL2_TCPAC BIT(31)
#define CPTR_EL2_RES1 (GENMASK(7, 0) | BIT(9) | BIT(13))

/* CNTHCTL_EL2, Counter-timer Hypervisor Control, non-VHE layout */
#define CNTHCTL_EL1PCTEN BIT(0) /* EL1/EL0 physical counter access */
#define CNTHCTL_EL1PCEN BIT(1)	/* EL1/EL0 physical timer access */

/* MDCR_EL2, Monitor Debug Configuration Register (EL2) */
#define MDCR_HPMN_MASK GENMASK(4, 0)
#define MDCR_TPMCR BIT(5)
#define MDCR_TPM BIT(6)
#define MDCR_HPME BIT(7)
#define MDCR_TDE BIT(8)
#define MDCR_TDA BIT(9)
#define MDCR_TDOSA BIT(10)
#define MDCR_TDRA BIT(11)
#define MDCR_TPMS BIT(14)

/* SPSR_EL2 / PSTATE */
#define PSR_MODE_MASK GENMASK(3, 0)
#define PSR_MODE_EL0T 0x0
#define PSR_MODE_EL1T 0x4
#define PSR_MODE_EL1H 0x5
#define PSR_MODE_EL2H 0x9
#define PSR_MODE32 BIT(4)
#define PSR_F BIT(6)
#define PSR_I BIT(7)
#define PSR_A BIT(8)
#define PSR_D BIT(9)
#define PSR_DAIF (PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_SS BIT(21) /* software step */
#define PSR_PAN BIT(22)

/* ESR_ELx, Exception Syndrome Register */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK GENMASK(31, 26)
#define ESR_IL BIT(25)
#define ESR_ISS_MASK GENMASK(24, 0)
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3f)

/* Exception classes (ESR_ELx.EC) */
#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_CP15_32 0x03
#define EC_CP15_64 0x04
#define EC_CP14_MR 0x05
#define EC_CP14_LS 0x06
#define EC_FP_ASIMD 0x07
#define EC_CP10_ID 0x08
#define EC_PAC 0x09
#define EC_CP14_64 0x0c
#define EC_BTI 0x0d
#define EC_ILL 0x0e
#define EC_SVC32 0x11
#define EC_HVC32 0x12
#define EC_SMC32 0x13
#define EC_SVC64 0x15
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_SVE 0x19
#define EC_ERET 0x1a
#define EC_FPAC 0x1c
#define EC_SME 0x1d
#define EC_IMP_DEF 0x1f
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_FP_EXC32 0x28
#define EC_FP_EXC64 0x2c
#define EC_SERROR 0x2f
#define EC_BREAKPT_LOW 0x30
#define EC_BREAKPT_CUR 0x31
#define EC_SOFTSTP_LOW 0x32
#define EC_SOFTSTP_CUR 0x33
#define EC_WATCHPT_LOW 0x34
#define EC_WATCHPT_CUR 0x35
#define EC_BKPT32 0x38
#define EC_VECTOR32 0x3a
#define EC_BRK64 0x3c
#define EC_MAX 0x3f

/* ISS for data aborts (ESR_ELx.ISS when EC is 0x24/0x25) */
#define DABT_ISV BIT(24)
#define DABT_SAS_SHIFT 22
#define DABT_SAS_MASK GENMASK(23, 22)
#define DABT_SSE BIT(21)
#define DABT_SRT_SHIFT 16
#define DABT_SRT_MASK GENMASK(20, 16)
#define DABT_SF BIT(15)
#define DABT_AR BIT(14)
#define DABT_FNV BIT(10)
#define DABT_EA BIT(9)
#define DABT_CM BIT(8)
#define DABT_S1PTW BIT(7)
#define DABT_WNR BIT(6)
#define ABT_FSC_MASK GENMASK(5, 0)
#define FSC_EXTABT 0x10 /* synchronous external abort, not on a walk */
#define FSC_TYPE_MASK 0x3c
#define FSC_TRANS 0x04 /* translation fault, levels 0..3 in bits 1:0 */
#define FSC_ACCESS 0x08
#define FSC_PERM 0x0c

/* ISS for trapped MSR/MRS (EC 0x18) */
#define SYS_ISS_DIR_READ BIT(0) /* 1: MRS (read) */
#define SYS_ISS_CRM_SHIFT 1
#define SYS_ISS_RT_SHIFT 5
#define SYS_ISS_CRN_SHIFT 10
#define SYS_ISS_OP1_SHIFT 14
#define SYS_ISS_OP2_SHIFT 17
#define SYS_ISS_OP0_SHIFT 20
/* ISS minus Rt and direction: identifies the register. */
#define SYS_ISS_ENC_MASK 0x3ffc1eUL

/* ISS for WFx (EC 0x01) */
#define WFX_ISS_WFE BIT(0)

/* HPFAR_EL2: FIPA holds IPA[51:12] in bits [43:4] */
#define HPFAR_FIPA_MASK GENMASK(43, 4)

/* VTTBR_EL2 */
#define VTTBR_VMID_SHIFT 48

/* MPIDR_EL1 */
#define MPIDR_AFF_MASK 0xff00ffffffUL

/* ID_AA64MMFR0_EL1 */
#define MMFR0_PARANGE_MASK GENMASK(3, 0)
#define MMFR0_TGRAN4_MASK GENMASK(31, 28)

/* ID_AA64PFR0_EL1 fields the hypervisor hides from guests */
#define PFR0_EL2_MASK GENMASK(11, 8)
#define PFR0_EL3_MASK GENMASK(15, 12)
#define PFR0_GIC_MASK GENMASK(27, 24) /* GIC system register interface */
#define PFR0_RAS_MASK GENMASK(31, 28)
#define PFR0_SVE_MASK GENMASK(35, 32)
#define PFR0_AMU_MASK GENMASK(47, 44)
#define PFR0_MPAM_MASK GENMASK(43, 40)
#define PFR1_SME_MASK GENMASK(27, 24)
#define PFR1_MTE_MASK GENMASK(11, 8)
#define PFR1_SSBS_MASK GENMASK(7, 4)
#define ISAR1_PAUTH_MASK (GENMASK(31, 24) | GENMASK(11, 4))
#define ISAR2_PAUTH_MASK GENMASK(15, 8)
#define DFR0_PMUVER_MASK GENMASK(11, 8)
#define DFR0_TRACEVER_MASK GENMASK(7, 4)
#define DFR0_PMSVER_MASK GENMASK(35, 32)
#define DFR0_TRACEBUFFER_MASK GENMASK(47, 44)
#define DFR0_TRACEFILT_MASK GENMASK(43, 40)

/* CNTV_CTL_EL0 / CNTHP_CTL_EL2 */
#define CNT_CTL_ENABLE BIT(0)
#define CNT_CTL_IMASK BIT(1)
#define CNT_CTL_ISTATUS BIT(2)

/* ICC_SRE_EL2 */
#define ICC_SRE_SRE BIT(0)
#define ICC_SRE_ENABLE BIT(3)

#endif
