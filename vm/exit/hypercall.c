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

/* Every handler reads its arguments from x (the caller's x0..x17) and writes
 * its results to out[0..n-1], returning n (at least 1).  A leaf call (LEAF
 * in its slot) touches nothing but its results: no vCPU, vGIC or scheduler
 * state, no other VM, no guest memory; the short path (hcall_fast) runs it
 * with out being x itself, so it reads every argument before it writes the
 * first result. */
typedef u64 (*hcall_fn)(struct vcpu *v, const u64 *x, u64 *out);

/* Argument n (0 = x1), narrowed for the SMC32/HVC32 convention (W0 bit 30
 * clear) at the read. */
static inline u64 leaf_arg(const u64 *x, unsigned n)
{
	return (x[0] & BIT(30)) ? x[n + 1] : (u32)x[n + 1];
}

static u64 hc_smccc_version(struct vcpu *v, const u64 *x, u64 *out)
{
	out[0] = 0x10001; /* SMCCC 1.1 */
	return 1;
}

static bool hcall_known(u32 fid);

static __cold u64 hc_arch_features(struct vcpu *v, const u64 *x, u64 *out)
{
	u32 q = (u32)leaf_arg(x, 0);

	/* Only calls this table answers count; the Spectre workaround calls
	 * are not offered. */
	out[0] = (q != SMCCC_VERSION && hcall_known(q)) ? SMCCC_RET_SUCCESS
							: (u64)SMCCC_RET_NOT_SUPPORTED;
	return 1;
}

static __cold u64 hc_psci(struct vcpu *v, const u64 *x, u64 *out)
{
	struct hcall_args a;

	hcall_decode(x, &a);
	out[0] = (u64)psci_call(v, &a);
	return 1;
}

static u64 hc_uid(struct vcpu *v, const u64 *x, u64 *out)
{
	out[0] = AETHER_UID_0;
	out[1] = AETHER_UID_1;
	out[2] = AETHER_UID_2;
	out[3] = AETHER_UID_3;
	return 4;
}

static u64 hc_revision(struct vcpu *v, const u64 *x, u64 *out)
{
	out[0] = AETHER_REV_MAJOR;
	out[1] = AETHER_REV_MINOR;
	return 2;
}

static u64 hc_vm_info(struct vcpu *v, const u64 *x, u64 *out)
{
	out[0] = SMCCC_RET_SUCCESS;
	out[1] = v->vm->id;
	out[2] = v->id;
	out[3] = v->vm->nr_vcpus;
	return 4;
}

static __cold u64 hc_console_write(struct vcpu *v, const u64 *x, u64 *out)
{
	char buf[AETHER_CONSOLE_WRITE_MAX];
	struct vpl011 *u = vm_uart(v->vm);
	u64 len = leaf_arg(x, 1);

	if (len > sizeof(buf) || !vm_read_guest(v->vm, ipa_init(leaf_arg(x, 0)), buf, len)) {
		out[0] = (u64)PSCI_RET_INVALID_PARAMETERS;
		return 1;
	}
	for (u64 i = 0; u && i < len; i++)
		vpl011_ops.write(u, v, 0, 1, (u8)buf[i]);
	out[0] = len;
	return 1;
}

static u64 hc_exit_count(struct vcpu *v, const u64 *x, u64 *out)
{
	u64 kind = leaf_arg(x, 0);

	out[0] = kind < EXIT_KINDS ? vm_exits(v->vm, kind) : (u64)PSCI_RET_INVALID_PARAMETERS;
	return 1;
}

static u64 hc_echo(struct vcpu *v, const u64 *x, u64 *out)
{
	u64 a0 = leaf_arg(x, 0), a1 = leaf_arg(x, 1), a2 = leaf_arg(x, 2), a3 = leaf_arg(x, 3);

	out[0] = a0;
	out[1] = a1;
	out[2] = a2;
	out[3] = a3;
	return 4;
}

static u64 hc_restarts(struct vcpu *v, const u64 *x, u64 *out)
{
	out[0] = v->vm->restarts;
	return 1;
}

/* For benchmarks: the hypervisor's own instruction count on this CPU.
 * It says how long EL2 ran, never what it did. */
