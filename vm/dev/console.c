/* Console input.  Bytes typed on the physical UART go to the virtual UART
 * of the VM that has input focus.  Pressing Ctrl-A three times in a row
 * moves focus to the next VM, and after the last VM to the hypervisor's
 * own console (where 'l' lists the VMs), as Xen's console does.
 *
 * Input is flow-controlled, not dropped: while the focused VM's receive
 * FIFO is full, bytes wait in the physical UART (and QEMU's or the remote
 * terminal's buffers) with the receive interrupt masked; the guest reading
 * its FIFO turns it back on (vm/dev/uart.c). */
#include "vm/dev/console.h"
#include "drivers/uart.h"
#include "lib/log.h"
#include "vm/dev/uart.h"
#include "vm/vm.h"

#define CTRL_A 0x01
#define SWITCH_PRESSES 3
#define FOCUS_HYP (-1)

static int focus = -2; /* -2: not chosen yet */
static u32 ctrl_a_run;

static bool vm_can_focus(int i)
{
	return i >= 0 && (u32)i < nr_vms &&
	       (vms[i].state == VM_RUNNING || vms[i].state == VM_RESETTING);
}

static int first_focus(void)
{
	for (u32 i = 0; i < nr_vms; i++)
		if (vms[i].cfg->management && vm_can_focus((int)i))
			return (int)i;
	for (u32 i = 0; i < nr_vms; i++)
		if (vm_can_focus((int)i))
			return (int)i;
	return FOCUS_HYP;
}

static struct vm *focus_vm(void)
{
	if (focus == -2 || (focus != FOCUS_HYP && !vm_can_focus(focus)))
		focus = first_focus();
	return focus == FOCUS_HYP ? NULL : &vms[focus];
}

static void switch_focus(void)
{
	int i = focus == FOCUS_HYP ? 0 : focus + 1;

	while (i < (int)nr_vms && !vm_can_focus(i))
		i++;
	focus = i < (int)nr_vms ? i : FOCUS_HYP;
	if (focus == FOCUS_HYP)
		LOG("console: input to the hypervisor ('l' lists VMs; Ctrl-A x3 switches)");
	else
		LOG("console: input to vm %s (Ctrl-A x3 switches)", vms[focus].cfg->name);
}

static void hyp_command(u8 c)
{
	if (c != 'l')
		return;
	for (u32 i = 0; i < nr_vms; i++)
		LOG("  vm %u %s: %s, %u vCPU(s), %lu MiB, restarts %u", i, vms[i].cfg->name,
		    vms[i].state == VM_RUNNING ? "running" : vm_end_reason_str(vms[i].end_reason),
		    vms[i].nr_vcpus, (unsigned long)(vms[i].ram_size >> 20), vms[i].restarts);
}

static void deliver(struct vm *vm, u8 c)
{
	struct vpl011 *u = vm ? vm_uart(vm) : NULL;

	if (u)
		vpl011_rx_push(u, c);
	else if (!vm)
		hyp_command(c);
}

/* One byte: count Ctrl-A presses; an interrupted run is passed on. */
static void console_byte(u8 c)
{
	if (c == CTRL_A) {
		if (++ctrl_a_run == SWITCH_PRESSES) {
			ctrl_a_run = 0;
			switch_focus();
		}
		return;
	}
	for (; ctrl_a_run; ctrl_a_run--)
		deliver(focus_vm(), CTRL_A);
	deliver(focus_vm(), c);
}

/* The focused VM's FIFO cannot take a byte and any held Ctrl-As. */
static bool focus_full(void)
{
	struct vm *vm = focus_vm();
	struct vpl011 *u = vm ? vm_uart(vm) : NULL;

	return u && vpl011_rx_space(u) <= SWITCH_PRESSES;
}

void console_rx_irq(void)
{
	int c;

	while (!focus_full() && (c = console_getc()) >= 0)
		console_byte((u8)c);
	if (!focus_full())
		return;
	uart_console_set_rx_irq(false);
	/* The guest may have drained its FIFO on another CPU between the test
	 * and the mask, and its reads re-open input only while the FIFO is
	 * nearly full (vpl011_rx_pop): their re-opening came before this
	 * mask, so look again now.  Either this sees those reads, or a read
	 * after it re-opens input after the mask (the mask and the re-opening
	 * are ordered by the console's rx_irq_lock). */
	if (!focus_full())
		uart_console_set_rx_irq(true);
}
