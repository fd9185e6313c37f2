/* SMCCC hypercall dispatch (Arm DEN 0028).  The function ID picks a slot in
 * a direct table by owner and function number; the slot says which calling
 * conventions (SMC32, SMC64) exist.  Handlers read only the arguments they
 * use, narrowed to 32 bits at the read for SMC32 (hcall_arg), validate all of
 * them, and only then act; unknown IDs return NOT_SUPPORTED and change
 * nothing. */
#include "vm/exit/hypercall.h"
#include "aether_abi.h"
#include "vm/dev/uart.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"
#include "arch/pmu.h"

/* SMCCC function ID fields. */
#define FID_FAST BIT(31)
#define FID_SMC64 BIT(30)
#define FID_OWNER GENMASK(29, 24)
#define FID_MBZ GENMASK(23, 16)
#define FID_FN GENMASK(15, 0)
#define FID_QUERY_BASE 0xff00 /* general service queries of every owner */

typedef void (*hcall_fn)(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r);

static void hc_smccc_version(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	r->r[0] = 0x10001; /* SMCCC 1.1 */
}

static bool hcall_known(u32 fid);

static void hc_arch_features(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	u32 q = (u32)hcall_arg(a, 0);

	/* Only calls this table answers count; the Spectre workaround calls
	 * are not offered. */
	r->r[0] = (q != SMCCC_VERSION && hcall_known(q)) ? SMCCC_RET_SUCCESS
							 : SMCCC_RET_NOT_SUPPORTED;
}

static void hc_psci(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	r->r[0] = psci_call(v, a);
}

static void hc_uid(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	r->r[0] = AETHER_UID_0;
	r->r[1] = AETHER_UID_1;
	r->r[2] = AETHER_UID_2;
	r->r[3] = AETHER_UID_3;
	r->nr_ret = 4;
}

static void hc_revision(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	r->r[0] = AETHER_REV_MAJOR;
	r->r[1] = AETHER_REV_MINOR;
	r->nr_ret = 2;
}

static void hc_vm_info(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	r->r[0] = SMCCC_RET_SUCCESS;
	r->r[1] = v->vm->id;
	r->r[2] = v->id;
	r->r[3] = v->vm->nr_vcpus;
	r->nr_ret = 4;
}

static void hc_console_write(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	char buf[AETHER_CONSOLE_WRITE_MAX];
	struct vpl011 *u = vm_uart(v->vm);
	u64 len = hcall_arg(a, 1);

	if (len > sizeof(buf) || !vm_read_guest(v->vm, ipa_init(hcall_arg(a, 0)), buf, len)) {
		r->r[0] = PSCI_RET_INVALID_PARAMETERS;
		return;
	}
	for (u64 i = 0; u && i < len; i++)
		vpl011_ops.write(u, v, 0, 1, (u8)buf[i]);
	r->r[0] = (s64)len;
}

static void hc_exit_count(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	u64 kind = hcall_arg(a, 0);

	if (kind >= EXIT_KINDS) {
		r->r[0] = PSCI_RET_INVALID_PARAMETERS;
		return;
	}
	r->r[0] = (s64)v->vm->exits[kind];
}

static void hc_echo(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	for (int i = 0; i < 4; i++)
		r->r[i] = (s64)hcall_arg(a, (unsigned)i);
	r->nr_ret = 4;
}

static void hc_restarts(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	r->r[0] = v->vm->restarts;
}

/* For benchmarks: the hypervisor's own instruction count on this CPU.
 * It says how long EL2 ran, never what it did. */
static void hc_el2_insns(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	r->r[0] = (s64)pmu_el2_instructions();
}

/* Handlers by number, so a table slot is two bytes. */
enum {
	H_NONE,
	H_VERSION,
	H_FEATURES,
	H_PSCI,
	H_UID,
	H_REVISION,
	H_VM_INFO,
	H_CONSOLE,
	H_EXIT_COUNT,
	H_ECHO,
	H_RESTARTS,
	H_EL2_INSNS,
	H_COUNT
};

static const hcall_fn hcall_fns[H_COUNT] = {
	[H_VERSION] = hc_smccc_version,
	[H_FEATURES] = hc_arch_features,
	[H_PSCI] = hc_psci,
	[H_UID] = hc_uid,
	[H_REVISION] = hc_revision,
	[H_VM_INFO] = hc_vm_info,
	[H_CONSOLE] = hc_console_write,
	[H_EXIT_COUNT] = hc_exit_count,
	[H_ECHO] = hc_echo,
	[H_RESTARTS] = hc_restarts,
	[H_EL2_INSNS] = hc_el2_insns,
};

