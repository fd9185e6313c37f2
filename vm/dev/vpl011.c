/* Virtual PL011: enough of the register file for Linux's amba-pl011 driver.
 * Transmit completes instantly (the FIFO never fills), so TXFE is always set
 * and TX interrupts are raised as soon as they are unmasked. */
#include "vm/dev/vpl011.h"
#include "lib.h"
#include "lib/log.h"

/* PL011 register offsets and bits (PrimeCell UART TRM, section 3.2) */
#define UART_DR 0x000
#define UART_RSR 0x004
#define UART_FR 0x018
#define UART_ILPR 0x020
#define UART_IBRD 0x024
#define UART_FBRD 0x028
#define UART_LCR_H 0x02c
#define UART_CR 0x030
#define UART_IFLS 0x034
#define UART_IMSC 0x038
#define UART_RIS 0x03c
#define UART_MIS 0x040
#define UART_ICR 0x044
#define UART_DMACR 0x048
#define UART_PERIPH_ID0 0xfe0
#define UART_CELL_ID3 0xffc

#define FR_RXFE BIT(4)
#define FR_TXFF BIT(5)
#define FR_RXFF BIT(6)
#define FR_TXFE BIT(7)
#define INT_RX BIT(4)
#define INT_TX BIT(5)
#define INT_RT BIT(6)
#define INT_ALL 0x7ff

