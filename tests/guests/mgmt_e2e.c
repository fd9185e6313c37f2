/* The management device end to end, from a bare-metal management VM
 * (tests/configs/t-mgmt.cfg): the registers; node info and the VM list;
 * console input to the echo guest and its reply read back from its console
 * history by offset; stop, start, kill and restart of the echo guest, with
 * the states and counters they must leave; refusals (self-stop, unknown op,
 * no such VM, bad arguments, seq mismatch) that change nothing; and a
 * deploy of the cmdline guest into the slot - a wrong digest and an
 * out-of-order chunk refused, then the right one accepted and the slot
 * booting it with the bootargs given.  Requests go through the window with
 * aligned 8-byte copies, as the Linux client's must (the MMU is off here,
 * so every access is Device memory, as it is through /dev/mem). */
#include "aether_mgmt_abi.h"
#include "guest.h"
#include "lib/fdt.h"

void guest_main(u64 dtb);

#define WIN MGMT_WINDOW_IPA
#define DB MGMT_DOORBELL_IPA
#define VM_MGMT 0
#define VM_ECHO 1
#define VM_SLOT 2
#define EXIT_DABT_MMIO_IDX 3 /* enum exit_kind: hvc smc sysreg mmio ... */

extern const u8 deploy_img[], deploy_img_end[];
__asm__(".section .rodata\n.balign 8\ndeploy_img:\n.incbin \"" DEPLOY_BIN
	"\"\ndeploy_img_end:\n.previous");
static const u8 deploy_sha[32] = {DEPLOY_SHA256};

/* guest.h's CHECK_EQ evaluates its argument twice: a request must run once. */
static void check_eq(const char *name, u64 got, u64 want)
{
	g_check(name, got == want, "got 0x%lx, want 0x%lx", (unsigned long)got,
		(unsigned long)want);
}

static u32 seq;
static struct mgmt_resp resp;
static u8 data[MGMT_DATA_MAX] __attribute__((aligned(8)));

static void to_win(u64 off, const void *src, u64 len)
{
	const u64 *s = src;

	for (u64 i = 0; i < ALIGN_UP(len, 8) / 8; i++)
		*(volatile u64 *)(WIN + off + 8 * i) = s[i];
}

static void from_win(u64 off, void *dst, u64 len)
{
	u64 *d = dst;

	for (u64 i = 0; i < ALIGN_UP(len, 8) / 8; i++)
		d[i] = *(volatile u64 *)(WIN + off + 8 * i);
}

/* One request; the reply's payload lands in data[]. */
static int call(u32 op, u32 vm, const u64 arg[4], const void *payload, u32 len)
{
	struct mgmt_req r = {.op = op, .seq = ++seq, .vm = vm, .data_len = len};

	for (int i = 0; arg && i < 4; i++)
		r.arg[i] = arg[i];
	to_win(MGMT_REQ_OFF, &r, sizeof(r));
	if (len)
		to_win(MGMT_DATA_OFF, payload, len);
	__asm__ volatile("dsb sy" ::: "memory");
	mmio_write32(DB + MGMT_REG_DOORBELL, r.seq);
	from_win(MGMT_RESP_OFF, &resp, sizeof(resp));
	if (resp.seq != r.seq)
		g_printf("mgmt: reply seq %u for request %u\n", resp.seq, r.seq);
	if (resp.data_len && resp.data_len <= MGMT_DATA_MAX)
		from_win(MGMT_DATA_OFF, data, resp.data_len);
	return resp.status;
}

static int simple(u32 op, u32 vm)
{
	return call(op, vm, NULL, NULL, 0);
}

static struct mgmt_vm_info info(u32 vm)
{
	struct mgmt_vm_info i = {0};

	if (simple(MGMT_OP_VM_INFO, vm) == MGMT_OK)
		memcpy(&i, data, sizeof(i));
	return i;
}

static u64 ms(void)
{
	return read_cntvct() / (read_cntfrq() / 1000);
}

/* Waits (bounded, 5 s) until the VM reaches state. */
static bool wait_state(u32 vm, u32 state)
{
	for (u64 end = ms() + 5000; ms() < end;)
		if (info(vm).state == state)
			return true;
	return false;
}

