/* Internal to mgmt/lib and mgmt/sim: how a transport plugs into the client.
 *
 * The client (mgmt_client.c) builds one struct mgmt_req at a time and hands
 * it to the transport with its payload; the transport delivers it exactly
 * as the mailbox would (window, doorbell, response) and copies the response
 * and its payload back into normal memory.  The client then checks the
 * response (seq, data_len) before anything uses it, whatever the transport. */
#ifndef AETHER_MGMT_TRANSPORT_H
#define AETHER_MGMT_TRANSPORT_H

#include "mgmt_client.h"

struct mgmt_ops {
	/* in: req->data_len bytes; out: room for MGMT_DATA_MAX bytes.
	 * Returns 0 when a response was received (its status may be an error),
	 * or a negative MGMT_E_* code when the transport itself failed. */
	int (*call)(struct mgmt *m, const struct mgmt_req *req, const void *in,
		    struct mgmt_resp *resp, void *out);
	void (*close)(struct mgmt *m);
};

struct mgmt {
	const struct mgmt_ops *ops;
	void *priv;
	uint32_t seq;
	char err[128];
	unsigned char *data; /* MGMT_DATA_MAX bytes: the last response's payload */
};

/* Allocates a handle with its data buffer; NULL when out of memory. */
struct mgmt *mgmt_alloc(const struct mgmt_ops *ops, void *priv);

/* One request and its checked response (seq, data_len within the window);
 * the payload is left in m->data.  Returns resp->status or a transport error. */
int mgmt_rpc(struct mgmt *m, uint32_t op, uint32_t vm, const uint64_t *arg, const void *in,
	     size_t in_len, struct mgmt_resp *resp);

#endif
