/* The transport-independent half of the management client: builds requests,
 * checks responses, chunks bulk data through the window. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt_transport.h"

struct mgmt *mgmt_alloc(const struct mgmt_ops *ops, void *priv)
{
	struct mgmt *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->data = malloc(MGMT_DATA_MAX);
	if (!m->data) {
		free(m);
		return NULL;
	}
	m->ops = ops;
	m->priv = priv;
	m->seq = 1;
	return m;
}

void mgmt_close(struct mgmt *m)
{
	if (!m)
		return;
	if (m->ops->close)
		m->ops->close(m);
	free(m->data);
	free(m);
}

const char *mgmt_last_error(const struct mgmt *m)
{
	return m->err;
}

const char *mgmt_strerror(int status)
{
	switch (status) {
	case MGMT_OK: return "ok";
	case MGMT_E_INVAL: return "invalid request";
	case MGMT_E_NOVM: return "no such VM";
	case MGMT_E_STATE: return "not valid in the VM's current state";
	case MGMT_E_TOOBIG: return "too large";
	case MGMT_E_DIGEST: return "SHA-256 mismatch";
	case MGMT_E_IMAGE: return "image refused by the loader";
	case MGMT_E_PERM: return "not allowed";
	case MGMT_E_NOTSUP: return "not supported";
	default: return "unknown error";
	}
}

/* One request/response.  The payload is left in m->data, resp->data_len
 * bytes of it, checked against the window. */
int mgmt_rpc(struct mgmt *m, uint32_t op, uint32_t vm, const uint64_t *arg, const void *in,
	     size_t in_len, struct mgmt_resp *resp)
{
	struct mgmt_req req;
	int rc;

	if (in_len > MGMT_DATA_MAX)
		return MGMT_E_TOOBIG;
	memset(&req, 0, sizeof(req));
	req.op = op;
	req.seq = m->seq++;
	req.vm = vm;
	req.data_len = (uint32_t)in_len;
	if (arg)
		memcpy(req.arg, arg, sizeof(req.arg));
	memset(resp, 0, sizeof(*resp));
	m->err[0] = 0;
	rc = m->ops->call(m, &req, in, resp, m->data);
	if (rc < 0)
		return rc;
	if (resp->seq != req.seq || resp->data_len > MGMT_DATA_MAX) {
		snprintf(m->err, sizeof(m->err), "bad response (seq %u for %u, %u bytes)",
			 resp->seq, req.seq, resp->data_len);
		return MGMT_E_INVAL;
	}
	resp->msg[sizeof(resp->msg) - 1] = 0;
	if (resp->status != MGMT_OK)
		snprintf(m->err, sizeof(m->err), "%s",
			 resp->msg[0] ? resp->msg : mgmt_strerror(resp->status));
	return resp->status;
}

/* A response whose payload must be exactly one struct of len bytes. */
static int rpc_struct(struct mgmt *m, uint32_t op, uint32_t vm, void *out, size_t len)
{
	struct mgmt_resp resp;
	int rc = mgmt_rpc(m, op, vm, NULL, NULL, 0, &resp);

	if (rc != MGMT_OK)
		return rc;
	if (resp.data_len != len) {
		snprintf(m->err, sizeof(m->err), "op %u: %u bytes, want %zu", op, resp.data_len,
			 len);
		return MGMT_E_INVAL;
	}
	memcpy(out, m->data, len);
	return MGMT_OK;
}

int mgmt_node_info(struct mgmt *m, struct mgmt_node_info *out)
{
	int rc = rpc_struct(m, MGMT_OP_NODE_INFO, 0, out, sizeof(*out));

	if (rc == MGMT_OK)
		out->version[sizeof(out->version) - 1] = out->gic[sizeof(out->gic) - 1] = 0;
	return rc;
}

static void terminate_info(struct mgmt_vm_info *v)
{
	v->name[MGMT_NAME_MAX - 1] = 0;
	v->bootargs[MGMT_BOOTARGS_MAX - 1] = 0;
}

int mgmt_vm_list(struct mgmt *m, struct mgmt_vm_info *out, unsigned max)
{
	struct mgmt_resp resp;
	int rc = mgmt_rpc(m, MGMT_OP_VM_LIST, 0, NULL, NULL, 0, &resp);
	uint64_t n;

	if (rc != MGMT_OK)
		return rc;
	n = resp.ret[0];
	if (n > MGMT_DATA_MAX / sizeof(*out) || resp.data_len != n * sizeof(*out)) {
		snprintf(m->err, sizeof(m->err), "VM list: %llu entries in %u bytes",
			 (unsigned long long)n, resp.data_len);
		return MGMT_E_INVAL;
	}
	if (n > max)
		n = max;
	memcpy(out, m->data, n * sizeof(*out));
	for (uint64_t i = 0; i < n; i++)
		terminate_info(&out[i]);
	return (int)n;
}

int mgmt_vm_info(struct mgmt *m, uint32_t vm, struct mgmt_vm_info *out)
{
	int rc = rpc_struct(m, MGMT_OP_VM_INFO, vm, out, sizeof(*out));

	if (rc == MGMT_OK)
		terminate_info(out);
	return rc;
}

int mgmt_vm_stats(struct mgmt *m, uint32_t vm, struct mgmt_vm_stats *out)
{
	return rpc_struct(m, MGMT_OP_VM_STATS, vm, out, sizeof(*out));
}

int mgmt_vm_by_name(struct mgmt *m, const char *name)
{
	struct mgmt_resp resp;
	int rc = mgmt_rpc(m, MGMT_OP_VM_LIST, 0, NULL, NULL, 0, &resp);
	const struct mgmt_vm_info *v = (const struct mgmt_vm_info *)m->data;

	if (rc != MGMT_OK)
		return rc;
	if (resp.ret[0] > MGMT_DATA_MAX / sizeof(*v) || resp.data_len != resp.ret[0] * sizeof(*v))
		return MGMT_E_INVAL;
	for (uint64_t i = 0; i < resp.ret[0]; i++)
		if (strncmp(v[i].name, name, MGMT_NAME_MAX) == 0 &&
		    v[i].name[MGMT_NAME_MAX - 1] == 0)
			return (int)v[i].id;
	return MGMT_E_NOVM;
}