/* Console of vm from *off until text appears (bounded, 5 s). */
static bool wait_console(u32 vm, u64 *off, const char *text)
{
	static char acc[4096];
	u32 n = 0;

	for (u64 end = ms() + 5000; ms() < end;) {
		u64 arg[4] = {*off, 256};
		if (call(MGMT_OP_CONSOLE_READ, vm, arg, NULL, 0) != MGMT_OK)
			return false;
		for (u32 i = 0; i < resp.data_len && n < sizeof(acc) - 1; i++)
			acc[n++] = (char)data[i];
		acc[n] = 0;
		*off = resp.ret[1];
		for (u32 i = 0; text[0] && i + strlen(text) <= n; i++)
			if (!memcmp(acc + i, text, strlen(text)))
				return true;
	}
	g_printf("mgmt: console so far: %s\n", acc);
	return false;
}

static void test_registers_and_lists(void)
{
	struct mgmt_node_info n;
	struct mgmt_vm_info l[3];

	check_eq("mgmt-magic", mmio_read32(DB + MGMT_REG_MAGIC), MGMT_MAGIC);
	check_eq("mgmt-version", mmio_read32(DB + MGMT_REG_VERSION), MGMT_VERSION);
	check_eq("mgmt-window-size", mmio_read32(DB + MGMT_REG_WINDOW), MGMT_WINDOW_SIZE);
	check_eq("node-info", simple(MGMT_OP_NODE_INFO, 0), MGMT_OK);
	memcpy(&n, data, sizeof(n));
	check_eq("node-cpus", n.cpus, 2);
	check_eq("node-vms", n.nr_vms, 3);
	g_check("node-version",
		!memcmp(n.version, "aether ", 7) && n.memory_bytes >= (64 << 20) && n.free_bytes &&
			n.free_bytes < n.memory_bytes && n.uptime_ns,
		"version %s memory %lu free %lu", n.version, (unsigned long)n.memory_bytes,
		(unsigned long)n.free_bytes);
	check_eq("vm-list", simple(MGMT_OP_VM_LIST, 0), MGMT_OK);
	check_eq("vm-list-count", resp.ret[0], 3);
	check_eq("vm-list-bytes", resp.data_len, 3 * sizeof(struct mgmt_vm_info));
	memcpy(l, data, sizeof(l));
	g_check("vm-list-names",
		!strcmp(l[0].name, "mgmt") && !strcmp(l[1].name, "echo") &&
			!strcmp(l[2].name, "slot"),
		"%s %s %s", l[0].name, l[1].name, l[2].name);
	g_check("vm-list-flags",
		l[0].flags == MGMT_VMF_MANAGEMENT && l[1].flags == 0 && l[2].flags == MGMT_VMF_SLOT,
		"0x%x 0x%x 0x%x", l[0].flags, l[1].flags, l[2].flags);
	g_check("vm-list-states",
		l[0].state == MGMT_VM_RUNNING && l[1].state == MGMT_VM_RUNNING &&
			l[2].state == MGMT_VM_EMPTY && !l[2].image_bytes,
		"%u %u %u", l[0].state, l[1].state, l[2].state);
	check_eq("vm-info-echo-memory", l[1].memory_bytes, 16 << 20);
}

