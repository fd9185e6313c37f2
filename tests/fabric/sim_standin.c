/* TEMPORARY stand-in for mgmt/lib's mgmt_open_sim() until the real client
 * library lands on main (then this file is deleted).  A node with VMs
 * "mgmt" (management), "linux", "hello" and an empty slot "slot". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "mgmt_client.h"

struct mgmt {
	struct mgmt_vm_info vm[4];
	unsigned n;
	char err[96];
};

static void add(struct mgmt *m, const char *name, uint32_t flags, uint32_t state)
{
	struct mgmt_vm_info *v = &m->vm[m->n];

	memset(v, 0, sizeof(*v));
	v->id = m->n++;
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->flags = flags;
	v->state = state;
	v->nr_vcpus = 1;
	v->memory_bytes = 64 << 20;
}

struct mgmt *mgmt_open_devmem(char *errbuf, size_t errlen)
{
	snprintf(errbuf, errlen, "not in the stand-in");
	return NULL;
}

struct mgmt *mgmt_open_sim(const char *spec, char *errbuf, size_t errlen)
{
	struct mgmt *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	add(m, "mgmt", MGMT_VMF_MANAGEMENT, MGMT_VM_RUNNING);
	add(m, "linux", 0, MGMT_VM_RUNNING);
	add(m, "hello", 0, MGMT_VM_RUNNING);
	add(m, "slot", MGMT_VMF_SLOT, MGMT_VM_EMPTY);
	return m;
}

void mgmt_close(struct mgmt *m)
{
	free(m);
}

const char *mgmt_last_error(const struct mgmt *m)
{
	return m->err;
}

const char *mgmt_strerror(int status)
{
	return status == 0 ? "ok" : "error";
}

static int fail(struct mgmt *m, int rc, const char *msg)
{
	snprintf(m->err, sizeof(m->err), "%s", msg);
	return rc;
}

int mgmt_node_info(struct mgmt *m, struct mgmt_node_info *out)
{
	memset(out, 0, sizeof(*out));
	out->abi_version = MGMT_VERSION;
	out->cpus = 2;
	out->nr_vms = m->n;
	snprintf(out->version, sizeof(out->version), "standin");
	return MGMT_OK;
}

int mgmt_vm_list(struct mgmt *m, struct mgmt_vm_info *out, unsigned max)
{
	unsigned n = m->n < max ? m->n : max;

	memcpy(out, m->vm, n * sizeof(*out));
	return (int)n;
}

int mgmt_vm_info(struct mgmt *m, uint32_t vm, struct mgmt_vm_info *out)
{
	if (vm >= m->n)
		return fail(m, MGMT_E_NOVM, "no such VM");
	*out = m->vm[vm];
	return MGMT_OK;
}

int mgmt_vm_stats(struct mgmt *m, uint32_t vm, struct mgmt_vm_stats *out)
{
	if (vm >= m->n)
		return fail(m, MGMT_E_NOVM, "no such VM");
	memset(out, 0, sizeof(*out));
	out->id = vm;
	out->nr_vcpus = 1;
	out->restarts = m->vm[vm].restarts;
	return MGMT_OK;
}

int mgmt_vm_action(struct mgmt *m, uint32_t vm, uint32_t op)
{
	struct mgmt_vm_info *v;

	if (vm >= m->n)
		return fail(m, MGMT_E_NOVM, "no such VM");
	v = &m->vm[vm];
	if (v->flags & MGMT_VMF_MANAGEMENT)
		return fail(m, MGMT_E_PERM, "management VM");
	if (op == MGMT_OP_VM_START) {
		if (v->state == MGMT_VM_RUNNING || v->state == MGMT_VM_EMPTY)
			return fail(m, MGMT_E_STATE, "not startable");
		v->state = MGMT_VM_RUNNING;
	} else if (op == MGMT_OP_VM_STOP || op == MGMT_OP_VM_KILL) {
		if (v->state != MGMT_VM_RUNNING)
			return fail(m, MGMT_E_STATE, "not running");
		v->state = MGMT_VM_STOPPED;
	} else if (op == MGMT_OP_VM_RESTART) {
		if (v->state == MGMT_VM_EMPTY)
			return fail(m, MGMT_E_STATE, "empty");
		v->state = MGMT_VM_RUNNING;
		v->restarts++;
	} else {
		return fail(m, MGMT_E_INVAL, "bad op");
	}
	return MGMT_OK;
}

int mgmt_deploy(struct mgmt *m, uint32_t vm, const void *kernel, size_t kernel_len,
		const void *initrd, size_t initrd_len, const char *bootargs,
		const uint8_t kernel_sha256[32], const uint8_t *initrd_sha256)
{
	uint8_t md[32];
	unsigned n = 0;

	if (vm >= m->n || !(m->vm[vm].flags & MGMT_VMF_SLOT))
		return fail(m, MGMT_E_INVAL, "not a slot");
	if (m->vm[vm].state == MGMT_VM_RUNNING)
		return fail(m, MGMT_E_STATE, "slot running");
	EVP_Digest(kernel, kernel_len, md, &n, EVP_sha256(), NULL);
	if (memcmp(md, kernel_sha256, 32) != 0)
		return fail(m, MGMT_E_DIGEST, "kernel digest");
	m->vm[vm].image_bytes = kernel_len;
	m->vm[vm].state = MGMT_VM_RUNNING;
	return MGMT_OK;
}

int mgmt_vm_by_name(struct mgmt *m, const char *name)
{
	for (unsigned i = 0; i < m->n; i++)
		if (strcmp(m->vm[i].name, name) == 0)
			return (int)i;
	return fail(m, MGMT_E_NOVM, "no VM of that name");
}
