/* JSON views of the management ABI's structs: the API's field names. */
#include <stdlib.h>
#include <string.h>

#include "aetherd.h"

const char *const aetherd_exit_kinds[MGMT_EXIT_KINDS] = {
	"hvc", "smc", "sysreg", "mmio", "abort_injected", "wfx", "irq", "undef_injected", "other",
};

static const char *const end_reasons[] = {"none", "poweroff", "reset", "fault", "all_cpus_off"};

const char *aetherd_state_name(uint32_t state)
{
	static const char *const names[] = {"empty", "running", "stopped", "crashed", "restarting"};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

static json_int_t mib(uint64_t bytes)
{
	return (json_int_t)(bytes >> 20);
}

/* Bootargs come from a deploy: not necessarily valid UTF-8. */
static json_t *bootargs_json(const char *s)
{
	size_t used;

	return aetherd_console_string((const unsigned char *)s, strlen(s), &used);
}

json_t *aetherd_vm_json(const struct mgmt_vm_info *v, int full)
{
	json_t *j =
		json_pack("{s:s, s:i, s:s, s:i, s:I, s:I, s:i, s:b, s:b}", "name", v->name, "id",
			  (json_int_t)v->id, "state", aetherd_state_name(v->state), "vcpus",
			  (json_int_t)v->nr_vcpus, "memory_mib", mib(v->memory_bytes), "uptime_s",
			  (json_int_t)(v->uptime_ns / 1000000000ull), "restarts",
			  (json_int_t)v->restarts, "management", !!(v->flags & MGMT_VMF_MANAGEMENT),
			  "slot", !!(v->flags & MGMT_VMF_SLOT));
	json_t *cpus;
	uint32_t n = v->nr_vcpus < MGMT_MAX_VCPUS ? v->nr_vcpus : MGMT_MAX_VCPUS;

	if (!j || !full)
		return j;
	cpus = json_array();
	for (uint32_t i = 0; i < n; i++)
		json_array_append_new(cpus, json_integer(v->vcpu_cpu[i]));
	json_object_set_new(j, "vcpu_cpus", cpus);
	json_object_set_new(j, "identity", json_boolean(v->flags & MGMT_VMF_IDENTITY));
	json_object_set_new(j, "on_exit",
			    json_string(v->flags & MGMT_VMF_RESTART ? "restart" : "off"));
	json_object_set_new(j, "ram_ipa", json_integer((json_int_t)v->ram_ipa));
	json_object_set_new(j, "image_bytes", json_integer((json_int_t)v->image_bytes));
	json_object_set_new(j, "initrd_bytes", json_integer((json_int_t)v->initrd_bytes));
	json_object_set_new(j, "bootargs", bootargs_json(v->bootargs));
	json_object_set_new(
		j, "last_end",
		json_string(v->end_reason < 5 ? end_reasons[v->end_reason] : "unknown"));
	return j;
}

json_t *aetherd_stats_json(const struct mgmt_vm_info *v, const struct mgmt_vm_stats *s)
{
	json_t *exits = json_object(), *run = json_array();
	uint64_t total = 0;
	uint32_t n = s->nr_vcpus < MGMT_MAX_VCPUS ? s->nr_vcpus : MGMT_MAX_VCPUS;

	for (int k = 0; k < MGMT_EXIT_KINDS; k++) {
		json_object_set_new(exits, aetherd_exit_kinds[k],
				    json_integer((json_int_t)s->exits[k]));
		total += s->exits[k];
	}
	for (uint32_t i = 0; i < n; i++)
		json_array_append_new(run, json_integer((json_int_t)s->vcpu_run_ns[i]));
	return json_pack("{s:s, s:s, s:o, s:I, s:I, s:I, s:o, s:i, s:I}", "name", v->name, "state",
			 aetherd_state_name(v->state), "exits", exits, "exits_total",
			 (json_int_t)total, "stage2_faults", (json_int_t)s->stage2_faults,
			 "irqs_injected", (json_int_t)s->irqs_injected, "vcpu_run_ns", run,
			 "restarts", (json_int_t)s->restarts, "console_bytes",
			 (json_int_t)s->console_bytes);
}

json_t *aetherd_node_json(const struct mgmt_node_info *n)
{
	return json_pack("{s:i, s:I, s:I, s:s, s:I, s:i, s:s, s:i, s:s}", "cpus",
			 (json_int_t)n->cpus, "memory_mib", mib(n->memory_bytes), "free_mib",
			 mib(n->free_bytes), "version", n->version, "uptime_s",
			 (json_int_t)(n->uptime_ns / 1000000000ull), "vms", (json_int_t)n->nr_vms,
			 "gic", n->gic, "abi_version", (json_int_t)n->abi_version, "role",
			 "central");
}

/* Length of a valid UTF-8 sequence at p (1..4), 0 when invalid, -1 when it
 * is cut off by the end of the buffer. */
static int utf8_seq(const unsigned char *p, size_t left)
{
	unsigned char c = p[0];
	int n = c < 0x80		? 1
		: c >= 0xc2 && c < 0xe0 ? 2
		: c >= 0xe0 && c < 0xf0 ? 3
		: c >= 0xf0 && c < 0xf5 ? 4
					: 0;

	if (n <= 1)
		return n;
	for (int i = 1; i < n; i++) {
		if ((size_t)i >= left)
			return -1;
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	}
	if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0) ||
	    (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
		return 0; /* overlong, surrogate or past U+10FFFF */
	return n;
}

json_t *aetherd_console_string(const unsigned char *p, size_t len, size_t *used)
{
	char *out = malloc(len * 3 + 1);
	size_t i = 0, o = 0;
	json_t *j;

	if (!out)
		return NULL;
	while (i < len) {
		int n = utf8_seq(p + i, len - i);

		if (n < 0)
			break; /* the rest arrives with the next read */
		if (n == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, p + i, (size_t)n);
		o += (size_t)n;
		i += (size_t)n;
	}
	*used = i;
	j = json_stringn(out, o);
	free(out);
	return j;
}