#define C32 1u	     /* the SMC32/HVC32 form exists */
#define C64 2u	     /* the SMC64/HVC64 form exists */
#define NR_DIRECT 16 /* function numbers 0-15 */
#define NR_QUERY 4   /* 0xff00-0xff03 */

struct hcall_slot {
	u8 fn;
	u8 convs;
};

struct hcall_owner {
	struct hcall_slot s[NR_DIRECT + NR_QUERY];
};

#define Q(n) (NR_DIRECT + (n))

static const struct hcall_owner owner_arch = {
	.s = {
		[0] = {H_VERSION, C32},	 /* SMCCC_VERSION */
		[1] = {H_FEATURES, C32}, /* SMCCC_ARCH_FEATURES */
	}};

static const struct hcall_owner owner_psci = {
	.s = {
		[0x0] = {H_PSCI, C32},	     /* PSCI_VERSION */
		[0x1] = {H_PSCI, C32 | C64}, /* CPU_SUSPEND */
		[0x2] = {H_PSCI, C32},	     /* CPU_OFF */
		[0x3] = {H_PSCI, C32 | C64}, /* CPU_ON */
		[0x4] = {H_PSCI, C32 | C64}, /* AFFINITY_INFO */
		[0x6] = {H_PSCI, C32},	     /* MIGRATE_INFO_TYPE */
		[0x8] = {H_PSCI, C32},	     /* SYSTEM_OFF */
		[0x9] = {H_PSCI, C32},	     /* SYSTEM_RESET */
		[0xa] = {H_PSCI, C32},	     /* PSCI_FEATURES */
	}};

static const struct hcall_owner owner_vendor_hyp = {
	.s = {
		[1] = {H_VM_INFO, C64},
		[2] = {H_CONSOLE, C64},
		[3] = {H_EXIT_COUNT, C64},
		[4] = {H_ECHO, C64},
		[5] = {H_RESTARTS, C64},
		[6] = {H_EL2_INSNS, C64},
		[Q(1)] = {H_UID, C32},	    /* Call UID */
		[Q(3)] = {H_REVISION, C32}, /* Revision */
	}};

/* Owners 0 (Arm architecture), 4 (standard secure service: PSCI) and 6
 * (vendor specific hypervisor service: Aether's own calls). */
static const struct hcall_owner *const hcall_owners[8] = {
	[0] = &owner_arch,
	[4] = &owner_psci,
	[6] = &owner_vendor_hyp,
};

static inline __attribute__((always_inline)) const struct hcall_slot *hcall_find(u32 fid)
{
	u32 owner = (u32)FIELD_GET(FID_OWNER, fid), fn = fid & FID_FN;
	const struct hcall_owner *o;
	const struct hcall_slot *s;

	if ((fid & (FID_FAST | FID_MBZ)) != FID_FAST || owner >= ARRAY_SIZE(hcall_owners))
		return NULL;
	o = hcall_owners[owner];
	if (fn >= NR_DIRECT) /* only the queries are above the direct numbers */
		fn = fn - FID_QUERY_BASE < NR_QUERY ? Q(fn - FID_QUERY_BASE) : ~0u;
	if (!o || fn == ~0u)
		return NULL;
	s = &o->s[fn];
	return (s->convs & ((fid & FID_SMC64) ? C64 : C32)) ? s : NULL;
}

/* Every slot that claims a convention names a handler, and every handler
 * exists: checked at boot. */
bool hcall_table_ok(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(hcall_owners); i++)
		for (u32 n = 0; hcall_owners[i] && n < NR_DIRECT + NR_QUERY; n++) {
			const struct hcall_slot *s = &hcall_owners[i]->s[n];
			if (s->convs && (s->fn == H_NONE || s->fn >= H_COUNT || !hcall_fns[s->fn]))
				return false;
		}
	return true;
}

static bool hcall_known(u32 fid)
{
	return hcall_find(fid) != NULL;
}

void hcall_dispatch(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	const struct hcall_slot *s = hcall_find(a->fid);

	r->nr_ret = 1;
	if (!s) {
		r->r[0] = SMCCC_RET_NOT_SUPPORTED;
		return;
	}
	hcall_fns[s->fn](v, a, r);
}

void hcall_run(struct vcpu *v)
{
	struct hcall_args a;
	struct hcall_ret r;

	hcall_decode(v->ctx.x, &a);
	hcall_dispatch(v, &a, &r);
	v->ctx.x[0] = (u64)r.r[0];
	for (u32 i = 1; i < r.nr_ret; i++)
		v->ctx.x[i] = (u64)r.r[i];
}
