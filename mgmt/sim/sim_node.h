/* A simulated node behind the management ABI, for host builds: the same
 * requests and responses as the hypervisor's mailbox, decoded and checked
 * the same way, over VMs that live in this process.
 *
 * Time drives it: every request first advances the model to "now", so
 * statistics grow while a VM runs, a heartbeat guest prints a line per
 * second, a restart passes through "restarting" for half a second, and a
 * shell guest answers what is typed into its console.  A deployed image is
 * checked (size against the slot, SHA-256 of the copied bytes) and then
 * "runs": it prints its size and digest and every line of the image that
 * starts with "AETHER-MARKER" (how the tests see that their image landed). */
#ifndef AETHER_SIM_NODE_H
#define AETHER_SIM_NODE_H

#include <stddef.h>
#include <stdint.h>

#include "aether_mgmt_abi.h"

#define SIM_MAX_VMS 16
#define SIM_RING 65536 /* console ring per VM */
#define SIM_INPUT_MAX 4096

enum sim_kind { SIM_MGMT, SIM_SHELL, SIM_BEAT, SIM_SLOT };

struct sim_vm {
	struct mgmt_vm_info info;
	enum sim_kind kind;
	struct mgmt_vm_stats st;
	double acc[MGMT_EXIT_KINDS + 2]; /* fractional counts not yet whole */
	uint64_t started_ns, last_ns, restart_done_ns;
	uint64_t beats;
	unsigned char ring[SIM_RING];
	uint64_t head; /* total bytes ever written */
	char line[256];
	size_t line_len;
	/* deploy: staged while DEPLOY_* runs, kept once committed */
	unsigned char *stage[2];
	uint64_t stage_len[2], stage_got[2];
	int staging;
	unsigned char *image;
	uint64_t image_len;
};

struct sim_node {
	uint64_t boot_ns;
	uint32_t cpus;
	uint64_t memory;
	unsigned nr;
	uint64_t calls;
	struct sim_vm vm[SIM_MAX_VMS];
};

uint64_t sim_now_ns(void);
/* spec: "name:vcpus:memMiB[:slot|:mgmt|:shell|:beat],..." or NULL for the
 * default node.  Returns NULL with a message in err on a bad spec. */
struct sim_node *sim_node_new(const char *spec, char *err, size_t errlen);
void sim_node_free(struct sim_node *n);
/* Runs one request exactly as EL2 would: validate everything, then act. */
void sim_node_call(struct sim_node *n, const struct mgmt_req *req, const void *in,
		   struct mgmt_resp *resp, void *out);

/* sim_console.c */
void sim_console_put(struct sim_vm *v, const char *s, size_t len);
void sim_console_printf(struct sim_vm *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sim_console_boot(struct sim_vm *v);
void sim_console_input(struct sim_vm *v, const unsigned char *s, size_t len);
void sim_console_tick(struct sim_vm *v, uint64_t now_ns);
size_t sim_console_read(const struct sim_vm *v, uint64_t off, void *out, size_t max,
			uint64_t *first);

/* sim_deploy.c: DEPLOY_BEGIN, _DATA, _COMMIT on one VM */
int sim_deploy(struct sim_vm *v, const struct mgmt_req *req, const void *in,
	       struct mgmt_resp *resp);

/* sim_lifecycle.c */
void sim_vm_boot(struct sim_vm *v, uint64_t now);
void sim_vm_end(struct sim_vm *v, uint32_t state, uint32_t reason);
void sim_advance(struct sim_node *n, uint64_t now);

#endif
