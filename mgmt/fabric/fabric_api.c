/* The public calls behind the HTTP API: node views and issuing commands,
 * with the checks the central node can make before anything is sent (the
 * same answers the local API gives for an unknown VM, an action on the
 * management VM, or a state that forbids it). */
#include "fabric_int.h"

#include <stdio.h>
#include <string.h>

json_t *fabric_nodes_json(struct fabric *f)
{
	int64_t now = fab_mono_ms();
	json_t *arr = json_array();

	pthread_mutex_lock(&f->lock);
	for (unsigned i = 0; i < f->nr_nodes; i++)
		json_array_append_new(arr, fab_node_doc(f, &f->nodes[i], now));
	pthread_mutex_unlock(&f->lock);
	return arr;
}

json_t *fabric_node_json(struct fabric *f, const char *node)
{
	struct fab_node *n;
	json_t *d = NULL;

	if (!fab_node_id_valid(node))
		return NULL;
	pthread_mutex_lock(&f->lock);
	n = fab_node_get(f, node);
	if (n)
		d = fab_node_doc(f, n, fab_mono_ms());
	pthread_mutex_unlock(&f->lock);
	return d;
}

static json_t *find_vm(const struct fab_node *n, const char *vm)
{
	json_t *v;
	size_t i;

	json_array_foreach(n->vms, i, v)
	{
		const char *name = json_string_value(json_object_get(v, "name"));
		if (name && strcmp(name, vm) == 0)
			return v;
	}
	return NULL;
}

/* What the last status says about op on vm: 0 if it may go, else an HTTP
 * status.  A worker that never reported is not second-guessed. */
static int precheck(const struct fab_node *n, enum fab_op op, const char *vm, char *err,
		    size_t errlen)
{
	const char *state;
	json_t *v;

	if (op == FAB_OP_LIST || !n->last_seen)
		return 0;
	v = find_vm(n, vm);
	if (!v) {
		snprintf(err, errlen, "node %s has no VM '%s'", n->id, vm);
		return 404;
	}
	if (json_is_true(json_object_get(v, "management"))) {
		snprintf(err, errlen, "the management VM cannot be %sed remotely", fab_op_name(op));
		return 409;
	}
	state = json_string_value(json_object_get(v, "state"));
	if (op == FAB_OP_DEPLOY && !json_is_true(json_object_get(v, "slot"))) {
		snprintf(err, errlen, "VM '%s' is not a slot", vm);
		return 409;
	}
	if (op == FAB_OP_START && state && !strcmp(state, "empty")) {
		snprintf(err, errlen, "slot '%s' has nothing deployed", vm);
		return 409;
	}
	return 0;
}

int fabric_command(struct fabric *f, const char *node, const char *op, const char *vm, json_t *args,
		   int ttl_s, char id[FAB_CMDID_MAX], char *err, size_t errlen)
{
	enum fab_op o = fab_op_parse(op);
	struct fab_node *n;
	int rc;

	if (o == FAB_OP_NONE ||
	    (o != FAB_OP_LIST && (!vm || !vm[0] || strlen(vm) >= MGMT_NAME_MAX))) {
		snprintf(err, errlen, "unknown operation or VM name");
		return 400;
	}
	if (!fab_node_id_valid(node)) {
		snprintf(err, errlen, "invalid node id");
		return 404;
	}
	pthread_mutex_lock(&f->lock);
	n = fab_node_get(f, node);
	if (!n) {
		snprintf(err, errlen, "no node '%s' is provisioned", node);
		rc = 404;
	} else if (!f->connected) {
		snprintf(err, errlen, "not connected to the broker");
		rc = 503;
	} else {
		rc = precheck(n, o, vm, err, errlen);
		if (rc == 0)
			rc = fab_send(f, n, o, vm, args, ttl_s, id, err, errlen);
	}
	pthread_mutex_unlock(&f->lock);
	return rc;
}

int fabric_deploy(struct fabric *f, const char *node, const char *vm, const void *kernel,
		  size_t klen, const void *initrd, size_t ilen, const char *bootargs,
		  char id[FAB_CMDID_MAX], char *err, size_t errlen)
{
	char khex[65], ihex[65];
	struct fab_node *n;
	json_t *args;
	int rc;

	if (!kernel || !klen || !fab_image_store(f, kernel, klen, khex) ||
	    (initrd && ilen && !fab_image_store(f, initrd, ilen, ihex))) {
		snprintf(err, errlen, "cannot store the image");
		return kernel && klen ? 500 : 400;
	}
	pthread_mutex_lock(&f->lock);
	n = fab_node_id_valid(node) ? fab_node_get(f, node) : NULL;
	args = n ? json_pack("{s:o, s:s}", "kernel", fab_image_spec(f, n, khex, klen), "bootargs",
			     bootargs ? bootargs : "")
		 : NULL;
	if (n && initrd && ilen)
		json_object_set_new(args, "initrd", fab_image_spec(f, n, ihex, ilen));
	pthread_mutex_unlock(&f->lock);
	rc = fabric_command(f, node, "deploy", vm, args, 0, id, err, errlen);
	json_decref(args);
	return rc;
}
