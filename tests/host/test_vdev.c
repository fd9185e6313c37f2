/* The device socket (vm/vdev.c) and the UART on it (vm/dev/uart.c): state
 * carved per VM and zeroed, absent devices leave nothing behind, errors and
 * exhaustion are refused, reset hooks run in attach order, and a copied
 * struct vm reaches its own copy of a device's state. */
#include "check.h"
#include "fake_el2.h"
#include "platform.h"

static struct vm vm;
static unsigned attach_calls, reset_calls;
static const void *reset_order[8];
static int attach_ret;

struct toy {
	u32 magic, resets;
	u8 pad[100];
};

static bool zeroed(const void *p, u32 n)
{
	for (u32 i = 0; i < n; i++)
		if (((const u8 *)p)[i])
			return false;
	return true;
}

static int small_attach(struct vm *v, const struct vm_config *cfg, void *state)
{
	attach_calls++;
	CHECK(zeroed(state, 8));
	return 0;
}

static int toy_attach(struct vm *v, const struct vm_config *cfg, void *state)
{
	struct toy *t = state;

	attach_calls++;
	CHECK(zeroed(t, sizeof(*t))); /* handed over zeroed */
	t->magic = 0x70790000 + attach_calls;
	return attach_ret;
}

static void toy_reset(struct vm *v, void *state)
{
	struct toy *t = state;

	t->resets++;
	if (reset_calls < 8)
		reset_order[reset_calls] = state;
	reset_calls++;
}

static const struct vm_dev toy_a = {"toy-a", sizeof(struct toy), toy_attach, toy_reset};
static const struct vm_dev toy_b = {"toy-b", sizeof(struct toy), toy_attach, toy_reset};
static const struct vm_dev toy_big = {"big", VM_DEV_MEM, toy_attach, NULL};

static void setup(void)
{
	fake_vm_init(&vm, 1); /* attaches the UART */
	attach_calls = reset_calls = 0;
	attach_ret = 0;
	memset(vm.dev_mem + vm.dev_mem_used, 0xa5, VM_DEV_MEM - vm.dev_mem_used); /* stale bytes */
}

static void test_uart_attached(void)
{
	const struct mmio_region *r;
	struct vpl011 *u;

	setup();
	u = vm_uart(&vm);
	CHECK(u != NULL);
	CHECK_EQ(vm.nr_devs, 1);
	CHECK(vm.devs[0].dev == &uart_dev);
	CHECK((u8 *)u >= vm.dev_mem && (u8 *)(u + 1) <= vm.dev_mem + VM_DEV_MEM);
	r = mmio_find(vm.mmio, vm.nr_mmio, ipa_init(GUEST_UART_BASE + 0x18));
	CHECK(r && r->ops == &vpl011_ops && r->dev == u);
	CHECK_EQ(ipa_addr(r->base), GUEST_UART_BASE);
	CHECK_EQ(r->size, GUEST_UART_SIZE);
	CHECK(!mmio_find(vm.mmio, vm.nr_mmio, ipa_init(GUEST_UART_BASE + GUEST_UART_SIZE)));
	CHECK(!strcmp(u->line.name, FAKE_VM_NAME));
}

/* The UART's line reaches the vGIC as SPI 33; FIFO room re-opens input. */
static void test_uart_wiring(void)
{
	struct vpl011 *u;

	setup();
	u = vm_uart(&vm);
	vpl011_ops.write(u, &vm.vcpus[0], 0x38, 4, 0x10); /* IMSC = RX */
	CHECK_EQ(fake_calls.set_level, 0);
	CHECK(vpl011_rx_push(u, 'x'));
	CHECK_EQ(fake_calls.set_level, 1);
	CHECK_EQ(fake_calls.level_intid, GUEST_UART_INTID);
	CHECK(fake_calls.level);
	for (int i = 1; i < VPL011_RX_FIFO; i++)
		CHECK(vpl011_rx_push(u, 'y'));
	CHECK(!vpl011_rx_push(u, 'z'));
	CHECK_EQ(fake_calls.rx_irq_on, 0);
	vpl011_ops.read(u, &vm.vcpus[0], 0, 4); /* DR: the guest makes room */
	CHECK_EQ(fake_calls.rx_irq_on, 1);
}

static void test_attach_and_reset(void)
{
	struct toy *a, *b;

	setup();
	CHECK_EQ(vm_dev_attach_one(&vm, &toy_a), 0);
	CHECK_EQ(vm_dev_attach_one(&vm, &toy_b), 0);
	a = vm_dev_state(&vm, &toy_a);
	b = vm_dev_state(&vm, &toy_b);
	CHECK(a && b && a != b);
	CHECK_EQ(a->magic, 0x70790001);
	CHECK_EQ(b->magic, 0x70790002);
	CHECK(((uintptr_t)a & 15) == 0 && ((uintptr_t)b & 15) == 0);
	CHECK((u8 *)b >= (u8 *)(a + 1)); /* no overlap */
	CHECK(vm_uart(&vm) != NULL);	 /* earlier devices untouched */
	vm_devs_reset(&vm);
	CHECK_EQ(reset_calls, 2); /* the UART has no reset hook */
	CHECK(reset_order[0] == a && reset_order[1] == b);
	CHECK_EQ(a->resets, 1);
	CHECK_EQ(b->resets, 1);
}

