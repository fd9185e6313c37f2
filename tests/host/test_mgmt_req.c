/* Management request decoder (vm/mgmt/req.c): every op's accepted shape,
 * and the refusals a hostile or buggy management VM can provoke. */
#include <string.h>

#include "check.h"
#include "vm/mgmt_req.h"

#define NR_VMS 4

static int decode(struct mgmt_req r, struct mgmt_call *c)
{
	const char *err = NULL;
	int ret = mgmt_decode(&r, NR_VMS, c, &err);

	CHECK(ret == MGMT_OK || (err && *err));
	return ret;
}

static struct mgmt_req req(u32 op, u32 vm)
{
	return (struct mgmt_req){.op = op, .seq = 77, .vm = vm};
}

static void test_valid_requests(void)
{
	struct mgmt_call c;
	struct mgmt_req r;

	CHECK_EQ(decode(req(MGMT_OP_NODE_INFO, 0), &c), MGMT_OK);
	CHECK(!c.needs_vm);
	CHECK_EQ(c.seq, 77);
	CHECK_EQ(decode(req(MGMT_OP_VM_LIST, 0), &c), MGMT_OK);
	for (u32 op = MGMT_OP_VM_INFO; op <= MGMT_OP_VM_RESTART; op++) {
		if (op == MGMT_OP_CONSOLE_READ || op == MGMT_OP_CONSOLE_WRITE)
			continue;
		CHECK_EQ(decode(req(op, NR_VMS - 1), &c), MGMT_OK);
		CHECK(c.needs_vm);
		CHECK_EQ(c.vm, NR_VMS - 1);
	}
	r = req(MGMT_OP_CONSOLE_READ, 1);
	r.arg[0] = ~0ULL; /* any offset: the ring clamps it */
	r.arg[1] = 4096;
	CHECK_EQ(decode(r, &c), MGMT_OK);
	CHECK_EQ(c.arg[0], ~0ULL);
	r = req(MGMT_OP_CONSOLE_WRITE, 1);
	r.data_len = MGMT_SMALL_DATA_MAX;
	CHECK_EQ(decode(r, &c), MGMT_OK);
	r = req(MGMT_OP_DEPLOY_BEGIN, 2);
	r.arg[0] = 1 << 20;
	r.arg[1] = 0;
	r.data_len = 0;
	CHECK_EQ(decode(r, &c), MGMT_OK);
	r = req(MGMT_OP_DEPLOY_DATA, 2);
	r.arg[0] = 1;
	r.arg[1] = 4096;
	r.data_len = MGMT_DATA_MAX;
	CHECK_EQ(decode(r, &c), MGMT_OK);
	CHECK(c.data_to_slot);
	r = req(MGMT_OP_DEPLOY_COMMIT, 2);
	r.data_len = 64;
	CHECK_EQ(decode(r, &c), MGMT_OK);
	CHECK(!c.data_to_slot);
}

static void test_bad_op_and_vm(void)
{
	struct mgmt_call c;

	CHECK_EQ(decode(req(0, 0), &c), MGMT_E_NOTSUP);
	CHECK_EQ(decode(req(MGMT_OP_MAX, 0), &c), MGMT_E_NOTSUP);
	CHECK_EQ(decode(req(0xffffffff, 0), &c), MGMT_E_NOTSUP);
	CHECK_EQ(decode(req(MGMT_OP_VM_INFO, NR_VMS), &c), MGMT_E_NOVM);
	CHECK_EQ(decode(req(MGMT_OP_VM_STOP, 0xffffffff), &c), MGMT_E_NOVM);
	CHECK_EQ(decode(req(MGMT_OP_NODE_INFO, 1), &c), MGMT_E_INVAL);
}

static void test_bad_args_and_lengths(void)
{
	struct mgmt_call c;
	struct mgmt_req r;

	r = req(MGMT_OP_VM_STATS, 0);
	r.arg[3] = 1; /* unused but set */
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL);
	r = req(MGMT_OP_VM_INFO, 0);
	r.data_len = 1; /* no payload expected */
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL);
	r = req(MGMT_OP_NODE_INFO, 0);
	r.data_len = 0xffffffff;
	CHECK_EQ(decode(r, &c), MGMT_E_TOOBIG);
	r = req(MGMT_OP_CONSOLE_READ, 0);
	r.arg[1] = 0;
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL);
	r.arg[1] = MGMT_DATA_MAX + 1;
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL);
	r = req(MGMT_OP_CONSOLE_WRITE, 0);
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL); /* empty */
	r.data_len = MGMT_SMALL_DATA_MAX + 1;
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL);
	r = req(MGMT_OP_DEPLOY_BEGIN, 0);
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL); /* empty kernel */
	r.arg[0] = 10;
	r.arg[2] = 5;
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL);
	r.arg[2] = 0;
	r.data_len = MGMT_BOOTARGS_MAX + 1;
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL);
	r = req(MGMT_OP_DEPLOY_DATA, 0);
	r.arg[0] = 2;
	r.data_len = 16;
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL);
	r.arg[0] = 0;
	r.arg[1] = ~0ULL - 3; /* offset + len wraps */
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL);
	r.arg[1] = 0;
	r.data_len = 0;
	CHECK_EQ(decode(r, &c), MGMT_E_INVAL);
	r.data_len = MGMT_DATA_MAX + 1;
	CHECK_EQ(decode(r, &c), MGMT_E_TOOBIG);
	r = req(MGMT_OP_DEPLOY_COMMIT, 0);
	for (u32 len = 0; len < 100; len++) {
		r.data_len = len;
		CHECK_EQ(decode(r, &c), (len == 32 || len == 64) ? MGMT_OK : MGMT_E_INVAL);
	}
}

static int payload(const char *s, u32 len)
{
	struct mgmt_call c = {.op = MGMT_OP_DEPLOY_BEGIN, .data_len = len};
	const char *err = NULL;
	int ret = mgmt_check_payload(&c, (const u8 *)s, &err);

	CHECK(ret == MGMT_OK || (err && *err));
	return ret;
}

static void test_bootargs(void)
{
	CHECK_EQ(payload("", 0), MGMT_OK);
	CHECK_EQ(payload("", 1), MGMT_OK);
	CHECK_EQ(payload("console=ttyAMA0 quiet", 22), MGMT_OK);
	CHECK_EQ(payload("console=ttyAMA0", 15), MGMT_E_INVAL); /* no NUL */
	CHECK_EQ(payload("a\0b", 4), MGMT_E_INVAL);		/* inner NUL */
	CHECK_EQ(payload("a\nb", 4), MGMT_E_INVAL);		/* control byte */
	CHECK_EQ(payload("a\xff", 3), MGMT_E_INVAL);
}

int main(void)
{
	RUN_TEST(test_valid_requests);
	RUN_TEST(test_bad_op_and_vm);
	RUN_TEST(test_bad_args_and_lengths);
	RUN_TEST(test_bootargs);
	return check_done();
}
