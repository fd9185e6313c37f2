/* Status and telemetry documents (called with the agent lock held).
 *
 * status (retained): {"v","node","state":"online"|"offline","ts",
 *                     "info":{node info},"vms":[{vm}...]}
 * telemetry:         {"v","node","ts","seq","vms":[{vm..., "stats":{...}}]} */
#include "agent_int.h"

#include <stdlib.h>
#include <string.h>

json_t *agent_vm_list_json(struct agent *a, bool with_stats)
{
	static __thread struct mgmt_vm_info vms[AGENT_MAX_VMS];
	json_t *arr = json_array();
	int n = mgmt_vm_list(a->cfg.mgmt, vms, AGENT_MAX_VMS);

	for (int i = 0; i < n; i++) {
		json_t *vm = fab_vm_json(&vms[i]);
		struct mgmt_vm_stats st;

		if (with_stats && mgmt_vm_stats(a->cfg.mgmt, vms[i].id, &st) == MGMT_OK)
			json_object_set_new(vm, "stats", fab_stats_json(&st));
		json_array_append_new(arr, vm);
	}
	return arr;
}

void agent_publish_json(struct agent *a, const char *topic, json_t *doc, int qos, bool retain,
			const mosquitto_property *props)
{
	char *s = json_dumps(doc, JSON_COMPACT);

	json_decref(doc);
	if (!s)
		return;
	mosquitto_publish_v5(a->mosq, NULL, topic, (int)strlen(s), s, qos, retain, props);
	free(s);
}

/* True when the VM count or any state differs from what was last published. */
static bool states_changed(struct agent *a, const struct mgmt_vm_info *vms, int n)
{
	bool changed = n != a->last_count;

	for (int i = 0; i < n && i < AGENT_MAX_VMS; i++) {
		changed |= a->last_states[i] != vms[i].state;
		a->last_states[i] = vms[i].state;
	}
	a->last_count = n;
	return changed;
}

/* state NULL: publish "online" only when a VM changed state. */
void agent_publish_status(struct agent *a, const char *state)
{
	static __thread struct mgmt_vm_info vms[AGENT_MAX_VMS];
	struct mgmt_node_info ni;
	json_t *doc, *arr;
	int n = mgmt_vm_list(a->cfg.mgmt, vms, AGENT_MAX_VMS);

	if (n < 0)
		n = 0;
	if (!states_changed(a, vms, n) && !state)
		return;
	arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, fab_vm_json(&vms[i]));
	doc = json_pack("{s:i, s:s, s:s, s:I, s:o}", "v", FAB_VERSION, "node", a->node, "state",
			state ? state : "online", "ts", (json_int_t)agent_now(a), "vms", arr);
	if (mgmt_node_info(a->cfg.mgmt, &ni) == MGMT_OK)
		json_object_set_new(doc, "info", fab_node_info_json(&ni));
	agent_publish_json(a, a->t_status, doc, 1, true, NULL);
}
