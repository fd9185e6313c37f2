/* Userspace client of the hypervisor's management interface
 * (include/aether_mgmt_abi.h).  Used by the HTTP daemon on the central node
 * and by the fabric agent on worker nodes.
 *
 * A client talks to one node through a transport:
 *   - mgmt_open_devmem(): the real mailbox, through /dev/mem in the
 *     management VM (aligned 8-byte copies, one doorbell store per request);
 *   - mgmt_open_sim(): an in-process simulated node for host builds (API
 *     tests without QEMU, the fleet simulation).
 * Calls are not thread-safe on one handle: callers serialise (one mutex).
 * Every call returns MGMT_OK or a negative MGMT_E_* code; on error,
 * mgmt_last_error() has the hypervisor's detail message. */
#ifndef AETHER_MGMT_CLIENT_H
#define AETHER_MGMT_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "aether_mgmt_abi.h"

struct mgmt;

/* NULL on failure, with a message in errbuf. */
struct mgmt *mgmt_open_devmem(char *errbuf, size_t errlen);
/* A simulated node; spec is a small text description ("name:vcpus:memMiB[:slot][:mgmt],..."),
 * NULL for a default node (mgmt, linux, hello, slot). */
struct mgmt *mgmt_open_sim(const char *spec, char *errbuf, size_t errlen);
void mgmt_close(struct mgmt *m);
const char *mgmt_last_error(const struct mgmt *m);
const char *mgmt_strerror(int status);

int mgmt_node_info(struct mgmt *m, struct mgmt_node_info *out);
/* Fills up to max entries; returns the count (>= 0) or an error. */
int mgmt_vm_list(struct mgmt *m, struct mgmt_vm_info *out, unsigned max);
int mgmt_vm_info(struct mgmt *m, uint32_t vm, struct mgmt_vm_info *out);
int mgmt_vm_stats(struct mgmt *m, uint32_t vm, struct mgmt_vm_stats *out);
/* Reads console output from *offset; sets *first (offset of buf[0]),
 * *next and *len.  Chunks internally through the window. */
int mgmt_console_read(struct mgmt *m, uint32_t vm, uint64_t offset, void *buf, size_t max,
		      uint64_t *first, uint64_t *next, size_t *len);
/* Queues input; returns bytes accepted (>= 0) or an error. */
int mgmt_console_write(struct mgmt *m, uint32_t vm, const void *buf, size_t len);
/* op: MGMT_OP_VM_START, _STOP, _KILL or _RESTART */
int mgmt_vm_action(struct mgmt *m, uint32_t vm, uint32_t op);
/* The whole deploy: BEGIN, DATA chunks, COMMIT.  sha256 of the kernel is
 * computed by the caller (OpenSSL) and checked again in EL2. */
int mgmt_deploy(struct mgmt *m, uint32_t vm, const void *kernel, size_t kernel_len,
		const void *initrd, size_t initrd_len, const char *bootargs,
		const uint8_t kernel_sha256[32], const uint8_t *initrd_sha256);
/* Looks a VM up by name; returns its id (>= 0) or MGMT_E_NOVM. */
int mgmt_vm_by_name(struct mgmt *m, const char *name);

#endif
