/* mgmt_open_sim(): the simulated node as a transport of the management
 * client, and the parser of its node description. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/mgmt_transport.h"
#include "sim_node.h"

#define DEFAULT_SPEC "mgmt:1:256:mgmt,linux:2:512:shell,hello:1:64:beat,slot:1:128:slot"

static int parse_flag(struct sim_vm *v, const char *f)
{
	if (!strcmp(f, "mgmt")) {
		v->kind = SIM_MGMT;
		v->info.flags |= MGMT_VMF_MANAGEMENT | MGMT_VMF_IDENTITY;
	} else if (!strcmp(f, "slot")) {
		v->kind = SIM_SLOT;
		v->info.flags |= MGMT_VMF_SLOT;
	} else if (!strcmp(f, "shell")) {
		v->kind = SIM_SHELL;
	} else if (!strcmp(f, "beat")) {
		v->kind = SIM_BEAT;
	} else {
		return -1;
	}
	return 0;
}

/* One "name:vcpus:memMiB[:flag]" entry. */
static int parse_vm(struct sim_node *n, char *e, char *err, size_t errlen)
{
	struct sim_vm *v = &n->vm[n->nr];
	char *name = strtok(e, ":"), *vc = strtok(NULL, ":"), *mem = strtok(NULL, ":");
	char *flag = strtok(NULL, ":"), *end1 = NULL, *end2 = NULL;
	unsigned long cpus = vc ? strtoul(vc, &end1, 10) : 0;
	unsigned long mib = mem ? strtoul(mem, &end2, 10) : 0;

	if (!name || strlen(name) >= MGMT_NAME_MAX || !cpus || cpus > MGMT_MAX_VCPUS || *end1 ||
	    !mib || mib > 65536 || *end2 || (flag && parse_flag(v, flag) < 0)) {
		snprintf(err, errlen,
			 "bad sim VM '%s' (want name:vcpus:memMiB[:mgmt|slot|shell|beat])",
			 name ? name : "");
		return -1;
	}
	if (!flag)
		v->kind = SIM_BEAT;
	v->info.id = n->nr;
	v->info.nr_vcpus = v->st.nr_vcpus = (uint32_t)cpus;
	v->st.id = n->nr;
	snprintf(v->info.name, sizeof(v->info.name), "%s", name);
	v->info.memory_bytes = (uint64_t)mib << 20;
	v->info.ram_ipa = 0x40000000ull;
	for (unsigned c = 0; c < cpus; c++)
		v->info.vcpu_cpu[c] = (n->nr + c) % n->cpus;
	n->nr++;
	if (v->kind != SIM_SLOT) {
		v->info.image_bytes = 4u << 20;
		sim_vm_boot(v, n->boot_ns);
	}
	return 0;
}

struct sim_node *sim_node_new(const char *spec, char *err, size_t errlen)
{
	struct sim_node *n = calloc(1, sizeof(*n));
	char *copy = strdup(spec ? spec : DEFAULT_SPEC), *save = NULL;

	if (!n || !copy) {
		free(n);
		free(copy);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n->boot_ns = sim_now_ns();
	n->cpus = 2;
	n->memory = 2048ull << 20;
	for (char *e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
		if (n->nr == SIM_MAX_VMS || parse_vm(n, e, err, errlen) < 0) {
			if (n->nr == SIM_MAX_VMS)
				snprintf(err, errlen, "more than %d sim VMs", SIM_MAX_VMS);
			free(copy);
			sim_node_free(n);
			return NULL;
		}
	}
	free(copy);
	return n;
}

void sim_node_free(struct sim_node *n)
{
	if (!n)
		return;
	for (unsigned i = 0; i < n->nr; i++) {
		free(n->vm[i].image);
		free(n->vm[i].stage[0]);
		free(n->vm[i].stage[1]);
	}
	free(n);
}

/* The request and payload are copied first, as EL2 copies them out of the
 * window, so the decoder never reads the caller's buffers twice. */
static int sim_call(struct mgmt *m, const struct mgmt_req *req, const void *in,
		    struct mgmt_resp *resp, void *out)
{
	struct mgmt_req copy = *req;

	if (copy.data_len > MGMT_DATA_MAX)
		copy.data_len = MGMT_DATA_MAX + 1; /* refused by the decoder */
	sim_node_call(m->priv, &copy, in, resp, out);
	return 0;
}

static void sim_close(struct mgmt *m)
{
	sim_node_free(m->priv);
}

static const struct mgmt_ops sim_ops = {.call = sim_call, .close = sim_close};

struct mgmt *mgmt_open_sim(const char *spec, char *errbuf, size_t errlen)
{
	struct sim_node *n = sim_node_new(spec, errbuf, errlen);
	struct mgmt *m;

	if (!n)
		return NULL;
	m = mgmt_alloc(&sim_ops, n);
	if (!m) {
		sim_node_free(n);
		snprintf(errbuf, errlen, "out of memory");
	}
	return m;
}
