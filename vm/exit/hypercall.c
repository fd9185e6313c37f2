/* SMCCC hypercall dispatch.  Every call is decoded into struct hcall_args,
 * looked up in a table sorted by function ID, validated by its handler, and
 * only then acted on; unknown IDs return NOT_SUPPORTED and change nothing. */
#include "vm/exit/hypercall.h"
#include "lib/keytab.h"
#include "aether_abi.h"
#include "vm/dev/uart.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"
#include "arch/pmu.h"

#define FID_SMC64 BIT(30)

typedef void (*hcall_fn)(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r);

struct hcall_entry {
	u32 fid; /* the key: first, a u32 (include/lib/keytab.h) */
	hcall_fn fn;
};
KEYTAB_CHECK(struct hcall_entry, fid);

void hcall_decode(const u64 *x, struct hcall_args *out)
{
	out->fid = (u32)x[0];
	out->smc64 = (out->fid & FID_SMC64) != 0;
	for (int i = 0; i < 7; i++)
		out->a[i] = out->smc64 ? x[i + 1] : (u32)x[i + 1];
}

static void hc_smccc_version(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	r->r[0] = 0x10001; /* SMCCC 1.1 */
}

static bool hcall_known(u32 fid);

static void hc_arch_features(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	u32 q = (u32)a->a[0];

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
	u64 len = a->a[1];

	if (len > sizeof(buf) || !vm_read_guest(v->vm, ipa_init(a->a[0]), buf, len)) {
		r->r[0] = PSCI_RET_INVALID_PARAMETERS;
		return;
	}
	for (u64 i = 0; u && i < len; i++)
		vpl011_ops.write(u, v, 0, 1, (u8)buf[i]);
	r->r[0] = (s64)len;
}

static void hc_exit_count(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	if (a->a[0] >= EXIT_KINDS) {
		r->r[0] = PSCI_RET_INVALID_PARAMETERS;
		return;
	}
	r->r[0] = (s64)v->vm->exits[a->a[0]];
}

static void hc_echo(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	for (int i = 0; i < 4; i++)
		r->r[i] = (s64)a->a[i];
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

/* Sorted by fid: checked at boot (hcall_table_ok). */
static const struct hcall_entry hcall_table[] = {
	{SMCCC_VERSION, hc_smccc_version},
	{SMCCC_ARCH_FEATURES, hc_arch_features},
	{PSCI_VERSION, hc_psci},
	{PSCI_CPU_SUSPEND_32, hc_psci},
	{PSCI_CPU_OFF, hc_psci},
	{PSCI_CPU_ON_32, hc_psci},
	{PSCI_AFFINITY_INFO_32, hc_psci},
	{PSCI_MIGRATE_INFO_TYPE, hc_psci},
	{PSCI_SYSTEM_OFF, hc_psci},
	{PSCI_SYSTEM_RESET, hc_psci},
	{PSCI_FEATURES, hc_psci},
	{AETHER_HC_CALL_UID, hc_uid},
	{AETHER_HC_REVISION, hc_revision},
	{PSCI_CPU_SUSPEND_64, hc_psci},
	{PSCI_CPU_ON_64, hc_psci},
	{PSCI_AFFINITY_INFO_64, hc_psci},
	{AETHER_HC_VM_INFO, hc_vm_info},
	{AETHER_HC_CONSOLE_WRITE, hc_console_write},
	{AETHER_HC_EXIT_COUNT, hc_exit_count},
	{AETHER_HC_ECHO, hc_echo},
	{AETHER_HC_RESTARTS, hc_restarts},
	{AETHER_HC_EL2_INSNS, hc_el2_insns},
};

bool hcall_table_ok(void)
{
	return KEYTAB_SORTED(hcall_table);
}

static const struct hcall_entry *hcall_find(u32 fid)
{
	return KEYTAB_FIND(hcall_table, fid);
}

static bool hcall_known(u32 fid)
{
	return hcall_find(fid) != NULL;
}

void hcall_dispatch(struct vcpu *v, const struct hcall_args *a, struct hcall_ret *r)
{
	const struct hcall_entry *e = hcall_find(a->fid);

	r->nr_ret = 1;
	if (!e) {
		r->r[0] = SMCCC_RET_NOT_SUPPORTED;
		return;
	}
	e->fn(v, a, r);
}
