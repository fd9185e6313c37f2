/* Deploy into a slot of the simulated node: BEGIN scrubs and stages, DATA
 * arrives in order, COMMIT checks the SHA-256 of the copied bytes before
 * the image may start.  A failed step leaves the slot empty. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "sim_node.h"

static int refuse(struct mgmt_resp *resp, int status, const char *msg)
{
	snprintf(resp->msg, sizeof(resp->msg), "%s", msg);
	resp->status = status;
	return status;
}

static void drop(struct sim_vm *v)
{
	for (int p = 0; p < 2; p++) {
		free(v->stage[p]);
		v->stage[p] = NULL;
		v->stage_len[p] = v->stage_got[p] = 0;
	}
	v->staging = 0;
}

static int begin(struct sim_vm *v, const struct mgmt_req *req, const char *in,
		 struct mgmt_resp *resp)
{
	if (!(v->info.flags & MGMT_VMF_SLOT))
		return refuse(resp, MGMT_E_STATE, "not a deploy slot");
	if (v->info.state == MGMT_VM_RUNNING || v->info.state == MGMT_VM_RESTARTING)
		return refuse(resp, MGMT_E_STATE, "slot is running: stop it first");
	if (!req->arg[0])
		return refuse(resp, MGMT_E_INVAL, "no kernel");
	if (req->arg[0] > v->info.memory_bytes || req->arg[1] > v->info.memory_bytes ||
	    req->arg[0] + req->arg[1] > v->info.memory_bytes)
		return refuse(resp, MGMT_E_TOOBIG, "image larger than the slot's memory");
	if (!req->data_len || req->data_len > MGMT_BOOTARGS_MAX ||
	    memchr(in, 0, req->data_len) != in + req->data_len - 1)
		return refuse(resp, MGMT_E_INVAL, "bootargs must be one NUL-terminated string");
	drop(v);
	free(v->image);
	v->image = NULL;
	v->image_len = v->info.image_bytes = v->info.initrd_bytes = 0;
	v->info.state = MGMT_VM_EMPTY;
	v->stage[0] = calloc(1, req->arg[0]);
	v->stage[1] = req->arg[1] ? calloc(1, req->arg[1]) : NULL;
	if (!v->stage[0] || (req->arg[1] && !v->stage[1])) {
		drop(v);
		return refuse(resp, MGMT_E_TOOBIG, "out of memory");
	}
	v->stage_len[0] = req->arg[0];
	v->stage_len[1] = req->arg[1];
	memcpy(v->info.bootargs, in, req->data_len);
	v->staging = 1;
	return MGMT_OK;
}

static int data(struct sim_vm *v, const struct mgmt_req *req, const void *in,
		struct mgmt_resp *resp)
{
	uint64_t part = req->arg[0], off = req->arg[1];

	if (!v->staging)
		return refuse(resp, MGMT_E_STATE, "no deploy in progress");
	if (part > 1 || off != v->stage_got[part] || req->data_len > v->stage_len[part] - off)
		return refuse(resp, MGMT_E_INVAL, "chunk out of order or beyond the part");
	memcpy(v->stage[part] + off, in, req->data_len);
	v->stage_got[part] += req->data_len;
	return MGMT_OK;
}

static int digest_ok(const unsigned char *p, uint64_t len, const unsigned char *want)
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!EVP_Digest(p, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return 0;
	return memcmp(md, want, 32) == 0;
}

static int commit(struct sim_vm *v, const struct mgmt_req *req, const unsigned char *in,
		  struct mgmt_resp *resp)
{
	uint32_t want = v->stage_len[1] ? 64 : 32;

	if (!v->staging)
		return refuse(resp, MGMT_E_STATE, "no deploy in progress");
	if (req->data_len != want || v->stage_got[0] != v->stage_len[0] ||
	    v->stage_got[1] != v->stage_len[1]) {
		drop(v);
		return refuse(resp, MGMT_E_INVAL, "incomplete image or wrong digest length");
	}
	if (!digest_ok(v->stage[0], v->stage_len[0], in) ||
	    (v->stage_len[1] && !digest_ok(v->stage[1], v->stage_len[1], in + 32))) {
		drop(v);
		return refuse(resp, MGMT_E_DIGEST, "SHA-256 of the copied image does not match");
	}
	v->image = v->stage[0];
	v->image_len = v->info.image_bytes = v->stage_len[0];
	v->info.initrd_bytes = v->stage_len[1];
	v->stage[0] = NULL;
	drop(v);
	sim_vm_boot(v, sim_now_ns());
	return MGMT_OK;
}

int sim_deploy(struct sim_vm *v, const struct mgmt_req *req, const void *in, struct mgmt_resp *resp)
{
	switch (req->op) {
	case MGMT_OP_DEPLOY_BEGIN: return begin(v, req, in, resp);
	case MGMT_OP_DEPLOY_DATA: return data(v, req, in, resp);
	default: return commit(v, req, in, resp);
	}
}