static void test_console(void)
{
	u64 off = 0, arg[4] = {0, 4};
	struct mgmt_vm_stats a, b;

	g_check("echo-banner", wait_console(VM_ECHO, &off, "echo vm 1 ready"), "not seen");
	check_eq("console-read-4", call(MGMT_OP_CONSOLE_READ, VM_ECHO, arg, NULL, 0), MGMT_OK);
	g_check("console-read-offsets",
		resp.ret[0] == 0 && resp.ret[1] == 4 && resp.data_len == 4 &&
			!memcmp(data, "echo", 4),
		"first %lu next %lu len %u", (unsigned long)resp.ret[0], (unsigned long)resp.ret[1],
		resp.data_len);
	simple(MGMT_OP_VM_STATS, VM_ECHO);
	memcpy(&a, data, sizeof(a));
	check_eq("console-write",
		 call(MGMT_OP_CONSOLE_WRITE, VM_ECHO, NULL, "ping-from-mgmt\r", 15), MGMT_OK);
	check_eq("console-write-queued", resp.ret[0], 15);
	g_check("console-input-echoed", wait_console(VM_ECHO, &off, "vm1 got: ping-from-mgmt"),
		"no echo");
	simple(MGMT_OP_VM_STATS, VM_ECHO);
	memcpy(&b, data, sizeof(b));
	g_check("stats-grow",
		b.exits[EXIT_DABT_MMIO_IDX] > a.exits[EXIT_DABT_MMIO_IDX] &&
			b.console_bytes > a.console_bytes && b.vcpu_run_ns[0] > a.vcpu_run_ns[0] &&
			b.stage2_faults > 0,
		"mmio %lu->%lu console %lu->%lu run %lu->%lu", (unsigned long)a.exits[3],
		(unsigned long)b.exits[3], (unsigned long)a.console_bytes,
		(unsigned long)b.console_bytes, (unsigned long)a.vcpu_run_ns[0],
		(unsigned long)b.vcpu_run_ns[0]);
}

static void test_lifecycle(void)
{
	u64 off;

	check_eq("stop-echo", simple(MGMT_OP_VM_STOP, VM_ECHO), MGMT_OK);
	g_check("echo-stopped", wait_state(VM_ECHO, MGMT_VM_STOPPED), "state %u",
		info(VM_ECHO).state);
	check_eq("echo-end-reason-poweroff", info(VM_ECHO).end_reason, 1);
	check_eq("stop-stopped-refused", simple(MGMT_OP_VM_STOP, VM_ECHO), MGMT_E_STATE);
	check_eq("console-write-stopped-refused",
		 call(MGMT_OP_CONSOLE_WRITE, VM_ECHO, NULL, "x", 1), MGMT_E_STATE);
	off = info(VM_ECHO).uptime_ns; /* 0 when not running */
	check_eq("stopped-uptime-0", off, 0);
	simple(MGMT_OP_VM_STATS, VM_ECHO);
	off = ((struct mgmt_vm_stats *)data)->console_bytes;
	check_eq("start-echo", simple(MGMT_OP_VM_START, VM_ECHO), MGMT_OK);
	g_check("echo-running-again", wait_state(VM_ECHO, MGMT_VM_RUNNING), "state %u",
		info(VM_ECHO).state);
	g_check("echo-booted-again", wait_console(VM_ECHO, &off, "echo vm 1 ready"), "no banner");
	check_eq("start-not-a-restart", info(VM_ECHO).restarts, 0);
	check_eq("kill-echo", simple(MGMT_OP_VM_KILL, VM_ECHO), MGMT_OK);
	g_check("echo-killed", wait_state(VM_ECHO, MGMT_VM_STOPPED), "state %u",
		info(VM_ECHO).state);
	check_eq("echo-end-reason-killed", info(VM_ECHO).end_reason, 5);
	check_eq("restart-ended-echo", simple(MGMT_OP_VM_RESTART, VM_ECHO), MGMT_OK);
	g_check("echo-restarted", wait_state(VM_ECHO, MGMT_VM_RUNNING), "state %u",
		info(VM_ECHO).state);
	check_eq("restart-counted", info(VM_ECHO).restarts, 1);
	check_eq("restart-running-echo", simple(MGMT_OP_VM_RESTART, VM_ECHO), MGMT_OK);
	for (u64 end = ms() + 5000; ms() < end && info(VM_ECHO).restarts != 2;)
		;
	g_check("running-restart-counted",
		wait_state(VM_ECHO, MGMT_VM_RUNNING) && info(VM_ECHO).restarts == 2, "restarts %u",
		info(VM_ECHO).restarts);
	simple(MGMT_OP_VM_STATS, VM_ECHO);
	check_eq("stats-restarts", ((struct mgmt_vm_stats *)data)->restarts, 2);
}