static void test_absent_and_errors(void)
{
	u32 used, nr;

	setup();
	used = vm.dev_mem_used;
	nr = vm.nr_devs;
	attach_ret = VM_DEV_ABSENT;
	CHECK_EQ(vm_dev_attach_one(&vm, &toy_a), 0);
	CHECK_EQ(attach_calls, 1);
	CHECK(vm_dev_state(&vm, &toy_a) == NULL);
	CHECK_EQ(vm.dev_mem_used, used);
	CHECK_EQ(vm.nr_devs, nr);
	attach_ret = -E_INVAL;
	CHECK_EQ(vm_dev_attach_one(&vm, &toy_a), -E_INVAL);
	CHECK(vm_dev_state(&vm, &toy_a) == NULL);
	CHECK_EQ(vm.nr_devs, nr);
	/* More state than is left: refused before attach is called. */
	attach_ret = 0;
	attach_calls = 0;
	CHECK_EQ(vm_dev_attach_one(&vm, &toy_big), -E_NOMEM);
	CHECK_EQ(attach_calls, 0);
	CHECK_EQ(vm.nr_devs, nr);
}

static void test_slots_run_out(void)
{
	static const struct vm_dev many[VM_MAX_DEVS] = {
		{"m0", 8, small_attach, NULL},
		{"m1", 8, small_attach, NULL},
		{"m2", 8, small_attach, NULL},
		{"m3", 8, small_attach, NULL},
	};
	u32 i;

	setup();
	for (i = 0; vm.nr_devs < VM_MAX_DEVS; i++)
		CHECK_EQ(vm_dev_attach_one(&vm, &many[i]), 0);
	attach_calls = 0;
	CHECK_EQ(vm_dev_attach_one(&vm, &many[i]), -E_NOMEM);
	CHECK_EQ(attach_calls, 0);
	CHECK_EQ(vm.nr_devs, VM_MAX_DEVS);
}

/* A snapshot of a VM carries its devices' state with it. */
static void test_copy_is_self_contained(void)
{
	static struct vm copy;

	setup();
	vm_uart(&vm)->imsc = 0x50;
	copy = vm;
	vm_uart(&vm)->imsc = 0x10;
	CHECK_EQ(vm_uart(&copy)->imsc, 0x50);
	CHECK((u8 *)vm_uart(&copy) >= copy.dev_mem &&
	      (u8 *)vm_uart(&copy) < copy.dev_mem + VM_DEV_MEM);
	CHECK(!fake_vm_equal(&vm, &copy));
	vm_uart(&copy)->imsc = 0x10;
	CHECK(fake_vm_equal(&vm, &copy));
}

static void test_map_ram(void)
{
	setup();
	CHECK_EQ(vm_dev_map_ram(&vm, ipa_init(0x50000000), pa_init(0x80000000), SZ_64K), 0);
	CHECK_EQ(fake_calls.s2_map, 1);
	CHECK_EQ(fake_calls.s2_ipa, 0x50000000);
	CHECK_EQ(fake_calls.s2_pa, 0x80000000);
	CHECK_EQ(fake_calls.s2_size, SZ_64K);
	CHECK_EQ(fake_calls.s2_attrs, S2_R | S2_W); /* normal memory, never executable */
	CHECK_EQ(vm_dev_map_ram(&vm, ipa_init(0x50000800), pa_init(0x80000000), SZ_4K), -E_INVAL);
	CHECK_EQ(vm_dev_map_ram(&vm, ipa_init(0x50000000), pa_init(0x80000010), SZ_4K), -E_INVAL);
	CHECK_EQ(vm_dev_map_ram(&vm, ipa_init(0x50000000), pa_init(0x80000000), 100), -E_INVAL);
	CHECK_EQ(vm_dev_map_ram(&vm, ipa_init(0x50000000), pa_init(0x80000000), 0), -E_INVAL);
	CHECK_EQ(fake_calls.s2_map, 1);
}

int main(void)
{
	RUN_TEST(test_uart_attached);
	RUN_TEST(test_uart_wiring);
	RUN_TEST(test_attach_and_reset);
	RUN_TEST(test_absent_and_errors);
	RUN_TEST(test_slots_run_out);
	RUN_TEST(test_copy_is_self_contained);
	RUN_TEST(test_map_ram);
	return check_done();
}