static u64 hc_el2_insns(struct vcpu *v, const u64 *x, u64 *out)
{
	out[0] = pmu_el2_instructions();
	return 1;
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
	[H_PSCI] = hc_psci,
	[H_CONSOLE] = hc_console_write,
	[H_VERSION] = hc_smccc_version,
	[H_FEATURES] = hc_arch_features,
	[H_UID] = hc_uid,
	[H_REVISION] = hc_revision,
	[H_VM_INFO] = hc_vm_info,
	[H_EXIT_COUNT] = hc_exit_count,
	[H_ECHO] = hc_echo,
	[H_RESTARTS] = hc_restarts,
	[H_EL2_INSNS] = hc_el2_insns,
};

#define C32 1u	     /* the SMC32/HVC32 form exists */
#define C64 2u	     /* the SMC64/HVC64 form exists */
#define LEAF 4u	     /* a leaf call: the short path may run it */
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
		[0] = {H_VERSION, C32 | LEAF},	/* SMCCC_VERSION */
		[1] = {H_FEATURES, C32 | LEAF}, /* SMCCC_ARCH_FEATURES */
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
		[1] = {H_VM_INFO, C64 | LEAF},
		[2] = {H_CONSOLE, C64},
		[3] = {H_EXIT_COUNT, C64 | LEAF},
		[4] = {H_ECHO, C32 | C64 | LEAF},
		[5] = {H_RESTARTS, C64 | LEAF},
		[6] = {H_EL2_INSNS, C64 | LEAF},
		[Q(1)] = {H_UID, C32 | LEAF},	   /* Call UID */
		[Q(3)] = {H_REVISION, C32 | LEAF}, /* Revision */
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
__attribute__((cold)) bool hcall_table_ok(void)
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
	r->nr_ret = (u32)hcall_fns[s->fn](v, a->x, (u64 *)r->r);
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

/* The short path's table: leaf calls by a hash of the function ID, built
 * at boot from the owner tables.  The slot holds the full ID, so a call
 * runs here only on an exact match (convention, owner, number, reserved
 * bits); a call that finds another ID in its slot (two leaf IDs sharing
 * one) takes the general path, which answers every ID. */
#define NR_FAST 32
#define FAST_SLOT(fid) (((fid) ^ ((fid) >> 26)) & (NR_FAST - 1))

struct hcall_fast_ent {
	u32 fid;
	hcall_fn fn;
};

static struct hcall_fast_ent hcall_fast_tab[NR_FAST];

/* Once at boot: built for size (cold). */
__attribute__((cold)) void hcall_fast_build(void)
{
	for (u32 o = 0; o < ARRAY_SIZE(hcall_owners); o++)
		for (u32 n = 0; hcall_owners[o] && n < NR_DIRECT + NR_QUERY; n++) {
			const struct hcall_slot *s = &hcall_owners[o]->s[n];
			u32 fn = n < NR_DIRECT ? n : FID_QUERY_BASE + n - NR_DIRECT;

			for (u32 c = C32; c <= C64 && (s->convs & LEAF); c <<= 1) {
				u32 fid = FID_FAST | (c == C64 ? FID_SMC64 : 0) | (o << 24) | fn;
				struct hcall_fast_ent *e = &hcall_fast_tab[FAST_SLOT(fid)];

				if ((s->convs & c) && !e->fn)
					*e = (struct hcall_fast_ent){fid, hcall_fns[s->fn]};
			}
		}
	/* An empty slot must hold an ID that hashes elsewhere, so that it
	 * matches nothing: 0 does, except in 0's own slot, where 1 does. */
	if (!hcall_fast_tab[FAST_SLOT(0u)].fn)
		hcall_fast_tab[FAST_SLOT(0u)].fid = 1;
}

/* A leaf call by the short path's table: the HVC exit counted, the call
 * run and its results written into v's saved x0..x3, returning their
 * number; 0 when the ID is not in the table (nothing changed).  noinline: the
 * short path tail-calls it with the arguments where they arrived; inlined
 * there (LTO), it would cost every other exit through handle_guest_sync_fast
 * the moves that keep them. */
__attribute__((noinline)) u64 hcall_fast(u64 x0, struct vcpu *v)
{
	const struct hcall_fast_ent *e = &hcall_fast_tab[FAST_SLOT((u32)x0)];

	if (e->fid != (u32)x0)
		return 0;
	v->exits[EXIT_HVC]++;
	return e->fn(v, v->ctx.x, v->ctx.x);
}