/* Every refusal leaves the node as it was. */
static void test_refusals(void)
{
	u64 arg[4] = {0};
	struct mgmt_req r = {.op = MGMT_OP_NODE_INFO, .seq = 4242};

	check_eq("self-stop-refused", simple(MGMT_OP_VM_STOP, VM_MGMT), MGMT_E_PERM);
	check_eq("self-kill-refused", simple(MGMT_OP_VM_KILL, VM_MGMT), MGMT_E_PERM);
	check_eq("self-restart-refused", simple(MGMT_OP_VM_RESTART, VM_MGMT), MGMT_E_PERM);
	check_eq("status-register", mmio_read32(DB + MGMT_REG_STATUS), (u32)MGMT_E_PERM);
	check_eq("self-start-refused", simple(MGMT_OP_VM_START, VM_MGMT), MGMT_E_STATE);
	check_eq("op-0-refused", simple(0, 0), MGMT_E_NOTSUP);
	check_eq("op-99-refused", simple(99, 0), MGMT_E_NOTSUP);
	check_eq("no-such-vm", simple(MGMT_OP_VM_INFO, 3), MGMT_E_NOVM);
	check_eq("no-such-vm-huge", simple(MGMT_OP_VM_KILL, 0xffffffff), MGMT_E_NOVM);
	arg[3] = 1;
	check_eq("unused-arg-refused", call(MGMT_OP_VM_STATS, VM_ECHO, arg, NULL, 0), MGMT_E_INVAL);
	arg[3] = 0;
	check_eq("console-read-0-refused", call(MGMT_OP_CONSOLE_READ, VM_ECHO, arg, NULL, 0),
		 MGMT_E_INVAL);
	g_check("refusal-has-message", resp.msg[0] != 0, "empty msg");
	check_eq("start-empty-slot-refused", simple(MGMT_OP_VM_START, VM_SLOT), MGMT_E_STATE);
	arg[0] = 0;
	arg[1] = 0;
	check_eq("deploy-data-without-begin",
		 call(MGMT_OP_DEPLOY_DATA, VM_SLOT, arg, deploy_img, 64), MGMT_E_STATE);
	arg[0] = 4096;
	check_eq("deploy-into-non-slot", call(MGMT_OP_DEPLOY_BEGIN, VM_ECHO, arg, NULL, 0),
		 MGMT_E_STATE);
	arg[0] = 1ULL << 40;
	check_eq("deploy-too-big", call(MGMT_OP_DEPLOY_BEGIN, VM_SLOT, arg, NULL, 0),
		 MGMT_E_TOOBIG);
	/* The doorbell's seq must be the request's. */
	to_win(MGMT_REQ_OFF, &r, sizeof(r));
	mmio_write32(DB + MGMT_REG_DOORBELL, 4243);
	from_win(MGMT_RESP_OFF, &resp, sizeof(resp));
	check_eq("seq-mismatch-refused", resp.status, MGMT_E_INVAL);
	r.data_len = 0xffffffff;
	r.seq = 4244;
	to_win(MGMT_REQ_OFF, &r, sizeof(r));
	mmio_write32(DB + MGMT_REG_DOORBELL, 4244);
	from_win(MGMT_RESP_OFF, &resp, sizeof(resp));
	check_eq("huge-payload-refused", resp.status, MGMT_E_TOOBIG);
	g_check("nothing-changed",
		info(VM_MGMT).state == MGMT_VM_RUNNING && info(VM_ECHO).state == MGMT_VM_RUNNING &&
			info(VM_ECHO).restarts == 2 && info(VM_SLOT).state == MGMT_VM_EMPTY,
		"states changed");
}

#define BOOTARGS "deployed by mgmt_e2e x=1"

/* The first 4 KiB alone, then everything else in one request (as the
 * Linux client sends up to MGMT_DATA_MAX bytes at a time). */
static int deploy_chunks(const u8 *img, u64 len)
{
	int ret = MGMT_OK;

	for (u64 off = 0; off < len && ret == MGMT_OK;) {
		u64 arg[4] = {0, off}, n = off ? MIN(len - off, MGMT_DATA_MAX) : MIN(len, 4096);
		ret = call(MGMT_OP_DEPLOY_DATA, VM_SLOT, arg, img + off, (u32)n);
		off += n;
	}
	return ret;
}

/* SHA-256 of bad_elf below (Python's hashlib). */
static const u8 bad_elf_sha[32] = {0x04, 0x5a, 0x41, 0x8a, 0x74, 0xde, 0xb4, 0xc1, 0xc8, 0x07, 0xdc,
				   0xe6, 0x3b, 0x90, 0xe6, 0x4f, 0x24, 0x54, 0xb1, 0xa3, 0x3c, 0x11,
				   0x78, 0x8f, 0xce, 0x87, 0xa1, 0x0c, 0xc9, 0xba, 0x39, 0x1a};

