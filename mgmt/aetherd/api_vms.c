/* /api/v1/node and /api/v1/vms...: the node and its VMs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "aetherd.h"

#define CONSOLE_READ_MAX (64 * 1024)
#define CONSOLE_INPUT_MAX 4096

static enum MHD_Result get_node(struct api_req *r)
{
	struct mgmt_node_info ni;
	int rc = mgmt_node_info(aetherd_lock(), &ni);

	aetherd_unlock();
	return rc ? aetherd_mgmt_error(r, rc)
		  : aetherd_json(r, MHD_HTTP_OK, aetherd_node_json(&ni));
}

static enum MHD_Result list_vms(struct api_req *r)
{
	static struct mgmt_vm_info v[AETHERD_MAX_VMS]; /* only the MHD thread uses it */
	int n = mgmt_vm_list(aetherd_lock(), v, AETHERD_MAX_VMS);
	json_t *a;

	aetherd_unlock();
	if (n < 0)
		return aetherd_mgmt_error(r, n);
	a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, aetherd_vm_json(&v[i], 0));
	return aetherd_json(r, MHD_HTTP_OK, a);
}

static enum MHD_Result get_vm(struct api_req *r)
{
	struct mgmt_vm_info v;
	int rc = aetherd_find_vm(aetherd_lock(), aetherd_param(r, 0), &v);

	aetherd_unlock();
	return rc < 0 ? aetherd_mgmt_error(r, rc)
		      : aetherd_json(r, MHD_HTTP_OK, aetherd_vm_json(&v, 1));
}

static enum MHD_Result get_stats(struct api_req *r)
{
	struct mgmt *m = aetherd_lock();
	struct mgmt_vm_info v;
	struct mgmt_vm_stats s;
	int rc = aetherd_find_vm(m, aetherd_param(r, 0), &v);

	if (rc >= 0)
		rc = mgmt_vm_stats(m, v.id, &s);
	aetherd_unlock();
	return rc < 0 ? aetherd_mgmt_error(r, rc)
		      : aetherd_json(r, MHD_HTTP_OK, aetherd_stats_json(&v, &s));
}

/* A query argument that must be a decimal number when present. */
static int query_u64(struct api_req *r, const char *key, uint64_t dflt, uint64_t *out)
{
	const char *s = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
	char *end = NULL;

	*out = dflt;
	if (!s)
		return 0;
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (!*s || *end || errno || *s == '-') {
		aetherd_error(r, MHD_HTTP_BAD_REQUEST, "%s must be a non-negative integer", key);
		return -1;
	}
	return 0;
}

static enum MHD_Result read_console(struct api_req *r)
{
	static unsigned char buf[CONSOLE_READ_MAX];
	uint64_t off, max, first, next;
	struct mgmt_vm_info v;
	size_t len, used;
	struct mgmt *m;
	json_t *data;
	int rc;

	if (query_u64(r, "offset", 0, &off) < 0 || query_u64(r, "max", CONSOLE_READ_MAX, &max) < 0)
		return MHD_YES;
	if (max > CONSOLE_READ_MAX)
		max = CONSOLE_READ_MAX;
	m = aetherd_lock();
	rc = aetherd_find_vm(m, aetherd_param(r, 0), &v);
	if (rc >= 0)
		rc = mgmt_console_read(m, v.id, off, buf, max, &first, &next, &len);
	aetherd_unlock();
	if (rc < 0)
		return aetherd_mgmt_error(r, rc);
	data = aetherd_console_string(buf, len, &used);
	return aetherd_json(r, MHD_HTTP_OK,
			    json_pack("{s:s, s:I, s:I, s:o}", "name", v.name, "offset",
				      (json_int_t)first, "next", (json_int_t)(first + used), "data",
				      data));
}

static enum MHD_Result write_console(struct api_req *r)
{
	json_t *j = aetherd_body_object(r), *in;
	struct mgmt_vm_info v;
	struct mgmt *m;
	size_t len;
	int rc;

	if (!j)
		return MHD_YES;
	in = json_object_get(j, "input");
	if (!json_is_string(in)) {
		json_decref(j);
		return aetherd_error(r, MHD_HTTP_BAD_REQUEST, "\"input\" must be a string");
	}
	len = json_string_length(in);
	if (len > CONSOLE_INPUT_MAX) {
		json_decref(j);
		return aetherd_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "input longer than %d bytes",
				     CONSOLE_INPUT_MAX);
	}
	m = aetherd_lock();
	rc = aetherd_find_vm(m, aetherd_param(r, 0), &v);
	if (rc >= 0)
		rc = mgmt_console_write(m, v.id, json_string_value(in), len);
	aetherd_unlock();
	json_decref(j);
	if (rc < 0)
		return aetherd_mgmt_error(r, rc);
	return aetherd_json(r, MHD_HTTP_OK, json_pack("{s:s, s:i}", "name", v.name, "queued", rc));
}

/* start|stop|kill|restart.  The management VM is refused here already
 * (409), before the node would refuse it too: the daemon must never end
 * the VM it runs in. */
static enum MHD_Result action(struct api_req *r, uint32_t op, const char *verb)
{
	struct mgmt *m = aetherd_lock();
	struct mgmt_vm_info v;
	int rc = aetherd_find_vm(m, aetherd_param(r, 0), &v);

	if (rc >= 0 && (v.flags & MGMT_VMF_MANAGEMENT)) {
		aetherd_unlock();
		return aetherd_error(r, MHD_HTTP_CONFLICT,
				     "the management VM cannot %s itself through the API", verb);
	}
	if (rc >= 0)
		rc = mgmt_vm_action(m, v.id, op);
	if (rc >= 0)
		rc = mgmt_vm_info(m, v.id, &v);
	aetherd_unlock();
	if (rc < 0)
		return aetherd_mgmt_error(r, rc);
	return aetherd_json(r, MHD_HTTP_OK, aetherd_vm_json(&v, 0));
}

static enum MHD_Result do_start(struct api_req *r)
{
	return action(r, MGMT_OP_VM_START, "start");
}
static enum MHD_Result do_stop(struct api_req *r)
{
	return action(r, MGMT_OP_VM_STOP, "stop");
}
static enum MHD_Result do_kill(struct api_req *r)
{
	return action(r, MGMT_OP_VM_KILL, "kill");
}
static enum MHD_Result do_restart(struct api_req *r)
{
	return action(r, MGMT_OP_VM_RESTART, "restart");
}

static enum MHD_Result get_history(struct api_req *r)
{
	return aetherd_json(r, MHD_HTTP_OK, aetherd_history_json());
}

static const struct aetherd_route vm_routes[] = {
	{"GET", "/api/v1/node", get_node},
	{"GET", "/api/v1/vms", list_vms},
	{"GET", "/api/v1/vms/{name}", get_vm},
	{"GET", "/api/v1/vms/{name}/stats", get_stats},
	{"GET", "/api/v1/vms/{name}/console", read_console},
	{"POST", "/api/v1/vms/{name}/console", write_console},
	{"POST", "/api/v1/vms/{name}/start", do_start},
	{"POST", "/api/v1/vms/{name}/stop", do_stop},
	{"POST", "/api/v1/vms/{name}/kill", do_kill},
	{"POST", "/api/v1/vms/{name}/restart", do_restart},
	{"GET", "/api/v1/history", get_history},
	{"GET", "/api/v1/events", aetherd_events_open},
};
AETHERD_ROUTES(vm_routes)
