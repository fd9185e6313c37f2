/* Names of exception classes (ESR_ELx.EC, Arm ARM D17.2.37) for log lines. */
#include "arch/fault.h"

const char *ec_name(u64 ec)
{
	switch (ec) {
	case EC_UNKNOWN: return "unknown/undefined";
	case EC_WFX: return "WFI/WFE";
	case EC_FP_ASIMD: return "FP/SIMD";
	case EC_PAC: return "pointer auth";
	case EC_ILL: return "illegal state";
	case EC_HVC64: return "HVC";
	case EC_SMC64: return "SMC";
	case EC_SYS64: return "MSR/MRS";
	case EC_SVE: return "SVE";
	case EC_ERET: return "ERET";
	case EC_SME: return "SME";
	case EC_IABT_LOW: return "instruction abort";
	case EC_DABT_LOW: return "data abort";
	case EC_SERROR: return "SError";
	case EC_BRK64: return "BRK";
	default: return "other";
	}
}
