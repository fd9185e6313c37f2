/* The management interface: the wire ABI between the hypervisor (EL2) and
 * the control plane in the management VM's userspace.  Shared by EL2
 * (vm/dev/), the management VM's programs (mgmt/) and host tests, so it is
 * plain C with fixed-width types and no padding the compiler chooses.
 *
 * Only the VM whose description says `management = yes` has the device;
 * no other VM has anything mapped at these IPAs.
 *
 * Design: a mailbox.  Two IPA ranges, both described only in the management
 * VM's device tree (node "aether-mgmt@b000000", compatible "aether,mgmt-1",
 * reg = <doorbell page>, <window>):
 *   - the doorbell page: emulated registers, 32-bit aligned accesses only;
 *   - the window: real memory (pages owned by the hypervisor) outside the
 *     VM's /memory node, mapped into the management VM's Stage-2 only.
 *     Userspace maps both through /dev/mem (the kernel maps them as Device
 *     memory: copy with aligned 8-byte loads and stores, never memcpy).
 *
 * One request at a time (the daemon serialises them):
 *   1. userspace writes a struct mgmt_req at window offset 0 and its payload
 *      (if any) at MGMT_DATA_OFF;
 *   2. userspace writes the request's seq to MGMT_REG_DOORBELL (one trap);
 *   3. EL2 copies the request header and payload out of the window before
 *      decoding it (other vCPUs may rewrite the window meanwhile), validates
 *      every argument, acts, then writes a struct mgmt_resp at window
 *      offset MGMT_RESP_OFF and its payload at MGMT_DATA_OFF, before the
 *      doorbell store completes;
 *   4. userspace reads the response; resp.seq == req.seq.
 * A request that fails validation changes nothing.
 *
 * Bulk data moves in chunks of at most MGMT_DATA_MAX bytes per doorbell. */
#ifndef AETHER_MGMT_ABI_H
#define AETHER_MGMT_ABI_H

/* <stdint.h> is one of the freestanding headers GCC provides, so EL2 (built
 * -ffreestanding -nostdinc -isystem <gcc include>) and userspace share it. */
#include <stdint.h>
typedef uint8_t mgmt_u8;
typedef uint32_t mgmt_u32;
typedef int32_t mgmt_s32;
typedef uint64_t mgmt_u64;

/* Guest-physical placement in the management VM (a hole in virt's map). */
#define MGMT_DOORBELL_IPA 0x0B000000ULL
#define MGMT_DOORBELL_SIZE 0x1000ULL
#define MGMT_WINDOW_IPA 0x0B100000ULL
#define MGMT_WINDOW_SIZE 0x40000ULL /* 256 KiB */
#define MGMT_DT_COMPATIBLE "aether,mgmt-1"

/* Doorbell registers (offsets in the doorbell page; 32-bit accesses) */
#define MGMT_REG_MAGIC 0x00    /* RO: MGMT_MAGIC */
#define MGMT_REG_VERSION 0x04  /* RO: MGMT_VERSION */
#define MGMT_REG_WINDOW 0x08   /* RO: window size in bytes */
#define MGMT_REG_DOORBELL 0x10 /* WO: seq of the request to run */
#define MGMT_REG_STATUS 0x14   /* RO: status of the last request (as resp.status) */
#define MGMT_MAGIC 0x474d4541  /* "AEMG" little-endian */
#define MGMT_VERSION 1

/* Window layout */
#define MGMT_REQ_OFF 0x0
#define MGMT_RESP_OFF 0x100
#define MGMT_DATA_OFF 0x1000
#define MGMT_DATA_MAX (MGMT_WINDOW_SIZE - MGMT_DATA_OFF) /* 252 KiB */

#define MGMT_NAME_MAX 32      /* VM names, including the NUL */
#define MGMT_BOOTARGS_MAX 512 /* including the NUL */
#define MGMT_MAX_VCPUS 8
#define MGMT_EXIT_KINDS 9 /* as enum exit_kind / AETHER_HC_EXIT_COUNT */

/* Operations (mgmt_req.op) */
enum mgmt_op {
	MGMT_OP_NODE_INFO = 1,	    /* -> data: struct mgmt_node_info */
	MGMT_OP_VM_LIST = 2,	    /* -> data: struct mgmt_vm_info[ret[0]] */
	MGMT_OP_VM_INFO = 3,	    /* vm -> data: struct mgmt_vm_info */
	MGMT_OP_VM_STATS = 4,	    /* vm -> data: struct mgmt_vm_stats */
	MGMT_OP_CONSOLE_READ = 5,   /* vm, arg[0] = offset, arg[1] = max bytes
				       -> ret[0] = offset of the first byte returned
				       (>= the requested one when older bytes were
				       overwritten), ret[1] = next offset, data */
	MGMT_OP_CONSOLE_WRITE = 6,  /* vm, data = bytes -> ret[0] = bytes queued */
	MGMT_OP_VM_START = 7,	    /* vm: start a stopped/crashed VM (slot: deployed image) */
	MGMT_OP_VM_STOP = 8,	    /* vm: end it as PSCI SYSTEM_OFF would */
	MGMT_OP_VM_KILL = 9,	    /* vm: hard-terminate */
	MGMT_OP_VM_RESTART = 10,    /* vm: stop and start again from its image */
	MGMT_OP_DEPLOY_BEGIN = 11,  /* vm (a slot, not running), arg[0] = kernel bytes,
				       arg[1] = initrd bytes, data = bootargs (NUL-terminated);
				       scrubs the slot's memory */
	MGMT_OP_DEPLOY_DATA = 12,   /* vm, arg[0] = part (0 kernel, 1 initrd),
				       arg[1] = offset, data = bytes (in order) */
	MGMT_OP_DEPLOY_COMMIT = 13, /* vm, data = SHA-256 of the kernel (32 bytes)
				       [+ SHA-256 of the initrd when one was sent];
				       EL2 hashes the copied bytes, runs the loader
				       checks, loads and starts the slot */
	MGMT_OP_MAX
};