static void test_deploy(void)
{
	u64 len = (u64)(deploy_img_end - deploy_img), arg[4] = {len, 0}, off;
	static u8 bad_sha[32], bad_elf[64] = {0x7f, 'E', 'L', 'F', 1, 1};

	g_check("deploy-image-size", len > 4096, "%lu bytes", (unsigned long)len);
	check_eq("deploy-begin",
		 call(MGMT_OP_DEPLOY_BEGIN, VM_SLOT, arg, BOOTARGS, sizeof(BOOTARGS)), MGMT_OK);
	arg[0] = 0;
	arg[1] = 4096;
	check_eq("deploy-chunk-out-of-order",
		 call(MGMT_OP_DEPLOY_DATA, VM_SLOT, arg, deploy_img + 4096, 64), MGMT_E_INVAL);
	check_eq("deploy-data", deploy_chunks(deploy_img, len), MGMT_OK);
	arg[1] = len;
	check_eq("deploy-chunk-past-end", call(MGMT_OP_DEPLOY_DATA, VM_SLOT, arg, deploy_img, 8),
		 MGMT_E_TOOBIG);
	memcpy(bad_sha, deploy_sha, 32);
	bad_sha[31] ^= 1;
	check_eq("deploy-wrong-digest", call(MGMT_OP_DEPLOY_COMMIT, VM_SLOT, NULL, bad_sha, 32),
		 MGMT_E_DIGEST);
	check_eq("slot-still-empty", info(VM_SLOT).state, MGMT_VM_EMPTY);
	simple(MGMT_OP_VM_STATS, VM_SLOT);
	off = ((struct mgmt_vm_stats *)data)->console_bytes;
	check_eq("deploy-commit", call(MGMT_OP_DEPLOY_COMMIT, VM_SLOT, NULL, deploy_sha, 32),
		 MGMT_OK);
	g_check("deployed-image-ran", wait_console(VM_SLOT, &off, "CMDLINE=[" BOOTARGS "]"),
		"no CMDLINE line");
	g_check("deployed-image-ended", wait_state(VM_SLOT, MGMT_VM_STOPPED), "state %u",
		info(VM_SLOT).state);
	check_eq("slot-image-bytes", info(VM_SLOT).image_bytes, len);
	g_check("slot-bootargs", !strcmp(info(VM_SLOT).bootargs, BOOTARGS), "%s",
		info(VM_SLOT).bootargs);
	/* Started again from the stash, with the same bootargs. */
	check_eq("slot-start-again", simple(MGMT_OP_VM_START, VM_SLOT), MGMT_OK);
	g_check("slot-ran-again", wait_console(VM_SLOT, &off, "CMDLINE=[" BOOTARGS "]"),
		"no second CMDLINE line");
	/* Started again the moment it is seen stopped: its vCPU may still be
	 * leaving CPU 1, where the echo VM polls without ever exiting to the
	 * scheduler (such a start once waited for the echo VM's end). */
	u32 again = 0;
	for (u32 i = 0; i < 8 && wait_state(VM_SLOT, MGMT_VM_STOPPED); i++) {
		if (simple(MGMT_OP_VM_START, VM_SLOT) != MGMT_OK ||
		    !wait_console(VM_SLOT, &off, "CMDLINE=[" BOOTARGS "]"))
			break;
		again++;
	}
	check_eq("slot-quick-restarts", again, 8);
	wait_state(VM_SLOT, MGMT_VM_STOPPED);
	/* The loader's checks: a 32-bit ELF is refused at COMMIT. */
	arg[0] = sizeof(bad_elf);
	arg[1] = 0;
	/* A slot that just powered off may still be leaving its CPU: the
	 * interface says so (MGMT_E_STATE) and the client tries again. */
	int ret = MGMT_E_STATE;
	for (u64 end = ms() + 2000; ret == MGMT_E_STATE && ms() < end;)
		ret = call(MGMT_OP_DEPLOY_BEGIN, VM_SLOT, arg, NULL, 0);
	check_eq("deploy-begin-bad", ret, MGMT_OK);
	check_eq("deploy-data-bad", deploy_chunks(bad_elf, sizeof(bad_elf)), MGMT_OK);
	check_eq("deploy-loader-refuses",
		 call(MGMT_OP_DEPLOY_COMMIT, VM_SLOT, NULL, bad_elf_sha, 32), MGMT_E_IMAGE);
	g_printf("mgmt: loader said: %s\n", resp.msg);
	check_eq("slot-empty-after-refusal", info(VM_SLOT).state, MGMT_VM_EMPTY);
}

