/* Host test of the management client over the simulated node: the wire
 * ABI's edge cases that the HTTP tests cannot reach (aetherd checks most
 * of them before the node sees them).  Prints "ok NAME" / "FAIL NAME". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "../lib/mgmt_transport.h"
#include "sim_node.h"

static int failed;

static void check(const char *name, int ok)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", name);
	failed |= !ok;
}

static void sha(const void *p, size_t n, uint8_t md[32])
{
	unsigned int l;

	EVP_Digest(p, n, md, &l, EVP_sha256(), NULL);
}

/* A raw request straight to the transport, as a buggy or hostile client
 * would send it. */
static int raw(struct mgmt *m, uint32_t op, uint32_t vm, uint32_t data_len, uint64_t a0,
	       uint64_t a1)
{
	struct mgmt_resp resp;
	uint64_t arg[4] = {a0, a1, 0, 0};
	static unsigned char in[MGMT_DATA_MAX];

	if (data_len > MGMT_DATA_MAX) {
		struct mgmt_req req = {.op = op, .seq = 99, .vm = vm, .data_len = data_len};

		m->ops->call(m, &req, in, &resp, m->data);
		return resp.status;
	}
	return mgmt_rpc(m, op, vm, arg, in, data_len, &resp);
}

static void test_requests(struct mgmt *m)
{
	struct mgmt_vm_info v[2];

	check("unknown op -> NOTSUP", raw(m, 0, 0, 0, 0, 0) == MGMT_E_NOTSUP &&
					      raw(m, MGMT_OP_MAX, 0, 0, 0, 0) == MGMT_E_NOTSUP);
	check("VM id out of range -> NOVM", raw(m, MGMT_OP_VM_INFO, 4, 0, 0, 0) == MGMT_E_NOVM);
	check("data_len past the window -> INVAL",
	      raw(m, MGMT_OP_CONSOLE_WRITE, 1, MGMT_DATA_MAX + 1, 0, 0) == MGMT_E_INVAL);
	check("console read of 0 bytes -> INVAL",
	      raw(m, MGMT_OP_CONSOLE_READ, 1, 0, 0, 0) == MGMT_E_INVAL);
	check("VM list truncated to the caller's room",
	      mgmt_vm_list(m, v, 2) == 2 && !strcmp(v[1].name, "linux"));
	check("lookup by name",
	      mgmt_vm_by_name(m, "slot") == 3 && mgmt_vm_by_name(m, "nope") == MGMT_E_NOVM);
}

static void test_actions(struct mgmt *m)
{
	struct mgmt_vm_info v;

	check("the management VM cannot be stopped",
	      mgmt_vm_action(m, 0, MGMT_OP_VM_STOP) == MGMT_E_PERM);
	check("start of an empty slot -> STATE",
	      mgmt_vm_action(m, 3, MGMT_OP_VM_START) == MGMT_E_STATE);
	check("restart passes through restarting", mgmt_vm_action(m, 2, MGMT_OP_VM_RESTART) == 0 &&
							   mgmt_vm_info(m, 2, &v) == 0 &&
							   v.state == MGMT_VM_RESTARTING);
	usleep(600000);
	check("then runs again, restarts 1",
	      mgmt_vm_info(m, 2, &v) == 0 && v.state == MGMT_VM_RUNNING && v.restarts == 1);
	check("not an action op -> INVAL", mgmt_vm_action(m, 2, MGMT_OP_VM_INFO) == MGMT_E_INVAL);
}

static void test_deploy(struct mgmt *m)
{
	size_t n = 3 * MGMT_DATA_MAX + 1234; /* four chunks */
	unsigned char *k = malloc(n), md[32], bad[32];
	struct mgmt_vm_info v;

	for (size_t i = 0; i < n; i++)
		k[i] = (unsigned char)(i * 7);
	sha(k, n, md);
	memcpy(bad, md, 32);
	bad[0] ^= 1;
	check("deploy into a non-slot -> STATE",
	      mgmt_deploy(m, 1, k, n, NULL, 0, "", md, NULL) == MGMT_E_STATE);
	check("wrong digest -> DIGEST, slot stays empty",
	      mgmt_deploy(m, 3, k, n, NULL, 0, "x", bad, NULL) == MGMT_E_DIGEST &&
		      mgmt_vm_info(m, 3, &v) == 0 && v.state == MGMT_VM_EMPTY && !v.image_bytes);
	check("image larger than the slot -> TOOBIG",
	      raw(m, MGMT_OP_DEPLOY_BEGIN, 3, 1, 200ull << 20, 0) == MGMT_E_TOOBIG);
	check("data out of order -> INVAL",
	      raw(m, MGMT_OP_DEPLOY_BEGIN, 3, 1, 100, 0) == 0 &&
		      raw(m, MGMT_OP_DEPLOY_DATA, 3, 10, 0, 50) == MGMT_E_INVAL);
	check("commit of an incomplete image -> INVAL",
	      raw(m, MGMT_OP_DEPLOY_COMMIT, 3, 32, 0, 0) == MGMT_E_INVAL);
	check("four-chunk deploy with the right digest runs",
	      mgmt_deploy(m, 3, k, n, NULL, 0, "console=ttyAMA0", md, NULL) == 0 &&
		      mgmt_vm_info(m, 3, &v) == 0 && v.state == MGMT_VM_RUNNING &&
		      v.image_bytes == n && !strcmp(v.bootargs, "console=ttyAMA0"));
	check("deploy into a running slot -> STATE",
	      mgmt_deploy(m, 3, k, n, NULL, 0, "", md, NULL) == MGMT_E_STATE);
	free(k);
}

/* More than the ring: the oldest bytes are gone, the read says where the
 * returned bytes start, and offsets keep growing. */
static void test_console(struct mgmt *m)
{
	static unsigned char buf[SIM_RING * 2];
	char line[4000];
	uint64_t first, next;
	size_t len;
	int ok = 1;

	memset(line, 'x', sizeof(line) - 1);
	line[0] = 'e', line[1] = 'c', line[2] = 'h', line[3] = 'o', line[4] = ' ';
	line[sizeof(line) - 1] = '\n';
	for (int i = 0; i < 300 && ok; i++) /* ~520 bytes of echo each: 150 KB */
		ok = mgmt_console_write(m, 1, line, sizeof(line)) == (int)sizeof(line);
	check("console input accepted", ok);
	check("read from 0 after wrap starts later",
	      mgmt_console_read(m, 1, 0, buf, sizeof(buf), &first, &next, &len) == 0 && first > 0 &&
		      len == SIM_RING && next == first + len);
	check("read at the end is empty at the end",
	      mgmt_console_read(m, 1, next + 1000, buf, 10, &first, &next, &len) == 0 && len == 0 &&
		      first == next);
	check("console write to a stopped VM -> STATE",
	      mgmt_vm_action(m, 2, MGMT_OP_VM_STOP) == 0 &&
		      mgmt_console_write(m, 2, "a", 1) == MGMT_E_STATE);
}

int main(void)
{
	char err[128];
	struct mgmt *m = mgmt_open_sim(NULL, err, sizeof(err));

	check("bad sim spec refused", !mgmt_open_sim("a:0:1", err, sizeof(err)) &&
					      !mgmt_open_sim("a:1:1:bogus", err, sizeof(err)));
	if (!m) {
		check("sim opens", 0);
		return 1;
	}
	test_requests(m);
	test_actions(m);
	test_deploy(m);
	test_console(m);
	mgmt_close(m);
	return failed;
}