/* mgmt_resp.status */
#define MGMT_OK 0
#define MGMT_E_INVAL (-1)  /* malformed request or argument */
#define MGMT_E_NOVM (-2)   /* no such VM */
#define MGMT_E_STATE (-3)  /* not valid in the VM's current state */
#define MGMT_E_TOOBIG (-4) /* exceeds the slot, the window or a limit */
#define MGMT_E_DIGEST (-5) /* SHA-256 mismatch */
#define MGMT_E_IMAGE (-6)  /* the loader refused the image (see resp.msg) */
#define MGMT_E_PERM (-7)   /* not allowed (e.g. stopping the management VM) */
#define MGMT_E_NOTSUP (-8) /* unknown op */

/* VM states as the interface reports them */
enum mgmt_vm_state {
	MGMT_VM_EMPTY = 0, /* slot with nothing deployed */
	MGMT_VM_RUNNING = 1,
	MGMT_VM_STOPPED = 2, /* ended by itself or by the operator */
	MGMT_VM_CRASHED = 3, /* terminated by the hypervisor */
	MGMT_VM_RESTARTING = 4,
};

#define MGMT_VMF_MANAGEMENT (1u << 0)
#define MGMT_VMF_SLOT (1u << 1)
#define MGMT_VMF_IDENTITY (1u << 2) /* identity layout */
#define MGMT_VMF_RESTART (1u << 3)  /* on_exit = restart */

struct mgmt_req {
	mgmt_u32 op;
	mgmt_u32 seq;
	mgmt_u32 vm;	   /* VM id (index in the node's VM list) */
	mgmt_u32 data_len; /* payload bytes at MGMT_DATA_OFF */
	mgmt_u64 arg[4];
};

struct mgmt_resp {
	mgmt_s32 status;
	mgmt_u32 seq;
	mgmt_u32 data_len; /* payload bytes at MGMT_DATA_OFF */
	mgmt_u32 reserved;
	mgmt_u64 ret[4];
	char msg[96]; /* NUL-terminated detail for an error, else "" */
};

struct mgmt_node_info {
	mgmt_u32 abi_version;  /* MGMT_VERSION */
	mgmt_u32 cpus;	       /* physical CPUs */
	mgmt_u64 memory_bytes; /* RAM of the node */
	mgmt_u64 free_bytes;   /* free in the hypervisor's page allocator */
	mgmt_u64 uptime_ns;    /* since the hypervisor booted */
	mgmt_u32 nr_vms;
	mgmt_u32 reserved;
	char version[32]; /* hypervisor version, NUL-terminated */
	char gic[16];	  /* "gicv3", ... */
};

struct mgmt_vm_info {
	mgmt_u32 id;
	mgmt_u32 state; /* enum mgmt_vm_state */
	mgmt_u32 flags; /* MGMT_VMF_* */
	mgmt_u32 nr_vcpus;
	char name[MGMT_NAME_MAX];
	mgmt_u64 memory_bytes;
	mgmt_u64 uptime_ns; /* of the current run; 0 when not running */
	mgmt_u32 restarts;
	mgmt_u32 end_reason;		   /* enum vm_end_reason of the last end */
	mgmt_u32 vcpu_cpu[MGMT_MAX_VCPUS]; /* physical CPU of each vCPU */
	mgmt_u64 ram_ipa;
	mgmt_u64 image_bytes; /* 0 for an empty slot */
	mgmt_u64 initrd_bytes;
	char bootargs[MGMT_BOOTARGS_MAX];
};

struct mgmt_vm_stats {
	mgmt_u32 id;
	mgmt_u32 nr_vcpus;
	mgmt_u64 exits[MGMT_EXIT_KINDS];      /* by kind, as AETHER_HC_EXIT_COUNT */
	mgmt_u64 stage2_faults;		      /* data/instruction aborts from Stage-2 */
	mgmt_u64 irqs_injected;		      /* virtual interrupts delivered */
	mgmt_u64 vcpu_run_ns[MGMT_MAX_VCPUS]; /* time each vCPU ran */
	mgmt_u32 restarts;
	mgmt_u32 reserved;
	mgmt_u64 console_bytes; /* total console output so far */
};

/* The layout is the ABI: freeze it. */
_Static_assert(sizeof(struct mgmt_req) == 48, "mgmt_req layout");
_Static_assert(sizeof(struct mgmt_resp) == 144, "mgmt_resp layout");
_Static_assert(sizeof(struct mgmt_node_info) == 88, "mgmt_node_info layout");
_Static_assert(sizeof(struct mgmt_vm_info) == 640, "mgmt_vm_info layout");
_Static_assert(sizeof(struct mgmt_vm_stats) == 176, "mgmt_vm_stats layout");

#endif