/* PeriphID0-3 then CellID0-3: a PL011 r1p5, PrimeCell component. */
static const u8 pl011_ids[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

void vpl011_init(struct vpl011 *u, const char *vm_name)
{
	memset(u, 0, sizeof(*u));
	u->cr = 0x300; /* TXE | RXE, as after reset */
	u->ifls = 0x12;
	u->ris = INT_TX;
	console_line_init(&u->line, vm_name);
}

static void vpl011_tx(struct vpl011 *u, char c)
{
	if (u->hist)
		con_hist_put(u->hist, c);
	console_vm_putc(&u->line, c);
	u->ris |= INT_TX;
}

/* Reports a change of the interrupt line; called with u->lock held. */
static void vpl011_update_irq(struct vpl011 *u)
{
	bool level = (u->ris & u->imsc) != 0;

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (u->irq_changed)
		u->irq_changed(u->irq_ctx, level);
}

static bool rx_push_locked(struct vpl011 *u, u8 c)
{
	if (u->rx_count >= VPL011_RX_FIFO)
		return false;
	u->rx[(u->rx_head + u->rx_count) % VPL011_RX_FIFO] = c;
	u->rx_count++;
	u->ris |= INT_RX | INT_RT;
	vpl011_update_irq(u);
	return true;
}

bool vpl011_rx_push(struct vpl011 *u, u8 c)
{
	bool ok;

	spin_lock(&u->lock);
	ok = rx_push_locked(u, c);
	spin_unlock(&u->lock);
	return ok;
}

/* Queued management input flows into the FIFO as the guest drains it. */
static void rx_refill_locked(struct vpl011 *u)
{
	u8 c;

	while (u->inq && u->rx_count < VPL011_RX_FIFO && con_inq_pop(u->inq, &c, 1))
		rx_push_locked(u, c);
}

u32 vpl011_input(struct vpl011 *u, const u8 *src, u32 len)
{
	u32 n = u->inq ? con_inq_push(u->inq, src, len) : 0;

	spin_lock(&u->lock);
	rx_refill_locked(u);
	spin_unlock(&u->lock);
	return n;
}

u32 vpl011_rx_space(const struct vpl011 *u)
{
	return VPL011_RX_FIFO - __atomic_load_n(&u->rx_count, __ATOMIC_ACQUIRE);
}

static u32 vpl011_rx_pop(struct vpl011 *u)
{
	u32 c;

	if (!u->rx_count)
		return 0;
	/* Console input was throttled at "nearly full": re-open it. */
	if (u->rx_count >= VPL011_RX_FIFO - 4 && u->rx_room)
		u->rx_room(u->irq_ctx);
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VPL011_RX_FIFO;
	if (--u->rx_count == 0)
		u->ris &= ~(u32)(INT_RX | INT_RT);
	return c;
}

bool vpl011_irq_level(const struct vpl011 *u)
{
	return (u->ris & u->imsc) != 0;
}

/* FR from the RX FIFO's fill level alone (transmit never waits). */
static u32 vpl011_flags(u32 rx_count)
{
	u32 fr = FR_TXFE;

	fr |= rx_count ? 0 : FR_RXFE;
	fr |= rx_count == VPL011_RX_FIFO ? FR_RXFF : 0;
	return fr;
}

static u64 vpl011_read_locked(struct vpl011 *u, u64 off)
{
	if (off >= UART_PERIPH_ID0 && off <= UART_CELL_ID3)
		return IS_ALIGNED(off, 4) ? pl011_ids[(off - UART_PERIPH_ID0) / 4] : 0;
	switch (off) {
	case UART_DR: return vpl011_rx_pop(u);
	case UART_FR: return vpl011_flags(u->rx_count);
	case UART_IBRD: return u->ibrd;
	case UART_FBRD: return u->fbrd;
	case UART_LCR_H: return u->lcr_h;
	case UART_CR: return u->cr;
	case UART_IFLS: return u->ifls;
	case UART_IMSC: return u->imsc;
	case UART_RIS: return u->ris;
	case UART_MIS: return u->ris & u->imsc;
	case UART_DMACR: return u->dmacr;
	default: return 0; /* RSR, ILPR and reserved offsets */
	}
}

static void vpl011_write_locked(struct vpl011 *u, u64 val, u64 off)
{
	u32 w = (u32)val;

	switch (off) {
	case UART_DR: vpl011_tx(u, (char)(w & 0xff)); break;
	case UART_IBRD: u->ibrd = w & 0xffff; break;
	case UART_FBRD: u->fbrd = w & 0x3f; break;
	case UART_LCR_H: u->lcr_h = w & 0xff; break;
	case UART_CR: u->cr = w & 0xff87; break;
	case UART_IFLS: u->ifls = w & 0x3f; break;
	case UART_IMSC: u->imsc = w & INT_ALL; break;
	case UART_ICR: u->ris &= ~(w & INT_ALL); break;
	case UART_DMACR: u->dmacr = w & 0x7; break;
	default: break; /* FR, RIS, MIS, IDs are read-only: writes ignored */
	}
}

/* FR, polled before every byte a guest writes, is read without the lock:
 * it follows from one aligned word (the RX fill level) that changes only
 * under the lock, so the guest sees a value FR held during its access.
 * Every other register takes the lock (DR pops the FIFO). */
static __attribute__((noinline)) u64 vpl011_read_slow(struct vpl011 *u, u64 off)
{
	u64 val;

	spin_lock(&u->lock);
	val = vpl011_read_locked(u, off);
	/* Reading DR may empty the RX FIFO, and make room for queued input. */
	if (off == UART_DR) {
		rx_refill_locked(u);
		vpl011_update_irq(u);
	}
	spin_unlock(&u->lock);
	return val;
}

static u64 vpl011_read(void *dev, struct vcpu *v, u64 off, unsigned size)
{
	struct vpl011 *u = dev;

	if (likely(off == UART_FR)) /* no stack frame for this one */
		/* An aligned 32-bit load is single-copy atomic: a volatile
		 * one needs no address computed apart, as the builtin's does. */
		return vpl011_flags(*(const volatile u32 *)&u->rx_count);
	return vpl011_read_slow(u, off);
}

static __attribute__((noinline)) void vpl011_write_slow(struct vpl011 *u, u64 off, u64 val)
{
	spin_lock(&u->lock);
	vpl011_write_locked(u, val, off);
	vpl011_update_irq(u);
	spin_unlock(&u->lock);
}

/* A write to IMSC that stores the value it already holds: IMSC is the
 * register rewritten most (Linux masks and unmasks TX through it). */
static bool imsc_unchanged(const struct vpl011 *u, u64 off, u64 val)
{
	return off == UART_IMSC &&
	       ((u32)val & INT_ALL) == __atomic_load_n(&u->imsc, __ATOMIC_RELAXED);
}

/* A write that leaves IMSC as it is changes nothing (not the line either:
 * it follows RIS and IMSC, both unchanged by it), so it needs no lock: it
 * takes effect at the moment of the load, before any locked writer. */
static void vpl011_write(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val)
{
	struct vpl011 *u = dev;

	if (imsc_unchanged(u, off, val))
		return;
	vpl011_write_slow(u, off, val);
}

const struct mmio_ops vpl011_ops = {
	.read = vpl011_read,
	.write = vpl011_write,
	.widths = MMIO_W8 | MMIO_W16 | MMIO_W32,
	.impl_size = 0x1000,
};
