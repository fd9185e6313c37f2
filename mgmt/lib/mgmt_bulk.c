/* Bulk operations of the management client: console reads and writes and
 * the deploy sequence, each moved through the window in chunks. */
#include <stdio.h>
#include <string.h>

#include "mgmt_transport.h"

#define MGMT_CONSOLE_CHUNK 4096

int mgmt_console_read(struct mgmt *m, uint32_t vm, uint64_t offset, void *buf, size_t max,
		      uint64_t *first, uint64_t *next, size_t *len)
{
	unsigned char *dst = buf;
	size_t got = 0;

	*first = *next = offset;
	*len = 0;
	while (got < max) {
		size_t want = max - got > MGMT_DATA_MAX ? MGMT_DATA_MAX : max - got;
		uint64_t arg[4] = {offset, want, 0, 0};
		struct mgmt_resp resp;
		int rc = mgmt_rpc(m, MGMT_OP_CONSOLE_READ, vm, arg, NULL, 0, &resp);

		if (rc != MGMT_OK)
			return rc;
		if (resp.data_len > want)
			return MGMT_E_INVAL;
		/* Bytes older than the ring were overwritten: the first chunk
		 * may start later than asked; a later one must not.  An offset
		 * past the end comes back empty at the end (the node clamps). */
		if (resp.ret[1] != resp.ret[0] + resp.data_len ||
		    (resp.ret[0] < offset && resp.data_len) || (got && resp.ret[0] != offset))
			return MGMT_E_INVAL;
		if (!got)
			*first = resp.ret[0];
		memcpy(dst + got, m->data, resp.data_len);
		got += resp.data_len;
		offset = *next = resp.ret[1];
		if (resp.data_len < want)
			break;
	}
	*len = got;
	return MGMT_OK;
}

static int simple(struct mgmt *m, uint32_t op, uint32_t vm, const uint64_t *arg, const void *in,
		  size_t in_len, uint64_t *ret0)
{
	struct mgmt_resp resp;
	int rc = mgmt_rpc(m, op, vm, arg, in, in_len, &resp);

	if (rc == MGMT_OK && ret0)
		*ret0 = resp.ret[0];
	return rc;
}

int mgmt_console_write(struct mgmt *m, uint32_t vm, const void *buf, size_t len)
{
	const unsigned char *src = buf;
	size_t done = 0;

	while (done < len) {
		/* The node copies console input into EL2: at most 4 KiB a request. */
		size_t n = len - done > MGMT_CONSOLE_CHUNK ? MGMT_CONSOLE_CHUNK : len - done;
		uint64_t queued = 0;
		int rc = simple(m, MGMT_OP_CONSOLE_WRITE, vm, NULL, src + done, n, &queued);

		if (rc != MGMT_OK)
			return done ? (int)done : rc;
		if (queued > n)
			return MGMT_E_INVAL;
		done += queued;
		if (queued < n)
			break;
	}
	return (int)done;
}

int mgmt_vm_action(struct mgmt *m, uint32_t vm, uint32_t op)
{
	if (op != MGMT_OP_VM_START && op != MGMT_OP_VM_STOP && op != MGMT_OP_VM_KILL &&
	    op != MGMT_OP_VM_RESTART)
		return MGMT_E_INVAL;
	return simple(m, op, vm, NULL, NULL, 0, NULL);
}

static int send_part(struct mgmt *m, uint32_t vm, uint64_t part, const unsigned char *p, size_t len)
{
	for (size_t off = 0; off < len; off += MGMT_DATA_MAX) {
		size_t n = len - off > MGMT_DATA_MAX ? MGMT_DATA_MAX : len - off;
		uint64_t arg[4] = {part, off, 0, 0};
		int rc = simple(m, MGMT_OP_DEPLOY_DATA, vm, arg, p + off, n, NULL);

		if (rc != MGMT_OK)
			return rc;
	}
	return MGMT_OK;
}

int mgmt_deploy(struct mgmt *m, uint32_t vm, const void *kernel, size_t kernel_len,
		const void *initrd, size_t initrd_len, const char *bootargs,
		const uint8_t kernel_sha256[32], const uint8_t *initrd_sha256)
{
	uint64_t arg[4] = {kernel_len, initrd ? initrd_len : 0, 0, 0};
	size_t blen = bootargs ? strlen(bootargs) + 1 : 1;
	uint8_t digests[64];
	int rc;

	if (!kernel || !kernel_len || blen > MGMT_BOOTARGS_MAX || (initrd_len && !initrd_sha256))
		return MGMT_E_INVAL;
	rc = simple(m, MGMT_OP_DEPLOY_BEGIN, vm, arg, bootargs ? bootargs : "", blen, NULL);
	if (rc == MGMT_OK)
		rc = send_part(m, vm, 0, kernel, kernel_len);
	if (rc == MGMT_OK && initrd && initrd_len)
		rc = send_part(m, vm, 1, initrd, initrd_len);
	if (rc != MGMT_OK)
		return rc;
	memcpy(digests, kernel_sha256, 32);
	if (initrd && initrd_len)
		memcpy(digests + 32, initrd_sha256, 32);
	return simple(m, MGMT_OP_DEPLOY_COMMIT, vm, NULL, digests, initrd && initrd_len ? 64 : 32,
		      NULL);
}