/* EL2 instructions of one request (the doorbell store's trap), less what
 * one AETHER_HC_EL2_INSNS reading costs; the least of 8 runs.  0 without
 * a PMU.  For the README's figures (QEMU -icount). */
static u64 el2_insns(void)
{
	return hvc_call(AETHER_HC_EL2_INSNS, 0, 0, 0).a0;
}

static u64 op_insns(u32 op, u32 vm, const u64 arg[4])
{
	u64 best = ~0UL, base = ~0UL;

	for (int i = 0; i < 8; i++) {
		u64 a = el2_insns(), b = el2_insns();
		base = MIN(base, b - a);
	}
	for (int i = 0; i < 8; i++) {
		struct mgmt_req r = {.op = op, .seq = ++seq, .vm = vm};
		for (int k = 0; arg && k < 4; k++)
			r.arg[k] = arg[k];
		to_win(MGMT_REQ_OFF, &r, sizeof(r));
		u64 a = el2_insns();
		mmio_write32(DB + MGMT_REG_DOORBELL, r.seq);
		u64 b = el2_insns();
		best = MIN(best, b - a);
	}
	return best > base ? best - base : 0;
}

static void bench(void)
{
	u64 arg[4] = {0, 4096}, odd[4] = {1, 4096};

	/* At least 4 KiB of this VM's own console to read back. */
	for (int i = 0; i < 64; i++)
		g_printf(
			"mgmt-bench: console filler line %02d ..................................\n",
			i);

	g_printf("mgmt-bench: EL2 instructions per request: node-info %lu, vm-list (3 VMs) %lu, "
		 "vm-stats %lu, console-read 4096 bytes %lu (from an odd offset %lu), refused "
		 "(unknown op) %lu\n",
		 (unsigned long)op_insns(MGMT_OP_NODE_INFO, 0, NULL),
		 (unsigned long)op_insns(MGMT_OP_VM_LIST, 0, NULL),
		 (unsigned long)op_insns(MGMT_OP_VM_STATS, VM_ECHO, NULL),
		 (unsigned long)op_insns(MGMT_OP_CONSOLE_READ, VM_MGMT, arg),
		 (unsigned long)op_insns(MGMT_OP_CONSOLE_READ, VM_MGMT, odd),
		 (unsigned long)op_insns(99, 0, NULL));
	call(MGMT_OP_CONSOLE_READ, VM_MGMT, arg, NULL, 0);
	check_eq("bench-console-read-full", resp.data_len, 4096);
}

/* bootargs "bench": only the figures (tests/configs/b-mgmt.cfg, run under
 * QEMU -icount for the README), without the tests' console traffic. */
static bool bench_mode(u64 dtb)
{
	struct fdt f;
	const char *args = NULL;
	u32 len = 0;

	if (fdt_open(&f, (const void *)dtb, SZ_2M) == 0)
		args = fdt_getprop(&f, fdt_path_offset(&f, "/chosen"), "bootargs", &len);
	return args && len >= 6 && !memcmp(args, "bench", 6);
}

void guest_main(u64 dtb)
{
	if (bench_mode(dtb)) {
		bench();
		check_eq("stop-echo-at-end", simple(MGMT_OP_VM_STOP, VM_ECHO), MGMT_OK);
		return;
	}
	test_registers_and_lists();
	test_console();
	test_lifecycle();
	test_refusals();
	test_deploy();
	check_eq("stop-echo-at-end", simple(MGMT_OP_VM_STOP, VM_ECHO), MGMT_OK);
	g_printf("mgmt: end-to-end done\n");
}
